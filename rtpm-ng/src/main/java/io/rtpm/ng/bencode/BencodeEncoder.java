package io.rtpm.ng.bencode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;

/**
 * Writes values in canonical bencode (BEP 3): dictionary keys sorted by their raw bytes, so equal
 * values always encode to equal bytes. Stateless and thread-safe.
 */
public final class BencodeEncoder {

    private BencodeEncoder() {
    }

    /** @return {@code value} in bencode */
    public static byte[] encode(BencodeValue value) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(value, out);
        return out.toByteArray();
    }

    /** Appends {@code value} in bencode to {@code out}. */
    public static void write(BencodeValue value, ByteArrayOutputStream out) {
        switch (value) {
            case BencodeString s -> {
                ascii(Integer.toString(s.length()), out);
                out.write(':');
                s.writeTo(out);
            }
            case BencodeInteger i -> {
                out.write('i');
                ascii(Long.toString(i.value()), out);
                out.write('e');
            }
            case BencodeList l -> {
                out.write('l');
                for (BencodeValue v : l.items()) {
                    write(v, out);
                }
                out.write('e');
            }
            case BencodeDictionary d -> {
                out.write('d');
                final ArrayList<Map.Entry<BencodeString, BencodeValue>> sorted =
                        new ArrayList<>(d.entries().entrySet());
                sorted.sort(Map.Entry.comparingByKey());
                for (Map.Entry<BencodeString, BencodeValue> e : sorted) {
                    write(e.getKey(), out);
                    write(e.getValue(), out);
                }
                out.write('e');
            }
        }
    }

    private static void ascii(String s, ByteArrayOutputStream out) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
