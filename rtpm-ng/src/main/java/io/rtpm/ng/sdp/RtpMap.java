package io.rtpm.ng.sdp;

import java.util.List;

/**
 * {@code a=rtpmap} (RFC 8866 section 6.6): {@code <payload type> <encoding name>/<clock rate>
 * [/<encoding parameters>]}. Read for the engine's benefit; the rewriter never changes codecs.
 *
 * @param payloadType 0 to 127
 * @param encoding    the encoding name as written (PCMU, opus, telephone-event, ...)
 * @param clockRate   the RTP clock rate in Hz
 * @param parameters  the encoding parameters (channels for audio), or empty
 */
public record RtpMap(int payloadType, String encoding, long clockRate, String parameters) {

    /** The attribute's name. */
    public static final String NAME = "rtpmap";

    /** Parses the value (after {@code a=rtpmap:}) of line {@code line}. */
    public static RtpMap parse(String value, int line) throws SdpException {
        final List<String> f = Tokens.split(value, line, "a=rtpmap");
        if (f.size() != 2) {
            throw new SdpException(line, "a=rtpmap has " + f.size()
                    + " fields, not 2 (<payload type> <encoding name>/<clock rate>[/<parameters>])");
        }
        final int pt = (int) Tokens.number(f.get(0), 0, 127, line, "a=rtpmap payload type");
        final String[] parts = f.get(1).split("/", 3);
        if (parts.length < 2 || parts[0].isEmpty()) {
            throw new SdpException(line, "a=rtpmap '" + f.get(1)
                    + "' is not <encoding name>/<clock rate>[/<parameters>]");
        }
        final long rate = Tokens.number(parts[1], 1, 0xffff_ffffL, line, "a=rtpmap clock rate");
        return new RtpMap(pt, parts[0], rate, parts.length == 3 ? parts[2] : "");
    }
}
