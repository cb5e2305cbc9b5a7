package io.rtpm.rtp;

import java.util.Arrays;

/**
 * The RTP timestamp clock rate of each payload type: the static assignments of RFC 3551 section 6
 * (table 4 and 5), plus dynamic types (96..127, or any other) set by the application from its
 * signalling (SDP {@code a=rtpmap}). Immutable; {@link #with(int, int)} returns a copy.
 */
public final class PayloadClockRates {

    private static final PayloadClockRates RFC_3551 = new PayloadClockRates(rfc3551Table());

    private final int[] hz;

    private PayloadClockRates(int[] hz) {
        this.hz = hz;
    }

    /**
     * The static payload types of RFC 3551.
     *
     * @return the shared table
     */
    public static PayloadClockRates rfc3551() {
        return RFC_3551;
    }

    /**
     * A copy with {@code payloadType} mapped to {@code clockRate}.
     *
     * @param payloadType 0..127
     * @param clockRate in Hz, 1 or more
     * @return the new table
     */
    public PayloadClockRates with(int payloadType, int clockRate) {
        if ((payloadType & ~0x7F) != 0 || clockRate < 1) {
            throw new IllegalArgumentException("payload type " + payloadType
                    + " must be 0..127 and clock rate " + clockRate + " Hz at least 1");
        }
        final int[] copy = hz.clone();
        copy[payloadType] = clockRate;
        return new PayloadClockRates(copy);
    }

    /**
     * The clock rate of a payload type.
     *
     * @param payloadType 0..127
     * @return in Hz, or 0 when unknown (a dynamic type nobody configured)
     */
    public int clockRate(int payloadType) {
        return hz[payloadType & 0x7F];
    }

    private static int[] rfc3551Table() {
        final int[] t = new int[128];
        // RFC 3551 table 4 (audio)
        for (int pt : new int[] {0, 3, 4, 5, 7, 8, 9, 12, 13, 15, 18}) {
            t[pt] = 8000; // G.722 (9) samples at 16 kHz but RFC 3551 4.5.2 keeps 8000 for it
        }
        t[6] = 16000;
        t[10] = 44100;
        t[11] = 44100;
        t[14] = 90000;
        t[16] = 11025;
        t[17] = 22050;
        // RFC 3551 table 5 (video)
        for (int pt : new int[] {25, 26, 28, 31, 32, 33, 34}) {
            t[pt] = 90000;
        }
        return t;
    }

    @Override
    public String toString() {
        return "PayloadClockRates" + Arrays.toString(hz);
    }
}
