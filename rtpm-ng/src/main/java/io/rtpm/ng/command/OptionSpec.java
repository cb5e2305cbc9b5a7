package io.rtpm.ng.command;

import java.util.List;
import java.util.function.Function;

/**
 * What the catalog says of one ng key, flag or flag prefix.
 *
 * @param support   what rtpm does with it
 * @param note      why, or which values count: for the docs and the warning or error
 * @param spellings the spellings rtpengine documents (spaces for dashes; lower case also matches)
 */
public record OptionSpec(Support support, String note, List<String> spellings) {

    /** Copies the spellings. */
    public OptionSpec {
        spellings = List.copyOf(spellings);
    }

    /** @return a table of every spelling of every one of {@code values} */
    static <T> KeyTable<T> table(T[] values, Function<T, OptionSpec> spec) {
        final KeyTable<T> t = new KeyTable<>();
        for (T v : values) {
            t.add(v, spec.apply(v).spellings().toArray(String[]::new));
        }
        return t;
    }
}
