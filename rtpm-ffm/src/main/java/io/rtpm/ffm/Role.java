package io.rtpm.ffm;

import java.util.Set;

/**
 * What a session may do on a ring ({@code RTPM_ROLE_*}). A ring has at most one producer session
 * and one consumer session at a time; monitors are unlimited.
 */
public enum Role {
    /** Claims FREE slots, fills and pushes them, or releases them unpushed (abort). */
    PRODUCER(0x1),
    /** Pops READY slots, reads them and releases them. */
    CONSUMER(0x2),
    /** Reads stats and the ring header, maps read-only, polls. */
    MONITOR(0x4);

    private final int bits;

    Role(int bits) {
        this.bits = bits;
    }

    /** @return this role's {@code RTPM_ROLE_*} bit */
    public int bits() {
        return bits;
    }

    /**
     * @param roles some roles
     * @return their {@code RTPM_ROLE_*} bits or-ed together
     */
    public static int mask(Set<Role> roles) {
        int m = 0;
        for (Role r : roles) {
            m |= r.bits;
        }
        return m;
    }
}
