package io.rtpm.ng.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.rtpm.ng.bencode.BencodeDictionary;
import io.rtpm.ng.bencode.BencodeInteger;
import io.rtpm.ng.bencode.BencodeList;
import io.rtpm.ng.bencode.BencodeString;
import io.rtpm.ng.bencode.BencodeValue;
import io.rtpm.ng.bencode.DecodeException;
import io.rtpm.ng.bencode.DecodeLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;

/**
 * JSON ng bodies, mapped onto the bencode values: strings become their UTF-8 bytes, integers stay
 * integers, arrays lists, objects dictionaries. What bencode cannot say is refused: fractions,
 * {@code true}, {@code false}, {@code null}, and integers beyond 64 bits. Parsed by Jackson's
 * streaming parser (strict: duplicate keys refused) within the same {@link DecodeLimits} as
 * bencode. Replies write each string's bytes as UTF-8 text (a malformed sequence becomes U+FFFD:
 * JSON cannot carry raw bytes).
 */
final class JsonBody {

    private final JsonFactory factory;
    private final DecodeLimits limits;

    JsonBody(DecodeLimits limits) {
        this.limits = limits;
        this.factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .maxDocumentLength(limits.maxBytes())
                        .maxStringLength(limits.maxBytes())
                        .maxNumberLength(40)
                        .build())
                .build();
    }

    BencodeValue decode(byte[] data, int offset, int length) throws DecodeException {
        if (length > limits.maxBytes()) {
            throw new DecodeException(0, "message of " + length + " bytes exceeds the limit of "
                    + limits.maxBytes());
        }
        // RFC 8259 JSON is UTF-8 and holds no raw NUL; Jackson would otherwise guess UTF-16 or
        // UTF-32 from NULs among the first bytes
        for (int i = 0; i < length; i++) {
            if (data[offset + i] == 0) {
                throw new DecodeException(i, "NUL byte: a JSON body is UTF-8 text");
            }
        }
        try (JsonParser p = factory.createParser(data, offset, length)) {
            final int[] count = {0};
            final JsonToken first = p.nextToken();
            if (first == null) {
                throw new DecodeException(0, "empty JSON document");
            }
            final BencodeValue v = value(p, count);
            if (p.nextToken() != null) {
                throw new DecodeException(p.currentTokenLocation().getByteOffset(),
                        "data after the end of the top-level JSON value");
            }
            return v;
        } catch (StreamConstraintsException e) {
            throw new DecodeException(0, "JSON beyond the limits: " + e.getOriginalMessage());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            final long at = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getByteOffset());
            throw new DecodeException(at, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            // only the character decoding fails this way when reading from memory
            throw new DecodeException(0, "malformed JSON: " + e.getMessage());
        }
    }

    private BencodeValue value(JsonParser p, int[] count) throws IOException, DecodeException {
        if (++count[0] > limits.maxElements()) {
            throw new DecodeException(p.currentTokenLocation().getByteOffset(),
                    "more than " + limits.maxElements() + " values");
        }
        final JsonToken t = p.currentToken();
        switch (t) {
            case VALUE_STRING:
                return BencodeString.of(p.getText());
            case VALUE_NUMBER_INT:
                if (p.getNumberType() != JsonParser.NumberType.INT
                        && p.getNumberType() != JsonParser.NumberType.LONG) {
                    throw new DecodeException(p.currentTokenLocation().getByteOffset(),
                            "integer does not fit in 64 bits");
                }
                return new BencodeInteger(p.getLongValue());
            case START_ARRAY: {
                final ArrayList<BencodeValue> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(value(p, count));
                }
                return new BencodeList(items);
            }
            case START_OBJECT: {
                final BencodeDictionary.Builder b = BencodeDictionary.builder();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    final BencodeString key = BencodeString.of(p.currentName());
                    p.nextToken();
                    b.put(key, value(p, count));
                }
                return b.build();
            }
            default:
                throw new DecodeException(p.currentTokenLocation().getByteOffset(),
                        "JSON " + p.getText() + " has no ng meaning (strings, integers, arrays"
                                + " and objects only)");
        }
    }

    byte[] encode(BencodeValue value) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = factory.createGenerator(out)) {
            write(value, g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory", e);
        }
        return out.toByteArray();
    }

    private static void write(BencodeValue value, JsonGenerator g) throws IOException {
        switch (value) {
            case BencodeString s -> g.writeString(new String(s.bytes(), StandardCharsets.UTF_8));
            case BencodeInteger i -> g.writeNumber(i.value());
            case BencodeList l -> {
                g.writeStartArray();
                for (BencodeValue v : l.items()) {
                    write(v, g);
                }
                g.writeEndArray();
            }
            case BencodeDictionary d -> {
                g.writeStartObject();
                for (Map.Entry<BencodeString, BencodeValue> e : d.entries().entrySet()) {
                    g.writeFieldName(e.getKey().text());
                    write(e.getValue(), g);
                }
                g.writeEndObject();
            }
        }
    }
}
