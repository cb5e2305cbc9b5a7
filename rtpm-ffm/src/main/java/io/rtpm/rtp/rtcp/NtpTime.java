package io.rtpm.rtp.rtcp;

import java.time.Instant;

/**
 * The 64-bit NTP timestamps of sender reports (RFC 3550 section 4): seconds since 1900-01-01 UTC
 * in the high 32 bits, the fraction of a second in the low 32. Era 0 only (until 2036), as RTP
 * peers read it; the arithmetic wraps like theirs.
 */
public final class NtpTime {

    /** Seconds from 1900-01-01 (NTP's epoch) to 1970-01-01 (Unix's). */
    public static final long EPOCH_OFFSET_SECONDS = 2_208_988_800L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private NtpTime() {
    }

    /**
     * Converts a wall-clock time.
     *
     * @param epochSecond seconds since 1970-01-01 UTC
     * @param nanos 0..999,999,999 within that second
     * @return the 32.32 NTP timestamp
     */
    public static long fromEpoch(long epochSecond, int nanos) {
        if (nanos < 0 || nanos >= NANOS_PER_SECOND) {
            throw new IllegalArgumentException("nanos " + nanos + " is not in 0..999999999");
        }
        // fraction = nanos * 2^32 / 1e9, rounded down; fits: nanos < 2^30, so the product < 2^62
        final long fraction = ((long) nanos << 32) / NANOS_PER_SECOND;
        return (epochSecond + EPOCH_OFFSET_SECONDS) << 32 | fraction;
    }

    /**
     * Converts an instant.
     *
     * @param t the wall-clock time
     * @return the 32.32 NTP timestamp
     */
    public static long from(Instant t) {
        return fromEpoch(t.getEpochSecond(), t.getNano());
    }

    /**
     * Converts back to an instant (era 0: 1900 to 2036).
     *
     * @param ntp a 32.32 NTP timestamp
     * @return the instant, to the nanosecond rounded down
     */
    public static Instant toInstant(long ntp) {
        final long seconds = (ntp >>> 32) - EPOCH_OFFSET_SECONDS;
        final long nanos = ((ntp & 0xFFFF_FFFFL) * NANOS_PER_SECOND) >>> 32;
        return Instant.ofEpochSecond(seconds, nanos);
    }
}
