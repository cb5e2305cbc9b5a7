package io.rtpm.ng.sdp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A parsed SDP body (RFC 8866): the session-level lines, the media sections, and any empty lines
 * that ended the body, each byte as received. {@link #toBytes()} writes it back; for a body the
 * parser accepted, {@code SdpParser.parse(b).toBytes()} equals {@code b}.
 */
public final class SessionDescription {

    private final List<SdpLine> session;
    private final List<MediaDescription> media;
    private final String trailer;

    SessionDescription(List<SdpLine> session, List<MediaDescription> media, String trailer) {
        this.session = List.copyOf(session);
        this.media = List.copyOf(media);
        this.trailer = trailer;
    }

    /** @return the session-level lines, {@code v=} first */
    public List<SdpLine> sessionLines() {
        return session;
    }

    /** @return the media sections, in order */
    public List<MediaDescription> media() {
        return media;
    }

    /** @return the line endings of empty lines after the last line (kept, not meaningful) */
    public String trailer() {
        return trailer;
    }

    /** @return the {@code o=} line */
    public Origin origin() {
        return Lines.checked(Origin::parse, Lines.first(session, 'o').value());
    }

    /** @return the session-level {@code c=} line, if there is one */
    public Optional<Connection> connection() {
        final SdpLine c = Lines.first(session, 'c');
        return c == null ? Optional.empty() : Optional.of(Lines.checked(Connection::parse, c.value()));
    }

    /** @return the session-level direction attribute, if there is one */
    public Optional<MediaDirection> direction() {
        return Lines.direction(session);
    }

    /** @return the connection that applies to media section {@code index}: its own, else the session's */
    public Optional<Connection> connectionOf(int index) {
        return media.get(index).connection().or(this::connection);
    }

    /** @return the direction that applies to media section {@code index} (sendrecv when none is given) */
    public MediaDirection directionOf(int index) {
        return media.get(index).direction().or(this::direction).orElse(MediaDirection.SENDRECV);
    }

    /** @return whether any ICE attribute is present, at session or media level */
    public boolean hasIce() {
        return Lines.hasIce(session) || media.stream().anyMatch(MediaDescription::hasIce);
    }

    /** @return the body as bytes, every untouched line exactly as received */
    public byte[] toBytes() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        write(session, out);
        for (MediaDescription m : media) {
            write(m.lines(), out);
        }
        out.writeBytes(trailer.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static void write(List<SdpLine> lines, ByteArrayOutputStream out) {
        for (SdpLine l : lines) {
            out.write(l.type());
            out.write('=');
            out.writeBytes(l.value().getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(l.eol().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionDescription s && session.equals(s.session) && media.equals(s.media)
                && trailer.equals(s.trailer);
    }

    @Override
    public int hashCode() {
        return session.hashCode() * 31 + media.hashCode();
    }

    @Override
    public String toString() {
        return new String(toBytes(), StandardCharsets.ISO_8859_1);
    }
}
