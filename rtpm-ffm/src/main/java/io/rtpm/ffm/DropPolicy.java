package io.rtpm.ffm;

/** What a claim does on a full ring ({@code RTPM_DROP_*}). */
public enum DropPolicy {
    /** The claim fails (the new packet is dropped by the producer); counts an overrun. */
    TAIL(0),
    /** The claim recycles the oldest READY slot; counts an overrun, a drop and a head drop. */
    HEAD(1);

    private final int code;

    DropPolicy(int code) {
        this.code = code;
    }

    /** @return the {@code RTPM_DROP_*} value */
    public int code() {
        return code;
    }

    /**
     * @param code an {@code RTPM_DROP_*} value
     * @return the policy
     * @throws IllegalArgumentException for an unknown code
     */
    public static DropPolicy of(int code) {
        return switch (code) {
            case 0 -> TAIL;
            case 1 -> HEAD;
            default -> throw new IllegalArgumentException("unknown drop policy " + code);
        };
    }
}
