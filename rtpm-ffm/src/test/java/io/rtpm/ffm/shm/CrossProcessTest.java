package io.rtpm.ffm.shm;

import io.rtpm.ffm.RingConfig;
import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.RingStats;
import io.rtpm.ffm.Role;
import io.rtpm.ffm.Slot;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user-space ring shared by real processes (each a JVM running {@link ShmChild}): a
 * producer and a consumer stream a million checksummed packets; processes killed with SIGKILL
 * in the middle of a step, and at random points, leave a ring whose invariants hold.
 */
class CrossProcessTest {

    private ShmDir dir;
    private ShmRingDevice dev;
    private final List<Process> children = new ArrayList<>();

    @BeforeEach
    void open() {
        dir = new ShmDir();
        dev = ShmRingDevice.open(dir.path);
    }

    @AfterEach
    void close() {
        children.forEach(Process::destroyForcibly);
        dev.close();
        dir.close();
    }

    private Process child(String... args) throws IOException {
        Process p = ShmChild.start(args);
        children.add(p);
        return p;
    }

    /** Reads the child's next line, failing with what it printed if it is not {@code want}. */
    private static BufferedReader expectLine(Process p, String want) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        expectLine(r, want);
        return r;
    }

    private static void expectLine(BufferedReader r, String want) throws IOException {
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = r.readLine()) != null) {
            if (line.startsWith(want)) {
                return;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("child ended without printing '" + want + "':\n" + seen);
    }

    private RingStats consistent(String when) {
        RingStats s = dev.stats(0);
        assertNull(s.invariantViolation(), when + ": " + s);
        try (ShmRing r = dev.rings().open(0)) {
            assertNull(r.checkStates(), when);
        }
        return s;
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void producerAndConsumerProcessesStreamAMillionPackets() throws Exception {
        long count = 1_000_000;
        dev.configure(RingConfig.of(0, 8, 300));
        dev.start(0);
        Process c = child("consume", dir.path.toString(), "0", Long.toString(count), "64");
        BufferedReader cr = expectLine(c, "ready");
        Process p = child("produce", dir.path.toString(), "0", Long.toString(count), "32");
        BufferedReader pr = expectLine(p, "ready");
        // a third party reads stats while they stream
        for (int i = 0; i < 20 && p.isAlive(); i++) {
            consistent("while streaming");
            Thread.sleep(50);
        }
        expectLine(pr, "ok " + count);
        String done = readLineStartingWith(cr, "ok ");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && c.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertEquals(0, c.exitValue());
        long bytes = 0;
        for (long n = 0; n < count; n++) {
            bytes += ShmChild.length(n);
        }
        assertEquals("ok " + count + " " + bytes, done);
        RingStats s = consistent("after streaming");
        assertEquals(count, s.pushed());
        assertEquals(count, s.popped());
        assertEquals(count, s.released());
        assertEquals(bytes, s.bytesIn());
        assertEquals(bytes, s.bytesOut());
        assertEquals(0, s.inFlight());
        assertEquals(0, s.filling());
        assertEquals(256, s.free());
        assertEquals(0, s.sessions());
        assertEquals(0, s.mappings());
        assertEquals(0, s.invalid());
        assertEquals(0, s.aborted() + s.reclaimed() + s.flushed() + s.headDrops());
        // every packet starts with 8 bytes of its number: not RTP v2 unless the top bits say 10
        assertEquals(count, s.rtpNotRtp() + countRtpLooking(count));
    }

    private static String readLineStartingWith(BufferedReader r, String prefix) throws IOException {
        String line;
        while ((line = r.readLine()) != null) {
            if (line.startsWith(prefix) || line.startsWith("FAIL")) {
                return line;
            }
        }
        return "child ended";
    }

    /** Packets whose first bytes parse as RTP v2 (not RTCP): their number's low byte is 0x80..0xbf. */
    private static long countRtpLooking(long count) {
        long n = 0;
        for (long i = 0; i < count; i++) {
            int b0 = (int) (i & 0xff);
            int b1 = (int) ((i >>> 8) & 0xff);
            if (ShmChild.length(i) >= 12 && (b0 >>> 6) == 2 && !(b1 >= 192 && b1 <= 223)) {
                n++;
            }
        }
        return n;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aLockHolderKilledMidStepIsRolledBack() throws Exception {
        dev.configure(RingConfig.of(0, 3, 100));
        dev.start(0);
        try (RingSession p = dev.attach(0, Role.PRODUCER)) {
            p.push(p.claim(), 10);
            RingStats before = consistent("before");
            Process s = child("stall", dir.path.toString(), "0");
            expectLine(s, "stalled");
            s.destroyForcibly().waitFor();
            // the next opener reuses the dead one's record: its token must still differ
            RingStats after = consistent("after the kill");
            assertEquals(before.free(), after.free());
            assertEquals(before.pushed(), after.pushed());
            assertEquals(before.filling(), after.filling());
            try (ShmRing r = dev.rings().open(0)) {
                assertEquals(1, r.recoveries());
            }
            // and the ring works on
            p.push(p.claim(), 11);
            assertEquals(2, consistent("afterwards").pushed());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aKilledConsumersSlotsAreReclaimedByTheProducersNextClaimAfterTheReapInterval() throws Exception {
        dev.configure(RingConfig.of(0, 2, 100));
        dev.start(0);
        try (RingSession p = dev.attach(0, Role.PRODUCER)) {
            for (int i = 0; i < 4; i++) {
                p.push(p.claim(), 20);
            }
            Process c = child("hold", dir.path.toString(), "0");
            expectLine(c, "held 4");
            assertEquals(4, dev.stats(0).inFlight(), "a live consumer's slots stay");
            assertNull(p.claim(), "full while the consumer lives");
            c.destroyForcibly().waitFor();
            // nobody read the stats since: the producer's claim on the full ring finds the dead
            // session, once the reap interval since its last look has passed (a full ring's
            // claims look for dead sessions at most every 10 ms: ShmRingLoadTest)
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(ShmRing.REAP_INTERVAL_NANOS) + 1);
            assertNotNull(p.claim());
            RingStats st = consistent("after the consumer died");
            assertEquals(4, st.reclaimed());
            assertEquals(0, st.inFlight());
            assertEquals(1, st.sessions());
            assertEquals(1, st.overruns());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aProducerWaitingOnAFullRingIsFreedWhenTheConsumerDies() throws Exception {
        dev.configure(RingConfig.of(0, 1, 100));
        dev.start(0);
        try (RingSession p = dev.attach(0, Role.PRODUCER)) {
            p.push(p.claim(), 20);
            p.push(p.claim(), 20);
            Process c = child("hold", dir.path.toString(), "0");
            expectLine(c, "held 2");
            assertFalse(p.awaitWritable(150, TimeUnit.MILLISECONDS), "full while the consumer lives");
            c.destroyForcibly().waitFor();
            // nothing else runs: the wait's own timeout slice finds the dead session
            long t0 = System.nanoTime();
            assertTrue(p.awaitWritable(5, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "took " + (System.nanoTime() - t0) + " ns");
            assertNotNull(p.claim());
            assertEquals(2, consistent("after").reclaimed());
        }
    }

    /** A churning child and whether it has attached yet (it waits while its role is held). */
    private record Churner(Process process, java.util.concurrent.CompletableFuture<Void> attached,
            boolean producer) {
    }

    private Churner churner(boolean producer, long seed) throws IOException {
        Process p = child("churn", dir.path.toString(), "0", producer ? "p" : "c", Long.toString(seed));
        var attached = new java.util.concurrent.CompletableFuture<Void>();
        Thread t = new Thread(() -> {
            try {
                expectLine(new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8)), "ready");
                attached.complete(null);
            } catch (IOException | AssertionError e) {
                attached.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return new Churner(p, attached, producer);
    }

    @Test
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void killAtRandomPointsLeavesAConsistentRing() throws Exception {
        dev.configure(RingConfig.of(0, 4, 300));
        dev.start(0);
        SplittableRandom rnd = new SplittableRandom(42);
        // two candidates per role: while one works, the next JVM starts and waits for the role
        List<Churner> live = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            live.add(churner(i % 2 == 0, rnd.nextLong()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int kills = 0;
        while (kills < 40 && System.nanoTime() < deadline) {
            Churner victim = null;
            for (Churner ch : live) {
                if (ch.attached().isDone()) {
                    victim = ch;
                    break;
                }
            }
            if (victim == null) {
                Thread.sleep(20);
                continue;
            }
            victim.attached().get();
            Thread.sleep(rnd.nextInt(80));
            victim.process().destroyForcibly().waitFor();
            live.remove(victim);
            // the others keep streaming while a third process checks the ring
            consistent("after kill " + kills);
            live.add(churner(victim.producer(), rnd.nextLong()));
            kills++;
        }
        for (Churner ch : live) {
            ch.process().destroyForcibly().waitFor();
        }
        RingStats s = consistent("all killed");
        assertEquals(0, s.sessions());
        assertEquals(0, s.filling());
        assertEquals(0, s.inFlight());
        assertEquals(16, s.free() + s.ready());
        long recoveries;
        try (ShmRing r = dev.rings().open(0)) {
            recoveries = r.recoveries();
        }
        assertTrue(kills >= 10, "only " + kills + " kills ran");
        assertTrue(s.pushed() > 0, s.toString());
        System.out.println("kill loop: " + kills + " kills, " + recoveries
                + " unfinished steps rolled back, " + s.aborted() + " aborted, " + s.reclaimed()
                + " reclaimed, " + s.pushed() + " pushed");
    }
}
