package io.rtpm.ng.sdp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses SDP bodies (RFC 8866) strictly where a relay depends on them and byte-exactly everywhere
 * else. Checked: the body is at most {@link #MAX_BYTES}; every line is {@code <letter>=<value>}
 * ending in CRLF or LF (a lone CR or a NUL is refused); empty lines only at the very end (kept);
 * {@code v=0} first, then {@code o=} and {@code s=} once each; the syntax of {@code o=},
 * {@code c=}, {@code m=}, {@code a=rtcp}, {@code a=rtpmap} and {@code a=crypto}; at most
 * {@link #MAX_MEDIA} media sections; every media section that is not disabled (port 0) has a
 * connection, its own or the session's. Every other line, known or not, is kept as it came.
 * Stateless and thread-safe.
 */
public final class SdpParser {

    /** The largest body accepted (a UDP ng datagram carries at most 64 KiB anyway). */
    public static final int MAX_BYTES = 65_535;

    /** The most media sections accepted. */
    public static final int MAX_MEDIA = 64;

    private SdpParser() {
    }

    /** Parses {@code body}. @throws SdpException naming the line and the fault */
    public static SessionDescription parse(byte[] body) throws SdpException {
        if (body.length > MAX_BYTES) {
            throw new SdpException(0, "body of " + body.length + " bytes exceeds " + MAX_BYTES);
        }
        if (body.length == 0) {
            throw new SdpException(0, "empty body");
        }
        final String text = new String(body, StandardCharsets.ISO_8859_1);
        final List<SdpLine> session = new ArrayList<>();
        final List<MediaDescription> media = new ArrayList<>();
        List<SdpLine> current = session;
        int lineNo = 0;
        int pos = 0;
        while (pos < text.length()) {
            lineNo++;
            int lf = text.indexOf('\n', pos);
            final int next = lf < 0 ? text.length() : lf + 1;
            final int end = lf < 0 ? text.length() : (lf > pos && text.charAt(lf - 1) == '\r' ? lf - 1 : lf);
            final String content = text.substring(pos, end);
            if (content.isEmpty()) {
                return finish(session, media, current, trailer(text, pos, lineNo));
            }
            final SdpLine line = line(content, text.substring(end, next), lineNo);
            if (line.type() == 'm') {
                if (current != session) {
                    media.add(new MediaDescription(current));
                }
                if (media.size() == MAX_MEDIA) {
                    throw new SdpException(lineNo, "more than " + MAX_MEDIA + " media sections");
                }
                current = new ArrayList<>();
            }
            check(line, lineNo, current == session ? session.size() : -1);
            current.add(line);
            pos = next;
        }
        return finish(session, media, current, "");
    }

    private static SessionDescription finish(List<SdpLine> session, List<MediaDescription> media,
            List<SdpLine> current, String trailer) throws SdpException {
        if (current != session) {
            media.add(new MediaDescription(current));
        }
        if (session.size() < 3) {
            throw new SdpException(0, "a session needs at least v=, o= and s= lines, found "
                    + session.size() + " line(s) before the first m=");
        }
        final boolean sessionConnection = Lines.first(session, 'c') != null;
        for (int i = 0; i < media.size(); i++) {
            final MediaDescription m = media.get(i);
            if (!sessionConnection && m.connection().isEmpty() && !m.media().disabled()) {
                throw new SdpException(0, "media section " + (i + 1) + " (" + m.lines().get(0)
                        + ") has no c= line and the session has none");
            }
        }
        return new SessionDescription(session, media, trailer);
    }

    /** Only empty lines may follow an empty line; they are the trailer. */
    private static String trailer(String text, int from, int lineNo) throws SdpException {
        for (int i = from; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c != '\n' && (c != '\r' || i + 1 >= text.length() || text.charAt(i + 1) != '\n')) {
                throw new SdpException(lineNo, "empty line inside the body (only the end may have them)");
            }
        }
        return text.substring(from);
    }

    private static SdpLine line(String content, String eol, int lineNo) throws SdpException {
        if (content.length() < 2 || content.charAt(1) != '=' || content.charAt(0) < 'a'
                || content.charAt(0) > 'z') {
            throw new SdpException(lineNo, "expected <letter>=<value>, found '" + shorten(content) + "'");
        }
        for (int i = 0; i < content.length(); i++) {
            final char c = content.charAt(i);
            if (c == '\r' || c == 0) {
                throw new SdpException(lineNo, (c == 0 ? "NUL" : "stray CR") + " at column " + (i + 1));
            }
        }
        return new SdpLine(content.charAt(0), content.substring(2), eol);
    }

    /** @param sessionIndex the line's place among the session's lines, or -1 in a media section */
    private static void check(SdpLine line, int lineNo, int sessionIndex) throws SdpException {
        final char t = line.type();
        if (sessionIndex >= 0 && sessionIndex < 3) {
            final char want = "vos".charAt(sessionIndex);
            if (t != want) {
                throw new SdpException(lineNo, "expected " + want + "= as line " + (sessionIndex + 1)
                        + " (RFC 8866 order v=, o=, s=), found " + t + "=");
            }
        } else if (t == 'v' || t == 'o' || t == 's') {
            throw new SdpException(lineNo, t + "= may appear only once, at the start of the session");
        }
        switch (t) {
            case 'v' -> {
                if (!line.value().equals("0")) {
                    throw new SdpException(lineNo, "v=" + line.value() + ": only version 0 exists");
                }
            }
            case 'o' -> Origin.parse(line.value(), lineNo);
            case 'c' -> Connection.parse(line.value(), lineNo);
            case 'm' -> MediaLine.parse(line.value(), lineNo);
            case 'a' -> attribute(line, lineNo);
            default -> {
                // kept as received: s=, i=, u=, e=, p=, b=, t=, r=, z=, k= and unknown types
            }
        }
    }

    private static void attribute(SdpLine line, int lineNo) throws SdpException {
        if (line.value().isEmpty()) {
            throw new SdpException(lineNo, "a= without an attribute name");
        }
        if (line.isAttribute(RtcpAttribute.NAME)) {
            RtcpAttribute.parse(line.attributeValue(), lineNo);
        } else if (line.isAttribute(RtpMap.NAME)) {
            RtpMap.parse(line.attributeValue(), lineNo);
        } else if (line.isAttribute(CryptoAttribute.NAME)) {
            CryptoAttribute.parse(line.attributeValue(), lineNo);
        }
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
