/**
 * {@link io.rtpm.ffm.Backend#SHM}: the user-space ring, with the rtp_mgr module's exact semantics
 * (docs/ABI.md; the rules are ported step for step from kernel-module/rtp_mgr_ring.h), over files
 * in a shared-memory directory so separate processes share rings as they do through the module.
 *
 * <p>What lives where:
 * <ul>
 * <li>{@link io.rtpm.ffm.shm.ShmRingDevice}, {@link io.rtpm.ffm.shm.ShmRingSession}: the public
 *     API over the ring.</li>
 * <li>{@code ShmRings}: the directory of ring files; configure (write a new file, rename it in),
 *     the module's limits, the per-ring admin lock.</li>
 * <li>{@code ShmLayout}, {@code ShmGeometry}: the file layout. Its first {@code mmap_size} bytes
 *     are exactly the module's mapping (header, then slots of meta line + payload), so slot views
 *     are identical for both backends; the control region the module keeps in kernel memory
 *     follows.</li>
 * <li>{@code ShmRing}: claim/push/pop/release, start/stop/flush, stats, reset, session end.</li>
 * <li>{@code RtpTracker}: RFC 3550 A.1 tracking on push, as the module does it.</li>
 * <li>{@code RingLock}, {@code Journal}, {@code ShmHandle}: crash safety. A robust futex lock
 *     whose dead owner is detected through OFD record locks, and an undo journal that makes each
 *     step (a batch call's chunk of up to 64 slot transitions) one atomic commit, so kill -9 at any
 *     instruction leaves a consistent ring.</li>
 * </ul>
 *
 * <p>Trust: every process mapping a ring file can write all of it; the backend protects rings
 * from crashes of their users, not from hostile users (that is what the module is for).
 */
package io.rtpm.ffm.shm;
