package io.rtpm.ng.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies an {@link SdpRewrite}, changing only the lines it names and keeping every other line
 * (and every line ending) as received:
 * <ul>
 * <li>{@code c=}: every one, at session and media level, points at the relay;</li>
 * <li>{@code m=}: the port (a port count is kept) and, if asked, the protocol;</li>
 * <li>{@code a=rtcp} (RFC 3605): its port becomes the relay's RTCP port and a full form's address
 *     the relay's; a section without one gets {@code a=rtcp:<port>} only when the RTCP port is not
 *     RTP + 1, the default the peer assumes;</li>
 * <li>direction: the section's own attribute is replaced, or one is added after its last line;</li>
 * <li>{@code a=rtcp-mux} (RFC 5761): added or removed when the rewrite says;</li>
 * <li>{@code o=}: the address, for {@code replace: origin};</li>
 * <li>ICE: every ICE attribute removed at both levels, for {@code ICE: remove}.</li>
 * </ul>
 * New lines end in CRLF. Stateless and thread-safe.
 */
public final class SdpRewriter {

    private SdpRewriter() {
    }

    /**
     * @return {@code sdp} rewritten
     * @throws IllegalArgumentException if the rewrite names a media section the body does not have
     */
    public static SessionDescription rewrite(SessionDescription sdp, SdpRewrite rewrite) {
        for (int index : rewrite.media().keySet()) {
            if (index < 0 || index >= sdp.media().size()) {
                throw new IllegalArgumentException("media section " + index + " does not exist: the body has "
                        + sdp.media().size());
            }
        }
        final List<SdpLine> session = new ArrayList<>();
        for (SdpLine l : sdp.sessionLines()) {
            if (!(rewrite.removeIce() && IceAttributes.is(l))) {
                session.add(common(l, rewrite));
            }
        }
        final boolean sessionConnection = sdp.connection().isPresent();
        final List<MediaDescription> media = new ArrayList<>();
        for (int i = 0; i < sdp.media().size(); i++) {
            final MediaDescription m = media(sdp.media().get(i), rewrite,
                    Optional.ofNullable(rewrite.media().get(i)));
            media.add(sessionConnection ? m : connected(m, i, rewrite));
        }
        return new SessionDescription(session, media, sdp.trailer());
    }

    private static SdpLine common(SdpLine l, SdpRewrite rewrite) {
        if (l.type() == 'c' && rewrite.connection().isPresent()) {
            return l.withValue(rewrite.connection().get().value());
        }
        if (l.type() == 'o' && rewrite.origin().isPresent()) {
            final Origin o = Lines.checked(Origin::parse, l.value());
            final Connection to = rewrite.origin().get();
            return l.withValue(o.withAddress(to.addrType(), to.address()).value());
        }
        return l;
    }

    private static MediaDescription media(MediaDescription m, SdpRewrite rewrite,
            Optional<MediaRewrite> edit) {
        final List<SdpLine> out = new ArrayList<>();
        boolean directionDone = edit.flatMap(MediaRewrite::direction).isEmpty();
        boolean hasRtcp = false;
        boolean hasMux = false;
        for (SdpLine l : m.lines()) {
            if (rewrite.removeIce() && IceAttributes.is(l)) {
                continue;
            }
            SdpLine n = common(l, rewrite);
            if (edit.isPresent()) {
                final MediaRewrite e = edit.get();
                if (l.type() == 'm') {
                    MediaLine ml = Lines.checked(MediaLine::parse, l.value()).withPort(e.port());
                    ml = e.protocol().map(ml::withProtocol).orElse(ml);
                    n = l.withValue(ml.value());
                } else if (l.isAttribute("rtcp-mux") && e.rtcpMux().isPresent()) {
                    if (!e.rtcpMux().get() || hasMux) {
                        continue; // not wanted, or a second one
                    }
                    hasMux = true;
                } else if (l.isAttribute(RtcpAttribute.NAME)) {
                    hasRtcp = true;
                    n = rtcp(l, e, rewrite);
                } else if (e.direction().isPresent() && MediaDirection.of(l).isPresent()) {
                    if (directionDone) {
                        continue; // a second direction attribute: one is enough
                    }
                    n = l.withValue(e.direction().get().attribute());
                    directionDone = true;
                }
            }
            out.add(n);
        }
        if (edit.isPresent()) {
            final MediaRewrite e = edit.get();
            if (!hasRtcp && e.rtcpPort().isPresent() && e.rtcpPort().getAsInt() != e.port() + 1) {
                append(out, SdpLine.of('a', RtcpAttribute.NAME + ":" + e.rtcpPort().getAsInt()));
            }
            if (!directionDone) {
                append(out, SdpLine.of('a', e.direction().get().attribute()));
            }
            if (!hasMux && e.rtcpMux().orElse(false)) {
                append(out, SdpLine.of('a', "rtcp-mux"));
            }
        }
        return new MediaDescription(out);
    }

    /**
     * A stream enabled by the rewrite (a disabled one may have had no c=) needs a connection when
     * the session has none: the relay's, placed after m= and i= as RFC 8866 orders them.
     */
    private static MediaDescription connected(MediaDescription m, int index, SdpRewrite rewrite) {
        if (m.media().disabled() || m.connection().isPresent()) {
            return m;
        }
        final Connection c = rewrite.connection().orElseThrow(() -> new IllegalArgumentException(
                "media section " + index + " is enabled by the rewrite but has no connection, and"
                        + " neither the session nor the rewrite gives one"));
        final List<SdpLine> lines = new ArrayList<>(m.lines());
        int at = 1;
        while (at < lines.size() && lines.get(at).type() == 'i') {
            at++;
        }
        if (lines.get(at - 1).eol().isEmpty()) {
            final SdpLine last = lines.get(at - 1);
            lines.set(at - 1, new SdpLine(last.type(), last.value(), SdpLine.CRLF));
        }
        lines.add(at, SdpLine.of('c', c.value()));
        return new MediaDescription(lines);
    }

    /** Appends a line; a last line without an ending gets one first, or the two would merge. */
    private static void append(List<SdpLine> lines, SdpLine line) {
        final SdpLine last = lines.getLast();
        if (last.eol().isEmpty()) {
            lines.set(lines.size() - 1, new SdpLine(last.type(), last.value(), SdpLine.CRLF));
        }
        lines.add(line);
    }

    private static SdpLine rtcp(SdpLine l, MediaRewrite e, SdpRewrite rewrite) {
        final RtcpAttribute old = Lines.checked(RtcpAttribute::parse, l.attributeValue());
        final int port = e.rtcpPort().orElse(e.port());
        final Optional<Connection> address = old.connection().map(c -> rewrite.connection().orElse(c));
        return l.withValue(RtcpAttribute.NAME + ":" + new RtcpAttribute(port, address).value());
    }
}
