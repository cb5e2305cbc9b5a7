package io.rtpm.ffm;

/** Which implementation of the ring a {@link RingDevice} drives. */
public enum Backend {
    /** The rtp_mgr kernel module through {@code /dev/rtp_mgr}. */
    KERNEL,
    /** The user-space ring over shared memory, with the module's semantics. */
    SHM,
    /** {@link #KERNEL} when {@code /dev/rtp_mgr} exists, else {@link #SHM}. */
    AUTO
}
