package io.rtpm.rtp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One generated input of a property test: draws values from a {@link SplittableRandom} of its own
 * seed, leaning towards the values where bugs live (the ends of each range, empty and tiny sizes,
 * 0 and -1), the way a property-testing library's edge cases would.
 *
 * <p>{@link #forEach} runs a property over many cases, each seeded from a fixed root seed, so a
 * run is reproducible; a failing case names its seed, and {@code -Drtpm.seed=<hex>} replays that
 * case alone.
 */
public final class RandomCase {

    /** System property that replays one case seed (hex) instead of all of them. */
    public static final String REPLAY_PROPERTY = "rtpm.seed";

    /** One case in {@code EDGE_ODDS} draws a range's edge rather than a uniform value. */
    private static final int EDGE_ODDS = 6;

    private final SplittableRandom random;
    private final long seed;

    private RandomCase(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /**
     * Checks {@code property} over {@code count} cases whose seeds come from {@code rootSeed}, or
     * only over the case named by {@value #REPLAY_PROPERTY} when that is set.
     *
     * @param rootSeed fixes the run
     * @param count how many cases
     * @param property throws (an assertion or any exception) when a case breaks it
     * @throws AssertionError naming the failing case's seed, caused by what the property threw
     */
    public static void forEach(long rootSeed, int count, Consumer<RandomCase> property) {
        final String replay = System.getProperty(REPLAY_PROPERTY);
        if (replay != null && !replay.isBlank()) {
            check(Long.parseUnsignedLong(replay.strip(), 16), 0, 1, property);
            return;
        }
        final SplittableRandom seeds = new SplittableRandom(rootSeed);
        for (int i = 0; i < count; i++) {
            check(seeds.nextLong(), i, count, property);
        }
    }

    private static void check(long seed, int index, int count, Consumer<RandomCase> property) {
        try {
            property.accept(new RandomCase(seed));
        } catch (AssertionError | RuntimeException e) {
            final String hex = HexFormat.of().toHexDigits(seed);
            throw new AssertionError("case " + (index + 1) + " of " + count + " failed, seed "
                    + hex + " (replay it alone with -D" + REPLAY_PROPERTY + "=" + hex + "): "
                    + e, e);
        }
    }

    /**
     * This case's seed.
     *
     * @return the seed its values are drawn from
     */
    public long seed() {
        return seed;
    }

    /**
     * A coin toss.
     *
     * @return true or false, evenly
     */
    public boolean bool() {
        return random.nextBoolean();
    }

    /**
     * True once in {@code n} draws.
     *
     * @param n the odds, 1 or more
     * @return whether this draw hit
     */
    public boolean oneIn(int n) {
        return random.nextInt(n) == 0;
    }

    /**
     * An int in {@code [min, max]}: often one of min, min + 1, max - 1, max or 0 (when in range),
     * otherwise uniform.
     *
     * @param min the least value
     * @param max the greatest value, at least {@code min}
     * @return the value
     */
    public int intIn(int min, int max) {
        if (oneIn(EDGE_ODDS)) {
            final long v = switch (random.nextInt(5)) {
                case 0 -> min;
                case 1 -> min + 1L;
                case 2 -> max - 1L;
                case 3 -> max;
                default -> 0;
            };
            return Math.clamp(v, min, max);
        }
        return (int) random.nextLong(min, (long) max + 1);
    }

    /**
     * One of the given values, uniformly.
     *
     * @param values the choices
     * @return one of them
     */
    public int oneOf(int... values) {
        return values[random.nextInt(values.length)];
    }

    /**
     * Any int: often 0, 1, -1, {@link Integer#MIN_VALUE} or {@link Integer#MAX_VALUE}.
     *
     * @return the value
     */
    public int anyInt() {
        return oneIn(EDGE_ODDS) ? oneOf(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE)
                : random.nextInt();
    }

    /**
     * Any long: often 0, -1, {@link Long#MIN_VALUE} or {@link Long#MAX_VALUE}.
     *
     * @return the value
     */
    public long anyLong() {
        if (oneIn(EDGE_ODDS)) {
            return switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> -1;
                case 2 -> Long.MIN_VALUE;
                default -> Long.MAX_VALUE;
            };
        }
        return random.nextLong();
    }

    /**
     * A size in {@code [0, max]}: often 0..16 (each tiny size a parser special-cases), often
     * {@code max}, otherwise uniform.
     *
     * @param max the greatest size
     * @return the size
     */
    public int size(int max) {
        return switch (random.nextInt(8)) {
            case 0, 1 -> random.nextInt(Math.min(16, max) + 1);
            case 2 -> max;
            default -> random.nextInt(max + 1);
        };
    }

    /**
     * Bytes of a {@link #size} in {@code [0, maxLength]}, drawn like {@link #bytesOfLength}.
     *
     * @param maxLength the greatest length
     * @return the bytes
     */
    public byte[] bytes(int maxLength) {
        return bytesOfLength(size(maxLength));
    }

    /**
     * Bytes of exactly {@code length}: mostly random, sometimes all one edge value (0x00, 0x01,
     * 0x7F, 0x80 or 0xFF).
     *
     * @param length the length
     * @return the bytes
     */
    public byte[] bytesOfLength(int length) {
        final byte[] b = new byte[length];
        if (oneIn(EDGE_ODDS)) {
            Arrays.fill(b, (byte) oneOf(0x00, 0x01, 0x7F, 0x80, 0xFF));
        } else {
            random.nextBytes(b);
        }
        return b;
    }

    /**
     * A string of at most {@code maxUtf8Bytes} bytes in UTF-8 (often exactly that many, or none),
     * mixing 1-, 2-, 3- and 4-byte code points, so byte limits are hit with multi-byte text.
     *
     * @param maxUtf8Bytes the greatest UTF-8 length
     * @return the string
     */
    public String utf8(int maxUtf8Bytes) {
        final int budget = size(maxUtf8Bytes);
        final StringBuilder s = new StringBuilder();
        int used = 0;
        while (used < budget) {
            final int room = budget - used;
            // widest code point that fits, then maybe a narrower one: exact budgets stay reachable
            final int width = 1 + random.nextInt(Math.min(4, room));
            final int cp = switch (width) {
                case 1 -> random.nextInt(0x80);
                case 2 -> random.nextInt(0x80, 0x800);
                case 3 -> {
                    final int c = random.nextInt(0x800, 0x10000 - 0x800);
                    yield c < 0xD800 ? c : c + 0x800; // skip the surrogates
                }
                default -> random.nextInt(0x10000, 0x110000);
            };
            s.appendCodePoint(cp);
            used += width;
        }
        assert s.toString().getBytes(StandardCharsets.UTF_8).length == budget;
        return s.toString();
    }
}
