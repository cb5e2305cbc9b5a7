package io.rtpm.srtp;

/**
 * What one {@link SrtpSession} has done: packets protected and unprotected, and packets dropped
 * by cause. Written by the session's one thread; plain fields, read them on that thread or after
 * it has handed the session over.
 */
public final class SrtpCounters {

    private long protectedPackets;
    private long unprotectedPackets;
    private final long[] dropped = new long[SrtpStatus.COUNT];

    int count(int status, boolean protect) {
        if (status >= 0) {
            if (protect) {
                protectedPackets++;
            } else {
                unprotectedPackets++;
            }
        } else {
            dropped[-status - 1]++;
        }
        return status;
    }

    /** @return packets protected (SRTP and SRTCP) */
    public long protectedPackets() {
        return protectedPackets;
    }

    /** @return packets unprotected (SRTP and SRTCP) */
    public long unprotectedPackets() {
        return unprotectedPackets;
    }

    /**
     * Packets dropped for one cause.
     *
     * @param status one of {@link SrtpStatus}'s constants
     * @return how many
     */
    public long dropped(int status) {
        return dropped[-status - 1];
    }

    /** @return e.g. {@code protected=3 unprotected=2 auth_failed=1} (zero causes left out) */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("protected=").append(protectedPackets)
                .append(" unprotected=").append(unprotectedPackets);
        for (int i = 0; i < dropped.length; i++) {
            if (dropped[i] != 0) {
                b.append(' ').append(SrtpStatus.name(-i - 1)).append('=').append(dropped[i]);
            }
        }
        return b.toString();
    }
}
