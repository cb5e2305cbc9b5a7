package io.rtpm.ng.command;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Looks up ng keys, flags and values the way rtpengine's call_flags.c does: every spelling it
 * accepts is listed, and a space and a dash are the same everywhere ({@code "trust address"} is
 * {@code "trust-address"}). Case matters, as in rtpengine, except that the all-lower-case form of
 * each spelling is accepted too ({@code ICE} and {@code ice}, {@code SDES} and {@code sdes}),
 * which is how rtpengine lists its variants; other case mixes ({@code Ice}) are not matched.
 *
 * @param <T> what a spelling stands for
 */
final class KeyTable<T> {

    private final Map<String, T> bySpelling = new HashMap<>();

    /**
     * Adds {@code value} under each spelling, its dashed form and the lower-case form of both.
     *
     * @throws IllegalStateException if a spelling is taken already
     */
    KeyTable<T> add(T value, String... spellings) {
        for (String s : spellings) {
            for (String form : new String[] {normal(s), normal(s).toLowerCase(Locale.ROOT)}) {
                final T old = bySpelling.putIfAbsent(form, value);
                if (old != null && !old.equals(value)) {
                    throw new IllegalStateException("'" + form + "' stands for both " + old + " and " + value);
                }
            }
        }
        return this;
    }

    /** @return what {@code spelling} stands for */
    Optional<T> find(String spelling) {
        return Optional.ofNullable(bySpelling.get(normal(spelling)));
    }

    /** @return {@code s} with every space a dash */
    static String normal(String s) {
        return s.replace(' ', '-');
    }
}
