package io.rtpm.ng.wire;

import io.rtpm.ng.bencode.BencodeDecoder;
import io.rtpm.ng.bencode.BencodeDictionary;
import io.rtpm.ng.bencode.BencodeEncoder;
import io.rtpm.ng.bencode.BencodeValue;
import io.rtpm.ng.bencode.DecodeException;
import io.rtpm.ng.bencode.DecodeLimits;
import java.io.ByteArrayOutputStream;

/**
 * Decodes ng request datagrams ({@code cookie SPACE body}) and encodes replies, as rtpengine's
 * control_ng.c frames them: the cookie is everything before the first space; a body starting with
 * {@code d} is bencode, with <code>{</code> JSON, anything else is refused; the reply is the cookie,
 * a space, and the reply dictionary in the request's format.
 *
 * <p>Not thread-safe (it holds a decoder): one per worker thread.
 */
public final class NgCodec {

    private final BencodeDecoder bencode;
    private final JsonBody json;

    /** @param limits bounds on request bodies */
    public NgCodec(DecodeLimits limits) {
        this.bencode = new BencodeDecoder(limits);
        this.json = new JsonBody(limits);
    }

    /**
     * Decodes one request datagram held in {@code data[offset, offset + length)}.
     *
     * @return the cookie, the body's format and the body
     * @throws NgFrameException if there is no cookie (then {@link NgFrameException#cookie()} is
     *                          empty: drop it), or the body is not one well-formed dictionary
     *                          (answer with the reason)
     */
    public NgMessage decode(byte[] data, int offset, int length) throws NgFrameException {
        final int end = offset + length;
        int space = offset;
        while (space < end && space - offset <= Cookie.MAX_LENGTH && data[space] != ' ') {
            space++;
        }
        if (space == end || space == offset || space - offset > Cookie.MAX_LENGTH) {
            throw new NgFrameException(null, NgFormat.BENCODE, space == end
                    ? "no cookie: no space in the datagram"
                    : space == offset ? "datagram starts with a space: no cookie"
                    : "no cookie: no space within the first " + (Cookie.MAX_LENGTH + 1) + " bytes");
        }
        final Cookie cookie = Cookie.copyOf(data, offset, space);
        final int body = space + 1;
        if (body == end) {
            throw new NgFrameException(cookie, NgFormat.BENCODE, "no message after the cookie");
        }
        final NgFormat format = switch (data[body]) {
            case 'd' -> NgFormat.BENCODE;
            case '{' -> NgFormat.JSON;
            default -> throw new NgFrameException(cookie, NgFormat.BENCODE,
                    "the message is neither a bencode dictionary ('d...e') nor a JSON object");
        };
        try {
            final BencodeValue v = format == NgFormat.BENCODE
                    ? bencode.decode(data, body, end - body)
                    : json.decode(data, body, end - body);
            if (!(v instanceof BencodeDictionary d)) {
                throw new DecodeException(0, "the message is " + v.aKind() + ", not a dictionary");
            }
            return new NgMessage(cookie, format, d);
        } catch (DecodeException e) {
            throw new NgFrameException(cookie, format, e.getMessage());
        }
    }

    /** Decodes all of {@code datagram}; see {@link #decode(byte[], int, int)}. */
    public NgMessage decode(byte[] datagram) throws NgFrameException {
        return decode(datagram, 0, datagram.length);
    }

    /** @return the reply datagram: {@code cookie SPACE reply}, the reply in {@code format} */
    public byte[] encodeReply(Cookie cookie, NgFormat format, BencodeDictionary reply) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        cookie.writeTo(out);
        out.write(' ');
        if (format == NgFormat.BENCODE) {
            BencodeEncoder.write(reply, out);
        } else {
            out.writeBytes(json.encode(reply));
        }
        return out.toByteArray();
    }
}
