package io.rtpm.ng.bencode;

/** A bencoded integer ({@code i42e}); ng integers fit in 64 bits, larger ones are refused. */
public record BencodeInteger(long value) implements BencodeValue {

    @Override
    public String kind() {
        return "integer";
    }
}
