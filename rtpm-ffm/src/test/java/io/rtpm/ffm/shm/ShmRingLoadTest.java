package io.rtpm.ffm.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.rtpm.ffm.InvalidArgumentException;
import io.rtpm.ffm.RingConfig;
import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.Role;

/**
 * The user-space ring under load, what another process feels: a claim on a full ring does not
 * probe every session's lock each time, a stats read allocates nothing while it holds the
 * cross-process lock, and the ring count is a setting, as the module's max_rings.
 */
class ShmRingLoadTest {

    private ShmDir dir;
    private ShmRingDevice dev;

    @BeforeEach
    void open() {
        dir = new ShmDir();
        dev = ShmRingDevice.open(dir.path);
        dev.configure(RingConfig.of(0, 3, 256));
        dev.start(0);
    }

    @AfterEach
    void close() {
        dev.close();
        dir.close();
    }

    @Test
    void claimsOnAFullRingLookForDeadSessionsAtMostEveryReapInterval() {
        try (RingSession producer = dev.attach(0, Role.PRODUCER);
                RingSession consumer = dev.attach(0, Role.CONSUMER)) {
            for (int i = 0; i < 8; i++) {
                producer.push(producer.claim(), 12);
            }
            ShmHandle h = ((ShmRingSession) producer).ring().h;
            long probes = h.lockProbes;
            long t0 = System.nanoTime();
            for (int i = 0; i < 5000; i++) {
                assertNull(producer.claim(), "the ring is full");
            }
            long took = System.nanoTime() - t0;
            long made = h.lockProbes - probes;
            // each look probes the one other live record, the consumer's (2: slack for a look
            // begun at either end of the loop)
            long bound = (took / ShmRing.REAP_INTERVAL_NANOS + 2) * 2;
            assertTrue(made <= bound, made + " lock probes for 5,000 claims in " + took / 1000
                    + " us: more than " + bound);
            assertTrue(consumer.pop() != null, "the consumer still pops");
        }
    }

    @Test
    void aStatsSnapshotAllocatesNothingUnderTheLock() {
        try (RingSession producer = dev.attach(0, Role.PRODUCER)) {
            ShmRing ring = ((ShmRingSession) producer).ring();
            long[] v = new long[ShmRing.STATS_WORDS];
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().threadId();
            long least = Long.MAX_VALUE;
            for (int round = 0; round < 20; round++) { // the JIT first; the least of rounds counts
                long a0 = threads.getThreadAllocatedBytes(id);
                for (int i = 0; i < 1000; i++) {
                    ring.snapshot(v);
                }
                least = Math.min(least, threads.getThreadAllocatedBytes(id) - a0);
            }
            assertEquals(0, least, "bytes allocated by 1,000 snapshots under the lock");
            assertEquals(1, v[0], "running");
            assertEquals(dev.stats(0).free(), (int) v[19], "free");
        }
    }

    @Test
    void theRingCountIsASetting() {
        String before = System.getProperty(ShmRingDevice.MAX_RINGS_PROPERTY);
        try {
            System.setProperty(ShmRingDevice.MAX_RINGS_PROPERTY, "40");
            try (ShmRingDevice d = ShmRingDevice.open(dir.path)) {
                assertEquals(40, d.info().maxRings());
                d.configure(RingConfig.of(39, 3, 256));
                assertEquals(true, d.stats(39).configured());
                d.unconfigure(39);
                assertThrows(InvalidArgumentException.class, () -> d.stats(40));
            }
            System.setProperty(ShmRingDevice.MAX_RINGS_PROPERTY, "0");
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                    () -> ShmRingDevice.open(dir.path));
            assertTrue(e.getMessage().contains("'0' is not a ring count in 1..4096"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(ShmRingDevice.MAX_RINGS_PROPERTY);
            } else {
                System.setProperty(ShmRingDevice.MAX_RINGS_PROPERTY, before);
            }
        }
        try (ShmRingDevice d = ShmRingDevice.open(dir.path)) {
            assertEquals(16, d.info().maxRings());
        }
    }
}
