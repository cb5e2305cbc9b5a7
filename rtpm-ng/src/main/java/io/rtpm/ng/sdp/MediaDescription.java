package io.rtpm.ng.sdp;

import java.util.List;
import java.util.Optional;

/**
 * One media section: its {@code m=} line and every line up to the next {@code m=}, exactly as
 * received. The typed accessors read the lines the relay cares about.
 */
public final class MediaDescription {

    private final List<SdpLine> lines;

    MediaDescription(List<SdpLine> lines) {
        this.lines = List.copyOf(lines);
    }

    /** @return every line, the {@code m=} line first */
    public List<SdpLine> lines() {
        return lines;
    }

    /** @return the {@code m=} line */
    public MediaLine media() {
        return Lines.checked(MediaLine::parse, lines.get(0).value());
    }

    /** @return the media-level {@code c=} line, if there is one */
    public Optional<Connection> connection() {
        final SdpLine c = Lines.first(lines, 'c');
        return c == null ? Optional.empty() : Optional.of(Lines.checked(Connection::parse, c.value()));
    }

    /** @return the {@code a=rtcp} attribute, if there is one */
    public Optional<RtcpAttribute> rtcp() {
        final SdpLine a = Lines.firstAttribute(lines, RtcpAttribute.NAME);
        return a == null ? Optional.empty()
                : Optional.of(Lines.checked(RtcpAttribute::parse, a.attributeValue()));
    }

    /** @return whether {@code a=rtcp-mux} (RFC 5761) is present */
    public boolean rtcpMux() {
        return Lines.firstAttribute(lines, "rtcp-mux") != null;
    }

    /** @return the media-level direction attribute, if there is one */
    public Optional<MediaDirection> direction() {
        return Lines.direction(lines);
    }

    /** @return the {@code a=rtpmap} attributes, in order */
    public List<RtpMap> rtpMaps() {
        return Lines.attributes(lines, RtpMap.NAME, RtpMap::parse);
    }

    /** @return the values of the {@code a=fmtp} attributes ({@code <format> <parameters>}), in order */
    public List<String> fmtps() {
        return Lines.attributes(lines, "fmtp", (value, line) -> value);
    }

    /** @return the {@code a=crypto} attributes (SDES keys), in order */
    public List<CryptoAttribute> cryptos() {
        return Lines.attributes(lines, CryptoAttribute.NAME, CryptoAttribute::parse);
    }

    /** @return whether any ICE attribute is present in this section */
    public boolean hasIce() {
        return Lines.hasIce(lines);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MediaDescription m && lines.equals(m.lines);
    }

    @Override
    public int hashCode() {
        return lines.hashCode();
    }

    @Override
    public String toString() {
        return lines.toString();
    }
}
