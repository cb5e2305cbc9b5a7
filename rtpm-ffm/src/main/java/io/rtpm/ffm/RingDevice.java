package io.rtpm.ffm;

import java.util.EnumSet;
import java.util.Set;

/**
 * The control side of the rings: open it, configure, start and stop rings, read their stats,
 * and attach sessions for the data path. Rings outlive the process: one process can configure a
 * ring, another stream through it and a third read its stats.
 *
 * <p>Thread-safe: the control calls may come from any thread. Each {@link #attach} opens an
 * independent {@link RingSession}; closing the device does not close its sessions.
 *
 * <pre>{@code
 * try (RingDevice dev = RingDevice.open(Backend.AUTO)) {
 *     dev.configure(RingConfig.of(0, 10, 1500));
 *     dev.start(0);
 *     try (RingSession tx = dev.attach(0, Role.PRODUCER)) {
 *         Slot s = tx.claim();
 *         if (s != null) {
 *             MemorySegment.copy(packet, 0, s.payload(), 0, packet.byteSize());
 *             tx.push(s, (int) packet.byteSize());
 *         }
 *     }
 * }
 * }</pre>
 */
public interface RingDevice extends AutoCloseable {

    /** The device node of the kernel module. */
    String DEVICE_PATH = "/dev/rtp_mgr";

    /**
     * Opens a backend. {@link Backend#AUTO} picks the kernel module when {@value #DEVICE_PATH}
     * exists and the user-space ring otherwise; {@link #backend()} tells which one runs.
     *
     * @param backend which backend
     * @return the open device
     * @throws DeviceNotFoundException when {@link Backend#KERNEL} is asked for and the module is not loaded
     * @throws PermissionDeniedException when the device may not be opened
     * @throws AbiMismatchException when the provider's ABI does not serve this library
     */
    static RingDevice open(Backend backend) {
        return Backends.open(backend);
    }

    /**
     * Opens a backend with the kernel module's node at another path (e.g. in a container or a
     * test). {@link Backend#AUTO} picks the kernel module when {@code devicePath} exists.
     *
     * @param backend which backend
     * @param devicePath the node of the kernel module; ignored by {@link Backend#SHM}
     * @return the open device
     * @throws DeviceNotFoundException when {@link Backend#KERNEL} is asked for and the node is missing
     * @throws PermissionDeniedException when the device may not be opened
     * @throws AbiMismatchException when the provider's ABI does not serve this library
     */
    static RingDevice open(Backend backend, String devicePath) {
        return Backends.open(backend, devicePath);
    }

    /** @return the backend that runs (never {@link Backend#AUTO}) */
    Backend backend();

    /** @return the provider's ABI version and limits */
    RingInfo info();

    /**
     * Allocates (or replaces) a ring's memory; resets its counters; leaves it stopped.
     *
     * @param config the ring and its shape
     * @throws InvalidArgumentException naming the field out of the {@link #info()} limits
     * @throws RingBusyException when sessions are attached, it is mapped, or it is running
     * @throws RingMemoryException when over a memory cap
     */
    void configure(RingConfig config);

    /**
     * Frees a ring's memory.
     *
     * @param ringId the ring
     * @throws RingNotConfiguredException when it has none
     * @throws RingBusyException when sessions are attached or it is mapped
     */
    void unconfigure(int ringId);

    /**
     * @param ringId the ring
     * @return its layout
     * @throws RingNotConfiguredException when it is not configured
     */
    RingLayout layout(int ringId);

    /**
     * Runs a ring; READY slots left from an earlier run are discarded (counted in flushed).
     * Idempotent.
     *
     * @param ringId the ring
     * @throws RingNotConfiguredException when it is not configured
     */
    void start(int ringId);

    /**
     * Stops a ring: claim and push fail, pop drains what is READY. Idempotent.
     *
     * @param ringId the ring
     * @throws RingNotConfiguredException when it is not configured
     */
    void stop(int ringId);

    /**
     * @param ringId the ring (configured or not)
     * @return one consistent snapshot of its counters
     */
    RingStats stats(int ringId);

    /**
     * Zeroes the counters, keeping the invariants (see docs/ABI.md).
     *
     * @param ringId the ring
     */
    void resetStats(int ringId);

    /**
     * Attaches a new session to a configured ring.
     *
     * @param ringId the ring
     * @param roles at least one role; one PRODUCER and one CONSUMER session per ring at most
     * @return the session
     * @throws RingBusyException when the producer or consumer role is taken
     * @throws RingNotConfiguredException when the ring is not configured
     */
    RingSession attach(int ringId, Set<Role> roles);

    /**
     * Attaches with the given roles.
     *
     * @param ringId the ring
     * @param first a role
     * @param more more roles
     * @return the session
     */
    default RingSession attach(int ringId, Role first, Role... more) {
        return attach(ringId, EnumSet.of(first, more));
    }

    /** Closes the control handle; sessions stay open. Idempotent. */
    @Override
    void close();
}
