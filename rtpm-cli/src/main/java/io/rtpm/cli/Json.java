package io.rtpm.cli;

/**
 * A one-line JSON object writer for NDJSON output: keys in insertion order, numbers, booleans,
 * strings, nested objects and arrays of objects. Enough for rtpm's records; no reflection.
 */
final class Json {

    private final StringBuilder sb = new StringBuilder("{");
    private boolean first = true;

    static Json object() {
        return new Json();
    }

    private Json key(String k) {
        if (!first) {
            sb.append(',');
        }
        first = false;
        quote(sb, k);
        sb.append(':');
        return this;
    }

    Json put(String k, long v) {
        key(k).sb.append(v);
        return this;
    }

    Json put(String k, double v) {
        key(k);
        if (Double.isFinite(v)) {
            sb.append(Math.round(v * 1000.0) / 1000.0);
        } else {
            sb.append("null");
        }
        return this;
    }

    Json put(String k, boolean v) {
        key(k).sb.append(v);
        return this;
    }

    Json put(String k, String v) {
        key(k);
        if (v == null) {
            sb.append("null");
        } else {
            quote(sb, v);
        }
        return this;
    }

    Json put(String k, Json v) {
        key(k).sb.append(v);
        return this;
    }

    Json put(String k, Iterable<Json> items) {
        key(k).sb.append('[');
        boolean f = true;
        for (Json j : items) {
            if (!f) {
                sb.append(',');
            }
            f = false;
            sb.append(j);
        }
        sb.append(']');
        return this;
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return sb + "}";
    }
}
