package io.rtpm.ng.bencode;

import java.util.List;

/** A bencoded list ({@code l...e}). */
public record BencodeList(List<BencodeValue> items) implements BencodeValue {

    /** Copies {@code items} into an unmodifiable list. */
    public BencodeList {
        items = List.copyOf(items);
    }

    /** @return a list of these values */
    public static BencodeList of(BencodeValue... items) {
        return new BencodeList(List.of(items));
    }

    @Override
    public String kind() {
        return "list";
    }
}
