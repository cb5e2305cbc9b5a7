package io.rtpm.ng.bencode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A bencoded dictionary ({@code d...e}) with byte-string keys, kept in arrival order: rtpengine and
 * Kamailio do not sort keys, so the decoder accepts any order (but no key twice) and the encoder
 * sorts them as BEP 3 asks. Build one with {@link #builder()}.
 */
public final class BencodeDictionary implements BencodeValue {

    private final Map<BencodeString, BencodeValue> entries;

    private BencodeDictionary(Map<BencodeString, BencodeValue> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the entries, in arrival order */
    public Map<BencodeString, BencodeValue> entries() {
        return entries;
    }

    /** @return the value under the exact key {@code key} (UTF-8) */
    public Optional<BencodeValue> get(String key) {
        return Optional.ofNullable(entries.get(BencodeString.of(key)));
    }

    @Override
    public String kind() {
        return "dictionary";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BencodeDictionary d && entries.equals(d.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }

    /** Collects entries; a key put twice keeps its first place and takes the last value. */
    public static final class Builder {
        private final LinkedHashMap<BencodeString, BencodeValue> entries = new LinkedHashMap<>();

        private Builder() {
        }

        /** @return whether {@code key} is present already */
        public boolean contains(BencodeString key) {
            return entries.containsKey(key);
        }

        /** Puts {@code key -> value}. @return this builder */
        public Builder put(BencodeString key, BencodeValue value) {
            entries.put(key, value);
            return this;
        }

        /** Puts a key given as UTF-8 text. @return this builder */
        public Builder put(String key, BencodeValue value) {
            return put(BencodeString.of(key), value);
        }

        /** Puts a UTF-8 text value. @return this builder */
        public Builder put(String key, String value) {
            return put(BencodeString.of(key), BencodeString.of(value));
        }

        /** Puts an integer value. @return this builder */
        public Builder put(String key, long value) {
            return put(BencodeString.of(key), new BencodeInteger(value));
        }

        /** @return the dictionary; the builder may go on to build another */
        public BencodeDictionary build() {
            return new BencodeDictionary(new LinkedHashMap<>(entries));
        }
    }
}
