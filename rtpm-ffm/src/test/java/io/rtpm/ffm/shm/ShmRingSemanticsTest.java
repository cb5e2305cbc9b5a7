package io.rtpm.ffm.shm;

import io.rtpm.ffm.Backend;
import io.rtpm.ffm.DropPolicy;
import io.rtpm.ffm.InvalidArgumentException;
import io.rtpm.ffm.InvalidSlotException;
import io.rtpm.ffm.PermissionDeniedException;
import io.rtpm.ffm.RingBusyException;
import io.rtpm.ffm.RingConfig;
import io.rtpm.ffm.RingNotConfiguredException;
import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.RingStats;
import io.rtpm.ffm.RingStoppedException;
import io.rtpm.ffm.Role;
import io.rtpm.ffm.Slot;
import io.rtpm.ffm.SlotBatch;
import io.rtpm.ffm.internal.Errno;

import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module's rules (docs/ABI.md, kernel-module/rtp_mgr_ring.h) on the user-space ring, in one
 * process: states, roles, errors, counters and their invariants after every scenario.
 */
class ShmRingSemanticsTest {

    private ShmDir dir;
    private ShmRingDevice dev;

    @BeforeEach
    void open() {
        dir = new ShmDir();
        dev = ShmRingDevice.open(dir.path);
    }

    @AfterEach
    void close() {
        dev.close();
        dir.close();
    }

    private RingStats stats() {
        RingStats s = dev.stats(0);
        assertNull(s.invariantViolation(), () -> s.toString());
        return s;
    }

    private void checkSlots(RingSession s) {
        assertNull(((ShmRingSession) s).ring().checkStates());
    }

    @Test
    void infoReportsTheModuleLimitsAndShmBackend() {
        var info = dev.info();
        assertEquals(Backend.SHM, info.backend());
        assertEquals(16, info.maxRings());
        assertEquals(1, info.orderMin());
        assertEquals(16, info.orderMax());
        assertEquals(12, info.payloadMin());
        assertEquals(65507, info.payloadMax());
        assertEquals(1024, info.batchMax());
        assertEquals(256, info.headerSize());
        assertEquals(64, info.slotMetaSize());
        assertEquals(0, info.usedTotalBytes());
        dev.configure(RingConfig.of(3, 4, 100));
        assertEquals(dev.layout(3).mmapSize(), dev.info().usedTotalBytes());
    }

    @Test
    void layoutFollowsTheModuleStrideRule() {
        dev.configure(RingConfig.of(0, 3, 1500));
        var l = dev.layout(0);
        assertEquals(8, l.slotCount());
        // meta line + payload, rounded up to a cache line
        assertEquals(64 + 1536, l.slotStride());
        assertEquals(4096, l.slotsOffset());
        assertEquals(0, l.mmapSize() % 4096);
        assertTrue(l.mmapSize() >= 4096 + 8L * l.slotStride());
        assertEquals(DropPolicy.TAIL, l.dropPolicy());
        assertTrue(l.rtpTracking());
    }

    @Test
    void configureRejectsWhatTheModuleRejects() {
        assertThrows(InvalidArgumentException.class, () -> dev.configure(RingConfig.of(16, 4, 100)));
        assertThrows(InvalidArgumentException.class, () -> dev.configure(RingConfig.of(0, 0, 100)));
        assertThrows(InvalidArgumentException.class, () -> dev.configure(RingConfig.of(0, 17, 100)));
        assertThrows(InvalidArgumentException.class, () -> dev.configure(RingConfig.of(0, 4, 11)));
        assertThrows(InvalidArgumentException.class, () -> dev.configure(RingConfig.of(0, 4, 65508)));
        var big = assertThrows(io.rtpm.ffm.RingMemoryException.class,
                () -> dev.configure(RingConfig.of(0, 16, 65507)));
        assertEquals(Errno.E2BIG, big.errno());
        // 65536 slots of stride 1024 plus the header page are one page over 64 MiB; stride 960 fits
        assertThrows(io.rtpm.ffm.RingMemoryException.class, () -> dev.configure(RingConfig.of(0, 16, 897)));
        dev.configure(RingConfig.of(0, 16, 896));
        assertEquals(65536, dev.stats(0).slotCount());
    }

    @Test
    void unconfiguredRingHasStatsButNoLayoutOrSessions() {
        RingStats s = dev.stats(5);
        assertFalse(s.configured());
        assertEquals(0, s.slotCount());
        assertThrows(RingNotConfiguredException.class, () -> dev.layout(5));
        assertThrows(RingNotConfiguredException.class, () -> dev.attach(5, Role.PRODUCER));
        assertThrows(RingNotConfiguredException.class, () -> dev.start(5));
        assertThrows(RingNotConfiguredException.class, () -> dev.unconfigure(5));
    }

    @Test
    void aDamagedRingFileIsRefusedNotMappedAndConfigureReplacesIt() throws Exception {
        dev.configure(RingConfig.of(0, 4, 200));
        java.nio.file.Path f = dir.path.resolve("rtpm-0");
        // truncated: mapping it whole would fault on access
        try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(8192);
        }
        var e = assertThrows(io.rtpm.ffm.RtpmException.class, () -> dev.attach(0, Role.MONITOR));
        assertTrue(e.getMessage().contains("configure the ring again"), e.getMessage());
        java.nio.file.Files.write(f, new byte[100]);
        assertThrows(io.rtpm.ffm.RtpmException.class, () -> dev.stats(0));
        dev.configure(RingConfig.of(0, 4, 200));
        assertEquals(16, stats().free());
    }

    @Test
    void configureLeavesTheRingStoppedWithEverySlotFree() throws Exception {
        dev.configure(RingConfig.of(0, 4, 200));
        RingStats s = stats();
        assertTrue(s.configured());
        assertFalse(s.running());
        assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(dir.path.resolve("rtpm-0"))),
                "the group shares rings whatever the umask");
        assertEquals(16, s.free());
        assertEquals(0, s.pushed());
    }

    @Test
    @SuppressWarnings("try")
    void oneProducerOneConsumerManyMonitors() {
        dev.configure(RingConfig.of(0, 2, 100));
        try (RingSession p = dev.attach(0, Role.PRODUCER);
                RingSession m1 = dev.attach(0, Role.MONITOR);
                RingSession m2 = dev.attach(0, Role.MONITOR)) {
            var e = assertThrows(RingBusyException.class, () -> dev.attach(0, Role.PRODUCER));
            assertEquals(Errno.EBUSY, e.errno());
            try (RingSession c = dev.attach(0, Role.CONSUMER)) {
                assertThrows(RingBusyException.class, () -> dev.attach(0, Role.CONSUMER, Role.MONITOR));
                assertEquals(4, stats().sessions());
            }
            assertEquals(3, stats().sessions());
        }
        // roles are free again once the sessions are gone
        try (RingSession pc = dev.attach(0, Role.PRODUCER, Role.CONSUMER)) {
            assertEquals(1, stats().sessions());
        }
    }

    @Test
    @SuppressWarnings("try")
    void busyRingCannotBeReconfiguredOrUnconfigured() {
        dev.configure(RingConfig.of(0, 2, 100));
        try (RingSession m = dev.attach(0, Role.MONITOR)) {
            assertThrows(RingBusyException.class, () -> dev.configure(RingConfig.of(0, 3, 100)));
            assertThrows(RingBusyException.class, () -> dev.unconfigure(0));
        }
        dev.start(0);
        assertThrows(RingBusyException.class, () -> dev.configure(RingConfig.of(0, 3, 100)));
        dev.stop(0);
        dev.configure(RingConfig.of(0, 3, 100));
        assertEquals(8, stats().slotCount());
        dev.unconfigure(0);
        assertFalse(dev.stats(0).configured());
    }

    @Test
    void aMonitorMapsReadOnlyAndSeesTheHeaderTheRingWrites() {
        dev.configure(RingConfig.of(0, 2, 100));
        dev.start(0);
        try (RingSession p = dev.attach(0, Role.PRODUCER); RingSession m = dev.attach(0, Role.MONITOR)) {
            var h = m.map();
            assertTrue(h.isReadOnly());
            assertEquals(1, stats().mappings(), "map() counts as a mapping");
            assertThrows(IllegalArgumentException.class, () -> h.set(ValueLayout.JAVA_INT, 0, 1));
            p.push(p.claim(), 40);
            // the header mirror at the module's offsets
            assertEquals(ShmLayout.RING_MAGIC, h.get(ValueLayout.JAVA_INT, ShmLayout.H_MAGIC));
            assertEquals(1, h.get(ValueLayout.JAVA_LONG, ShmLayout.H_PUSHED));
            assertEquals(40, h.get(ValueLayout.JAVA_LONG, ShmLayout.H_BYTES_IN));
            assertEquals(1, h.get(ValueLayout.JAVA_INT, ShmLayout.H_READY));
            assertEquals(3, h.get(ValueLayout.JAVA_INT, ShmLayout.H_FREE));
            assertEquals(ShmRing.STATE_RUNNING, h.get(ValueLayout.JAVA_INT, ShmLayout.H_STATE));
            assertEquals(dev.layout(0).mmapSize(), h.byteSize());
            assertEquals(2, stats().mappings());
        }
        assertEquals(0, stats().mappings());
    }

    @Test
    void streamsThroughClaimPushPopRelease() {
        dev.configure(RingConfig.of(0, 3, 100));
        dev.start(0);
        try (RingSession p = dev.attach(0, Role.PRODUCER); RingSession c = dev.attach(0, Role.CONSUMER)) {
            for (int n = 0; n < 20; n++) {
                Slot s = p.claim();
                assertNotNull(s);
                assertEquals(0, s.length());
                assertEquals(ShmRing.SLOT_FILLING, s.metaState());
                s.payload().set(ValueLayout.JAVA_INT, 0, n);
                s.userTag(1000 + n);
                p.push(s, 4 + n);
                assertEquals(ShmRing.SLOT_READY, s.metaState());
                Slot r = c.pop();
                assertEquals(s.index(), r.index());
                assertEquals(s.payload().address() - p.map().address(),
                        r.payload().address() - c.map().address(), "same offset in both mappings");
                assertEquals(4 + n, r.length());
                assertEquals(n, r.payload().get(ValueLayout.JAVA_INT, 0));
                assertEquals(1000 + n, r.userTag());
                assertEquals(Slot.META_NOT_RTP, r.rtpFlags());
                assertTrue(r.pushNanos() > 0 && r.pushNanos() <= System.nanoTime());
                c.release(r);
                assertEquals(ShmRing.SLOT_FREE, r.metaState());
            }
            RingStats s = stats();
            assertEquals(20, s.pushed());
            assertEquals(20, s.popped());
            assertEquals(20, s.released());
            assertEquals(20L * 4 + 190, s.bytesIn());
            assertEquals(s.bytesIn(), s.bytesOut());
            assertEquals(20, s.rtpNotRtp());
            assertEquals(2, s.mappings());
            checkSlots(p);
        }
    }

    @Test
    void tailDropFailsTheClaimAndCountsAnOverrunThenReportedDrops() {
        dev.configure(RingConfig.of(0, 1, 100));
        dev.start(0);
        try (RingSession p = dev.attach(0, Role.PRODUCER)) {
            p.push(p.claim(), 10);
            p.push(p.claim(), 10);
            assertNull(p.claim());
            assertNull(p.claim());
            SlotBatch b = p.newBatch(4);
            assertEquals(0, p.claim(b, 4, 7));
            RingStats s = stats();
            assertEquals(3, s.overruns());
            assertEquals(7, s.drops());
            assertEquals(0, s.headDrops());
            assertEquals(2, s.ready());
            assertFalse(p.awaitWritable(0, TimeUnit.MILLISECONDS));
        }
    }

    /**
     * Runs {@code pass} (of {@code rounds} steps) up to 8 times on this thread, until one pass
     * allocates less than a byte per step: until the JIT has compiled the path, the interpreter
     * allocates.
     *
     * @return the fewest bytes one pass allocated
     */
    private static long leastAllocated(int rounds, Runnable pass) {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long allocated = Long.MAX_VALUE;
        for (int n = 0; n < 8 && allocated >= rounds; n++) {
            long before = threads.getThreadAllocatedBytes(tid);
            pass.run();
            allocated = Math.min(allocated, threads.getThreadAllocatedBytes(tid) - before);
        }
        return allocated;
    }

    @Test
    @SuppressWarnings("try")
    void claimsOnAFullRingLookForDeadSessionsWithoutAllocating() {
        dev.configure(RingConfig.of(0, 1, 100));
        dev.start(0);
        try (RingSession p = dev.attach(0, Role.PRODUCER); RingSession m = dev.attach(0, Role.MONITOR)) {
            p.push(p.claim(), 1);
            p.push(p.claim(), 1);
            int rounds = 20_000;
            long[] passes = new long[1];
            long allocated = leastAllocated(rounds, () -> {
                passes[0]++;
                for (int i = 0; i < rounds; i++) {
                    assertNull(p.claim());
                }
            });
            assertTrue(allocated < rounds, "allocated " + allocated + " bytes over " + rounds + " claims");
            assertEquals(passes[0] * rounds, stats().overruns());
            assertEquals(2, stats().sessions(), "the live monitor was checked, not reclaimed");
        }
    }

    @Test
    void headDropRecyclesTheOldestReadySlot() {
        dev.configure(RingConfig.of(0, 1, 100).withDropPolicy(DropPolicy.HEAD));
        dev.start(0);
        try (RingSession p = dev.attach(0, Role.PRODUCER); RingSession c = dev.attach(0, Role.CONSUMER)) {
            Slot a = p.claim();
            p.push(a, 1);
            Slot b = p.claim();
            p.push(b, 2);
            assertTrue(p.awaitWritable(0, TimeUnit.MILLISECONDS));
            Slot again = p.claim();
            assertSame(a, again, "the oldest READY slot is recycled");
            RingStats s = stats();
            assertEquals(1, s.headDrops());
            assertEquals(1, s.drops());
            assertEquals(1, s.overruns());
            assertEquals(1, s.filling());
            assertEquals(1, s.ready());
            assertEquals(b.index(), c.pop().index());
            // no FREE and no READY slot: fails like TAIL
            p.push(again, 3);
            Slot d = p.claim();
            assertSame(a, d);
            assertNull(p.claim());
            assertEquals(3, stats().overruns());
        }
    }

    @Test
    void stopRefusesClaimAndPushButDrainsPopsAndReleases() {
        dev.configure(RingConfig.of(0, 2, 100));
        dev.start(0);
        try (RingSession p = dev.attach(0, Role.PRODUCER); RingSession c = dev.attach(0, Role.CONSUMER)) {
            p.push(p.claim(), 5);
            Slot held = p.claim();
            dev.stop(0);
            dev.stop(0);
            assertThrows(RingStoppedException.class, p::claim);
            var e = assertThrows(RingStoppedException.class, () -> p.push(held, 1));
            assertEquals(Errno.EPIPE, e.errno());
            assertTrue(c.awaitReadable(0, TimeUnit.MILLISECONDS));
            Slot r = c.pop();
            assertNotNull(r);
            assertThrows(RingStoppedException.class, c::pop);
            c.release(r);
            p.release(held);
            RingStats s = stats();
            assertEquals(1, s.aborted());
            assertEquals(0, s.invalid(), "EPIPE is not an invalid request");
        }
    }

    @Test
    void startFlushesWhatAnEarlierRunLeftReady() {
        dev.configure(RingConfig.of(0, 3, 100));
        dev.start(0);
        try (RingSession p = dev.attach(0, Role.PRODUCER)) {
            for (int i = 0; i < 3; i++) {
                p.push(p.claim(), 1);
            }
            dev.start(0);
            assertEquals(3, stats().ready(), "start on a running ring changes nothing");
            dev.stop(0);
            dev.start(0);
            RingStats s = stats();
            assertEquals(3, s.flushed());
            assertEquals(0, s.ready());
            assertEquals(8, s.free());
        }
    }

    @Test
    void rejectedRequestsCountAsInvalid() {
        dev.configure(RingConfig.of(0, 2, 100));
        dev.start(0);
        try (RingSession p = dev.attach(0, Role.PRODUCER); RingSession c = dev.attach(0, Role.CONSUMER);
                RingSession m = dev.attach(0, Role.MONITOR)) {
            Slot s = p.claim();
            var tooLong = assertThrows(InvalidSlotException.class, () -> p.push(s, 101));
            assertEquals(Errno.EMSGSIZE, tooLong.errno());
            p.push(s, 100);
            var notFilling = assertThrows(InvalidSlotException.class, () -> p.push(s, 1));
            assertEquals(Errno.EBADSLT, notFilling.errno());
            // the consumer cannot release a READY slot, nor the producer a CONSUMED one
            var wrongRole = assertThrows(InvalidSlotException.class, () -> c.release(sameIndex(c, s)));
            assertEquals(Errno.EBADSLT, wrongRole.errno());
            Slot r = c.pop();
            assertThrows(InvalidSlotException.class, () -> p.release(sameIndex(p, r)));
            c.release(r);
            var twice = assertThrows(InvalidSlotException.class, () -> c.release(r));
            assertEquals(Errno.EBADSLT, twice.errno());
            assertThrows(PermissionDeniedException.class, m::claim);
            assertThrows(PermissionDeniedException.class, m::pop);
            assertThrows(PermissionDeniedException.class, c::claim);
            // EMSGSIZE, EBADSLT (push), 3 x EBADSLT (release), 3 x EPERM
            assertEquals(8, stats().invalid());
        }
    }

    /** The view session {@code s} has of the slot {@code other} names. */
    private static Slot sameIndex(RingSession s, Slot other) {
        return ((ShmRingSession) s).slot(other.index());
    }

    @Test
    void pushAcceptsLengthZeroToMaxPayload() {
        dev.configure(RingConfig.of(0, 2, 100));
        dev.start(0);
        try (RingSession p = dev.attach(0, Role.PRODUCER)) {
            p.push(p.claim(), 0);
            p.push(p.claim(), 100);
            assertEquals(100, stats().bytesIn());
        }
    }

    @Test
    void underrunsCountTransitionsToEmpty() {
        dev.configure(RingConfig.of(0, 3, 100));
        dev.start(0);
        try (RingSession p = dev.attach(0, Role.PRODUCER); RingSession c = dev.attach(0, Role.CONSUMER)) {
            assertNull(c.pop());
            assertEquals(0, stats().underruns(), "the first pop after configure found nothing before");
            p.push(p.claim(), 1);
            p.push(p.claim(), 1);
            SlotBatch b = c.newBatch(8);
            assertEquals(2, c.pop(b, 8));
            assertEquals(0, stats().underruns(), "a batch that returns fewer than count found something");
            assertEquals(0, c.pop(b, 8));
            assertNull(c.pop());
            assertEquals(1, stats().underruns());
            c.release(b);
        }
    }

    @Test
    void resetStatsKeepsTheInvariants() {
        dev.configure(RingConfig.of(0, 3, 100));
        dev.start(0);
        try (RingSession p = dev.attach(0, Role.PRODUCER); RingSession c = dev.attach(0, Role.CONSUMER)) {
            for (int i = 0; i < 5; i++) {
                p.push(p.claim(), 12);
            }
            Slot r1 = c.pop();
            Slot r2 = c.pop();
            c.release(r1);
            dev.resetStats(0);
            RingStats s = stats();
            assertEquals(3 + 1, s.pushed());
            assertEquals(1, s.popped());
            assertEquals(0, s.released());
            assertEquals(0, s.bytesIn());
            assertEquals(0, s.rtpNotRtp());
            c.release(r2);
            stats();
        }
    }

    @Test
    void closingASessionFreesItsSlots() {
        dev.configure(RingConfig.of(0, 3, 100));
        dev.start(0);
        try (RingSession c = dev.attach(0, Role.CONSUMER)) {
            try (RingSession p = dev.attach(0, Role.PRODUCER)) {
                p.push(p.claim(), 1);
                p.push(p.claim(), 1);
                p.claim();
                p.claim();
            }
            RingStats s = stats();
            assertEquals(2, s.aborted());
            assertEquals(0, s.filling());
            c.pop();
        }
        RingStats s = stats();
        assertEquals(1, s.reclaimed());
        assertEquals(0, s.inFlight());
        assertEquals(0, s.sessions());
        assertEquals(0, s.mappings());
    }

    @Test
    void bothRolesReleaseBothKinds() {
        dev.configure(RingConfig.of(0, 2, 100));
        dev.start(0);
        try (RingSession pc = dev.attach(0, Role.PRODUCER, Role.CONSUMER)) {
            Slot f = pc.claim();
            pc.push(pc.claim(), 3);
            Slot r = pc.pop();
            SlotBatch b = pc.newBatch(2);
            b.add(f).add(r);
            assertEquals(2, pc.release(b));
            RingStats s = stats();
            assertEquals(1, s.aborted());
            assertEquals(1, s.released());
        }
    }

    @Test
    void batchesStopAtTheFirstFailure() {
        dev.configure(RingConfig.of(0, 3, 100));
        dev.start(0);
        try (RingSession p = dev.attach(0, Role.PRODUCER); RingSession c = dev.attach(0, Role.CONSUMER)) {
            SlotBatch b = p.newBatch(16);
            assertEquals(8, p.claim(b, 16, 0));
            b.get(0).length(10);
            b.get(1).length(20);
            Slot third = b.get(2);
            p.push(third, 5); // pushed alone first: the batch fails at entry 2
            var e = assertThrows(InvalidSlotException.class, () -> p.push(b));
            assertEquals(Errno.EBADSLT, e.errno());
            assertEquals(2, b.done());
            SlotBatch rb = c.newBatch(16);
            assertEquals(3, c.pop(rb, 16));
            assertEquals(third.index(), rb.get(0).index());
            assertEquals(10, rb.get(1).length());
            assertEquals(20, rb.get(2).length());
            assertEquals(3, c.release(rb));
            assertThrows(InvalidArgumentException.class, () -> c.pop(rb, 17));
            assertThrows(InvalidArgumentException.class, () -> p.newBatch(1025));
            RingStats s = stats();
            assertEquals(5, s.filling());
            assertEquals(1, s.invalid());
        }
    }

    @Test
    void waitingSleepsInsteadOfBurningACore() {
        dev.configure(RingConfig.of(0, 2, 100));
        dev.start(0);
        try (RingSession c = dev.attach(0, Role.CONSUMER)) {
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            c.awaitReadable(20, TimeUnit.MILLISECONDS); // links the futex call first
            long cpu0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            assertFalse(c.awaitReadable(400, TimeUnit.MILLISECONDS));
            long wall = System.nanoTime() - t0;
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            assertTrue(wall >= 400_000_000L, "waited " + wall + " ns");
            assertTrue(cpu < wall / 4, "a 400 ms wait used " + cpu / 1_000_000 + " ms of CPU");
        }
    }

    @Test
    void sleepingWaitsAllocateNothing() {
        dev.configure(RingConfig.of(0, 2, 100));
        dev.start(0);
        try (RingSession c = dev.attach(0, Role.CONSUMER)) {
            int rounds = 5_000;
            // each wait outlasts its spins and sleeps in FUTEX_WAIT until the timeout; errno capture
            // used to slice a segment per sleep (40 B each)
            long allocated = leastAllocated(rounds, () -> {
                for (int i = 0; i < rounds; i++) {
                    assertFalse(c.awaitReadable(50, TimeUnit.MICROSECONDS));
                }
            });
            assertTrue(allocated < rounds, "allocated " + allocated + " bytes over " + rounds + " sleeping waits");
        }
    }

    @Test
    void awaitWakesAcrossSessionsAndTimesOut() throws Exception {
        dev.configure(RingConfig.of(0, 2, 100));
        dev.start(0);
        try (RingSession p = dev.attach(0, Role.PRODUCER); RingSession c = dev.attach(0, Role.CONSUMER)) {
            long t0 = System.nanoTime();
            assertFalse(c.awaitReadable(30, TimeUnit.MILLISECONDS));
            assertTrue(System.nanoTime() - t0 >= 30_000_000L);
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                p.push(p.claim(), 1);
            });
            t.start();
            t0 = System.nanoTime();
            assertTrue(c.awaitReadable(5, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
            t.join();
            // stopped counts as ready: pop then tells why
            dev.stop(0);
            assertTrue(p.awaitWritable(1, TimeUnit.SECONDS));
        }
    }
}
