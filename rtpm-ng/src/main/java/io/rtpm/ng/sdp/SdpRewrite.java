package io.rtpm.ng.sdp;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the relay changes in a body; everything not named stays byte for byte. Build with
 * {@link #builder()}.
 *
 * @param connection where every {@code c=} line (session and media level) should point: the relay
 * @param origin     the address for the {@code o=} line ({@code replace: origin}), if any
 * @param removeIce  whether to strip the ICE attributes ({@code ICE: remove})
 * @param media      per media section (by 0-based index), what to change; sections not named are kept
 */
public record SdpRewrite(Optional<Connection> connection, Optional<Connection> origin,
        boolean removeIce, Map<Integer, MediaRewrite> media) {

    /** Copies the media map. */
    public SdpRewrite {
        media = Map.copyOf(media);
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects a rewrite. */
    public static final class Builder {
        private Connection connection;
        private Connection origin;
        private boolean removeIce;
        private final TreeMap<Integer, MediaRewrite> media = new TreeMap<>();

        private Builder() {
        }

        /** Points every {@code c=} line at {@code addrType address}. @return this builder */
        public Builder connection(String addrType, String address) {
            connection = Connection.internet(addrType, address);
            return this;
        }

        /** Puts {@code addrType address} in the {@code o=} line. @return this builder */
        public Builder origin(String addrType, String address) {
            origin = Connection.internet(addrType, address);
            return this;
        }

        /** Strips the ICE attributes. @return this builder */
        public Builder removeIce() {
            removeIce = true;
            return this;
        }

        /** Changes media section {@code index} (0-based). @return this builder */
        public Builder media(int index, MediaRewrite rewrite) {
            media.put(index, rewrite);
            return this;
        }

        /** @return the rewrite */
        public SdpRewrite build() {
            return new SdpRewrite(Optional.ofNullable(connection), Optional.ofNullable(origin),
                    removeIce, media);
        }
    }
}
