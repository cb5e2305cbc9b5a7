package io.rtpm.ffm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The behaviour of docs/ABI.md that the Java API can express, run against every backend: the
 * kernel module (inside vm-test) and the user-space ring (on the host). A subclass says how to
 * open its backend; everything else, assertions included, is shared, so both backends are held
 * to the same contract. Pointer and mmap misuse stay in the C selftests.
 *
 * <p>Each test starts from a freshly configured, stopped ring {@link #ringId()} of
 * {@value #ORDER} order and {@value #PAYLOAD}-byte payloads, and leaves it unconfigured.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class RingContractTest {

    protected static final int ORDER = 3;
    protected static final int SLOTS = 1 << ORDER;
    protected static final int PAYLOAD = 256;

    protected RingDevice dev;
    private final List<RingSession> sessions = new ArrayList<>();

    /** @return a freshly opened device of the backend under test */
    protected abstract RingDevice openDevice();

    /** @return the backend {@link #openDevice()} opens */
    protected abstract Backend expectedBackend();

    /** @return the ring the tests may use freely (it is reconfigured and unconfigured) */
    protected int ringId() {
        return Integer.getInteger("rtpm.test.ring", 0);
    }

    @BeforeEach
    void freshRing() {
        dev = openDevice();
        unconfigureQuietly();
        dev.configure(RingConfig.of(ringId(), ORDER, PAYLOAD));
    }

    @AfterEach
    void cleanUp() {
        for (RingSession s : sessions) {
            s.close();
        }
        sessions.clear();
        if (dev != null) {
            unconfigureQuietly();
            dev.close();
        }
    }

    private void unconfigureQuietly() {
        try {
            dev.stop(ringId());
            dev.unconfigure(ringId());
        } catch (RingNotConfiguredException expected) {
            // a fresh ring: nothing to undo
        }
    }

    protected RingSession attach(Role first, Role... more) {
        RingSession s = dev.attach(ringId(), first, more);
        sessions.add(s);
        return s;
    }

    protected RingStats stats() {
        RingStats st = dev.stats(ringId());
        assertNull(st.invariantViolation(), "ABI invariants: " + st);
        return st;
    }

    /** A 12-byte RTP v2 header (payload type 96) followed by {@code extra} bytes of pattern. */
    protected static byte[] rtp(int seq, int ssrc, int extra) {
        byte[] b = new byte[12 + extra];
        b[0] = (byte) 0x80;
        b[1] = 96;
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        b[4] = 0;
        b[7] = (byte) seq;
        b[8] = (byte) (ssrc >>> 24);
        b[9] = (byte) (ssrc >>> 16);
        b[10] = (byte) (ssrc >>> 8);
        b[11] = (byte) ssrc;
        for (int i = 12; i < b.length; i++) {
            b[i] = (byte) (seq * 31 + i);
        }
        return b;
    }

    protected static void write(Slot s, byte[] data) {
        MemorySegment.copy(data, 0, s.payload(), ValueLayout.JAVA_BYTE, 0, data.length);
    }

    protected static byte[] read(Slot s) {
        return s.payload().asSlice(0, s.length()).toArray(ValueLayout.JAVA_BYTE);
    }

    protected void pushPacket(RingSession tx, byte[] data) {
        Slot s = tx.claim();
        assertNotNull(s, "claim on a ring with room");
        write(s, data);
        tx.push(s, data.length);
    }

    @Test
    void deviceReportsItsBackendAndAnAbiThatServesThisLibrary() {
        RingInfo info = dev.info();
        assertEquals(expectedBackend(), dev.backend());
        assertEquals(expectedBackend(), info.backend());
        assertTrue(info.abi().serves(AbiVersion.CURRENT), "ABI " + info.abi());
        assertTrue(info.orderMin() <= ORDER && ORDER <= info.orderMax(), info.toString());
        assertTrue(info.payloadMin() <= PAYLOAD && PAYLOAD <= info.payloadMax(), info.toString());
        assertTrue(info.batchMax() >= 1 && ringId() < info.maxRings(), info.toString());
        assertEquals(64, info.slotMetaSize());
    }

    @Test
    void configureLeavesTheRingStoppedEmptyAndCounting() {
        RingStats st = stats();
        assertTrue(st.configured());
        assertFalse(st.running());
        assertEquals(SLOTS, st.slotCount());
        assertEquals(SLOTS, st.free());
        assertEquals(0, st.pushed() + st.popped() + st.overruns() + st.drops() + st.invalid());
        RingLayout l = dev.layout(ringId());
        assertEquals(SLOTS, l.slotCount());
        assertEquals(PAYLOAD, l.maxPayload());
        assertEquals(0, l.slotStride() % 64, "slots start on cache lines");
        assertTrue(l.mmapSize() >= l.slotsOffset() + (long) SLOTS * l.slotStride());
    }

    @Test
    void configureOutsideTheLimitsNamesTheField() {
        dev.unconfigure(ringId());
        RingInfo info = dev.info();
        var order = assertThrows(InvalidArgumentException.class,
                () -> dev.configure(RingConfig.of(ringId(), info.orderMax() + 1, PAYLOAD)));
        assertEquals("order", order.field());
        var payload = assertThrows(InvalidArgumentException.class,
                () -> dev.configure(RingConfig.of(ringId(), ORDER, info.payloadMin() - 1)));
        assertEquals("maxPayload", payload.field());
        var ring = assertThrows(InvalidArgumentException.class,
                () -> dev.configure(RingConfig.of(info.maxRings(), ORDER, PAYLOAD)));
        assertEquals("ringId", ring.field());
        assertFalse(dev.stats(ringId()).configured());
    }

    @Test
    void configureWhileRunningOrAttachedIsBusy() {
        dev.start(ringId());
        assertThrows(RingBusyException.class, () -> dev.configure(RingConfig.of(ringId(), ORDER, PAYLOAD)));
        dev.stop(ringId());
        attach(Role.MONITOR);
        assertThrows(RingBusyException.class, () -> dev.configure(RingConfig.of(ringId(), ORDER, PAYLOAD)));
        assertThrows(RingBusyException.class, () -> dev.unconfigure(ringId()));
    }

    @Test
    void attachingToAnUnconfiguredRingSaysConfigureFirst() {
        dev.unconfigure(ringId());
        var e = assertThrows(RingNotConfiguredException.class, () -> dev.attach(ringId(), Role.MONITOR));
        assertTrue(e.getMessage().contains("configure"), e.getMessage());
        assertThrows(RingNotConfiguredException.class, () -> dev.start(ringId()));
        assertThrows(RingNotConfiguredException.class, () -> dev.unconfigure(ringId()));
        RingStats st = dev.stats(ringId());
        assertFalse(st.configured());
    }

    @Test
    void oneProducerAndOneConsumerPerRingButAnyNumberOfMonitors() {
        attach(Role.PRODUCER);
        attach(Role.CONSUMER);
        var e = assertThrows(RingBusyException.class, () -> dev.attach(ringId(), Role.PRODUCER));
        assertTrue(e.getMessage().contains("PRODUCER"), e.getMessage());
        assertThrows(RingBusyException.class, () -> dev.attach(ringId(), Role.CONSUMER));
        attach(Role.MONITOR);
        attach(Role.MONITOR);
        assertEquals(4, stats().sessions());
    }

    @Test
    void aClosedSessionFreesItsRole() {
        RingSession p = attach(Role.PRODUCER);
        p.close();
        p.close();
        attach(Role.PRODUCER);
        assertThrows(NotAttachedException.class, p::claim);
    }

    @Test
    void stoppedRingRefusesClaimAndPop() {
        RingSession tx = attach(Role.PRODUCER);
        RingSession rx = attach(Role.CONSUMER);
        assertThrows(RingStoppedException.class, tx::claim);
        assertThrows(RingStoppedException.class, rx::pop);
    }

    @Test
    void packetsComeOutInPushOrderWithTheirLengthAndBytes() {
        dev.start(ringId());
        RingSession tx = attach(Role.PRODUCER);
        RingSession rx = attach(Role.CONSUMER);
        assertNull(rx.pop(), "pop on an empty running ring");
        for (int i = 0; i < SLOTS; i++) {
            pushPacket(tx, rtp(i, 0x11223344, i * 3));
        }
        RingStats full = stats();
        assertEquals(SLOTS, full.ready());
        assertEquals(SLOTS, full.pushed());
        for (int i = 0; i < SLOTS; i++) {
            Slot s = rx.pop();
            assertNotNull(s, "pop " + i);
            assertEquals(12 + i * 3, s.length());
            assertArrayEquals(rtp(i, 0x11223344, i * 3), read(s));
            rx.release(s);
        }
        assertNull(rx.pop());
        RingStats st = stats();
        assertEquals(SLOTS, st.popped());
        assertEquals(SLOTS, st.released());
        assertEquals(SLOTS, st.free());
        long bytes = 0;
        for (int i = 0; i < SLOTS; i++) {
            bytes += 12 + i * 3;
        }
        assertEquals(bytes, st.bytesIn());
        assertEquals(bytes, st.bytesOut());
    }

    @Test
    void tailDropFailsTheClaimOnAFullRingAndCountsAnOverrun() {
        dev.start(ringId());
        RingSession tx = attach(Role.PRODUCER);
        for (int i = 0; i < SLOTS; i++) {
            pushPacket(tx, rtp(i, 1, 0));
        }
        assertNull(tx.claim());
        assertFalse(tx.awaitWritable(0, TimeUnit.MILLISECONDS));
        RingStats st = stats();
        assertEquals(1, st.overruns());
        assertEquals(0, st.drops());
        assertEquals(SLOTS, st.ready());
    }

    @Test
    void headDropRecyclesTheOldestReadySlot() {
        dev.unconfigure(ringId());
        dev.configure(RingConfig.of(ringId(), ORDER, PAYLOAD).withDropPolicy(DropPolicy.HEAD));
        dev.start(ringId());
        RingSession tx = attach(Role.PRODUCER);
        RingSession rx = attach(Role.CONSUMER);
        for (int i = 0; i < SLOTS; i++) {
            pushPacket(tx, rtp(i, 1, 0));
        }
        pushPacket(tx, rtp(SLOTS, 1, 0));
        RingStats st = stats();
        assertEquals(1, st.headDrops());
        assertEquals(1, st.drops());
        assertEquals(1, st.overruns());
        assertEquals(SLOTS, st.ready());
        Slot first = rx.pop();
        assertArrayEquals(rtp(1, 1, 0), read(first), "the oldest packet (0) was dropped");
    }

    @Test
    void batchesMovePacketsBothWaysAndReportDrops() {
        dev.start(ringId());
        RingSession tx = attach(Role.PRODUCER);
        RingSession rx = attach(Role.CONSUMER);
        SlotBatch in = tx.newBatch(SLOTS);
        SlotBatch out = rx.newBatch(SLOTS);
        assertEquals(5, tx.claim(in, 5, 3));
        for (int i = 0; i < in.size(); i++) {
            byte[] p = rtp(100 + i, 7, i);
            write(in.get(i), p);
            in.get(i).length(p.length);
        }
        assertEquals(5, tx.push(in));
        assertEquals(5, in.done());
        assertEquals(5, rx.pop(out, SLOTS), "a pop batch returns what is READY");
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(rtp(100 + i, 7, i), read(out.get(i)));
        }
        assertEquals(5, rx.release(out));
        assertEquals(0, rx.pop(out, SLOTS));
        RingStats st = stats();
        assertEquals(3, st.drops(), "dropped reported with the claim batch");
        assertEquals(5, st.released());
        assertEquals(SLOTS, st.free());
    }

    @Test
    void aClaimBatchOnANearlyFullRingReturnsWhatFits() {
        dev.start(ringId());
        RingSession tx = attach(Role.PRODUCER);
        SlotBatch b = tx.newBatch(SLOTS);
        assertEquals(SLOTS - 2, tx.claim(b, SLOTS - 2, 0));
        SlotBatch c = tx.newBatch(SLOTS);
        assertEquals(2, tx.claim(c, SLOTS, 0));
        assertEquals(0, tx.claim(tx.newBatch(1), 1, 0));
        assertEquals(SLOTS, stats().filling());
        assertEquals(SLOTS - 2, tx.release(b), "a producer's release aborts its claims");
        assertEquals(SLOTS - 2, stats().aborted());
    }

    @Test
    void releasingASlotTwiceIsAnInvalidSlotAndCounts() {
        dev.start(ringId());
        RingSession tx = attach(Role.PRODUCER);
        RingSession rx = attach(Role.CONSUMER);
        pushPacket(tx, rtp(1, 1, 0));
        Slot s = rx.pop();
        rx.release(s);
        var e = assertThrows(InvalidSlotException.class, () -> rx.release(s));
        assertEquals(s.index(), e.index());
        assertEquals(1, stats().invalid());
    }

    @Test
    void pushLongerThanTheSlotIsRejected() {
        dev.start(ringId());
        RingSession tx = attach(Role.PRODUCER);
        Slot s = tx.claim();
        assertThrows(InvalidSlotException.class, () -> tx.push(s, PAYLOAD + 1));
        assertThrows(IndexOutOfBoundsException.class, () -> s.length(PAYLOAD + 1));
        tx.push(s, PAYLOAD);
        assertEquals(1, stats().invalid());
        assertEquals(PAYLOAD, stats().bytesIn());
    }

    @Test
    void eachCallNeedsItsRole() {
        dev.start(ringId());
        RingSession rx = attach(Role.CONSUMER);
        RingSession mon = attach(Role.MONITOR);
        assertThrows(PermissionDeniedException.class, rx::claim);
        assertThrows(PermissionDeniedException.class, mon::pop);
        assertEquals(2, stats().invalid());
    }

    @Test
    void stopLetsTheConsumerDrainThenSaysStopped() {
        dev.start(ringId());
        RingSession tx = attach(Role.PRODUCER);
        RingSession rx = attach(Role.CONSUMER);
        pushPacket(tx, rtp(1, 1, 0));
        pushPacket(tx, rtp(2, 1, 0));
        Slot held = tx.claim();
        dev.stop(ringId());
        assertFalse(stats().running());
        assertThrows(RingStoppedException.class, () -> tx.push(held, 12));
        assertTrue(rx.awaitReadable(0, TimeUnit.MILLISECONDS));
        rx.release(rx.pop());
        rx.release(rx.pop());
        assertThrows(RingStoppedException.class, rx::pop);
        assertTrue(rx.awaitReadable(1, TimeUnit.SECONDS), "a stopped ring does not block a waiter");
        tx.release(held);
        assertEquals(1, stats().aborted());
    }

    @Test
    void startFlushesWhatAnEarlierRunLeftReady() {
        dev.start(ringId());
        RingSession tx = attach(Role.PRODUCER);
        RingSession rx = attach(Role.CONSUMER);
        pushPacket(tx, rtp(1, 1, 0));
        pushPacket(tx, rtp(2, 1, 0));
        dev.stop(ringId());
        dev.start(ringId());
        dev.start(ringId());
        RingStats st = stats();
        assertEquals(2, st.flushed());
        assertEquals(0, st.ready());
        assertNull(rx.pop());
    }

    @Test
    void closingASessionFreesTheSlotsItHeld() {
        dev.start(ringId());
        RingSession tx = attach(Role.PRODUCER);
        RingSession rx = attach(Role.CONSUMER);
        pushPacket(tx, rtp(1, 1, 0));
        assertNotNull(rx.pop());
        assertNotNull(tx.claim());
        rx.close();
        tx.close();
        RingStats st = stats();
        assertEquals(1, st.reclaimed());
        assertEquals(1, st.aborted());
        assertEquals(SLOTS, st.free());
        assertEquals(0, st.sessions());
    }

    @Test
    void resetStatsZeroesCountersButKeepsTheInvariants() {
        dev.start(ringId());
        RingSession tx = attach(Role.PRODUCER);
        RingSession rx = attach(Role.CONSUMER);
        for (int i = 0; i < 4; i++) {
            pushPacket(tx, rtp(i, 1, 0));
        }
        rx.release(rx.pop());
        Slot held = rx.pop();
        dev.resetStats(ringId());
        RingStats st = stats();
        assertEquals(2, st.ready());
        assertEquals(1, st.inFlight());
        assertEquals(3, st.pushed());
        assertEquals(1, st.popped());
        assertEquals(0, st.released() + st.bytesIn() + st.overruns());
        rx.release(held);
        stats();
    }

    @Test
    void pushesAreTrackedAsRtpAndTheSlotCarriesTheMetadata() {
        dev.start(ringId());
        RingSession tx = attach(Role.PRODUCER);
        RingSession rx = attach(Role.CONSUMER);
        pushPacket(tx, rtp(10, 0xCAFE, 4));
        pushPacket(tx, rtp(11, 0xCAFE, 4));
        pushPacket(tx, rtp(14, 0xCAFE, 4));
        pushPacket(tx, new byte[] {1, 2, 3});
        RingStats st = stats();
        assertEquals(2, st.rtpLost(), "12 and 13 skipped");
        assertEquals(1, st.rtpNotRtp());
        assertEquals(0xCAFE, st.rtpSsrc());
        Slot s = rx.pop();
        assertEquals(Slot.META_RTP, s.rtpFlags() & (Slot.META_RTP | Slot.META_NOT_RTP));
        assertEquals(0xCAFE, s.rtpSsrc());
        assertEquals(10, s.rtpSequence() & 0xFFFF);
        assertTrue(s.pushNanos() > 0 && s.pushNanos() <= System.nanoTime(), "push time is CLOCK_MONOTONIC");
    }

    @Test
    void awaitReadableTimesOutOnAnEmptyRingAndWakesOnPush() throws Exception {
        dev.start(ringId());
        RingSession tx = attach(Role.PRODUCER);
        RingSession rx = attach(Role.CONSUMER);
        long t0 = System.nanoTime();
        assertFalse(rx.awaitReadable(50, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(45), "waited the timeout");
        assertTrue(tx.awaitWritable(0, TimeUnit.MILLISECONDS));
        Thread producer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pushPacket(tx, rtp(1, 1, 0));
        });
        assertTrue(rx.awaitReadable(20, TimeUnit.SECONDS), "woken by the push");
        assertNotNull(rx.pop());
        producer.join();
    }

    @Test
    void slotViewsAreReusedNotAllocated() {
        dev.start(ringId());
        RingSession tx = attach(Role.PRODUCER);
        Slot a = tx.claim();
        tx.release(a);
        Slot again = null;
        for (int i = 0; i < SLOTS && again != a; i++) {
            again = tx.claim();
            tx.release(again);
        }
        assertSame(a, again, "the same index gives the same view");
        assertEquals(PAYLOAD, a.capacity());
        RingSession other = attach(Role.CONSUMER);
        assertThrows(IllegalArgumentException.class, () -> other.release(a), "a slot of another session");
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS) // the warm-up is slow under TCG
    void theBatchHotPathAllocatesNothingPerPacket() {
        dev.start(ringId());
        RingSession tx = attach(Role.PRODUCER);
        RingSession rx = attach(Role.CONSUMER);
        SlotBatch in = tx.newBatch(SLOTS);
        SlotBatch out = rx.newBatch(SLOTS);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        int rounds = 5_000;
        // Until the JIT has compiled the path, the interpreter boxes inside method handles; how
        // long that takes depends on the machine (minutes of CPU under TCG). So: passes until
        // one allocates less than a byte per round, and fail if none does.
        List<Long> perPass = new ArrayList<>();
        for (int pass = 0; pass < 40; pass++) {
            long before = threads.getThreadAllocatedBytes(tid);
            long packets = 0;
            for (int r = 0; r < rounds; r++) {
                int n = tx.claim(in, SLOTS, 0);
                for (int i = 0; i < n; i++) {
                    Slot s = in.get(i);
                    s.payload().set(ValueLayout.JAVA_INT, 0, r);
                    s.length(64);
                }
                tx.push(in);
                packets += rx.pop(out, SLOTS);
                rx.release(out);
            }
            long allocated = threads.getThreadAllocatedBytes(tid) - before;
            perPass.add(allocated);
            assertEquals((long) rounds * SLOTS, packets, "every round moves a full ring");
            if (allocated < rounds) {
                return;
            }
        }
        fail("bytes allocated per pass of " + rounds * SLOTS + " packets never fell below " + rounds
                + ": " + perPass + ": the batch path must not allocate per packet");
    }

    @Test
    void aProducerAndAConsumerThreadMovePacketsIntactAndInOrder() throws Exception {
        dev.unconfigure(ringId());
        dev.configure(RingConfig.of(ringId(), 6, PAYLOAD));
        dev.start(ringId());
        RingSession tx = attach(Role.PRODUCER);
        RingSession rx = attach(Role.CONSUMER);
        int total = 20_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = Thread.ofPlatform().name("producer").start(() -> {
            try {
                SlotBatch b = tx.newBatch(16);
                int seq = 0;
                while (seq < total) {
                    int n = tx.claim(b, Math.min(16, total - seq), 0);
                    if (n == 0) {
                        tx.awaitWritable(100, TimeUnit.MILLISECONDS);
                        continue;
                    }
                    for (int i = 0; i < n; i++, seq++) {
                        Slot s = b.get(i);
                        int len = 8 + seq % 200;
                        MemorySegment p = s.payload();
                        p.set(ValueLayout.JAVA_INT_UNALIGNED, 0, seq);
                        long sum = 0;
                        for (int k = 8; k < len; k++) {
                            byte v = (byte) (seq * 7 + k);
                            p.set(ValueLayout.JAVA_BYTE, k, v);
                            sum += v;
                        }
                        p.set(ValueLayout.JAVA_INT_UNALIGNED, 4, (int) sum);
                        s.length(len);
                    }
                    tx.push(b);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
        SlotBatch b = rx.newBatch(16);
        int expect = 0;
        while (expect < total && failure.get() == null) {
            int n = rx.pop(b, 16);
            if (n == 0) {
                rx.awaitReadable(100, TimeUnit.MILLISECONDS);
                continue;
            }
            for (int i = 0; i < n; i++, expect++) {
                Slot s = b.get(i);
                MemorySegment p = s.payload();
                assertEquals(expect, p.get(ValueLayout.JAVA_INT_UNALIGNED, 0), "order");
                assertEquals(8 + expect % 200, s.length(), "length of " + expect);
                long sum = 0;
                for (int k = 8; k < s.length(); k++) {
                    sum += p.get(ValueLayout.JAVA_BYTE, k);
                }
                assertEquals((int) sum, p.get(ValueLayout.JAVA_INT_UNALIGNED, 4), "checksum of " + expect);
            }
            rx.release(b);
        }
        producer.join();
        if (failure.get() != null) {
            throw new AssertionError("producer failed", failure.get());
        }
        RingStats st = stats();
        assertEquals(total, st.pushed());
        assertEquals(total, st.released());
        assertEquals(0, st.drops());
    }

    /**
     * A close() on one thread while another thread drives the session as fast as it can, or
     * waits in it: the driver's calls succeed until it gets NotAttachedException, nothing else
     * (an IllegalStateException from a shared arena closed under a native call, EBADF from a
     * closed descriptor, a read of unmapped memory), the close returns, and the ring gets back
     * every slot the session held and the session's place: its roles can be attached again.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"single", "batch", "wait", "stats", "map"})
    void closeOnAnotherThreadEndsTheCallsInFlightCleanly(String calls) throws Exception {
        dev.start(ringId());
        for (int round = 0; round < 3; round++) {
            RingSession s = attach(Role.PRODUCER, Role.CONSUMER);
            SlotBatch b = s.newBatch(4);
            AtomicReference<Throwable> ended = new AtomicReference<>();
            java.util.concurrent.atomic.AtomicLong rounds = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
            Thread driver = new Thread(() -> {
                try {
                    while (true) {
                        switch (calls) {
                            case "single" -> {
                                Slot slot = s.claim();
                                s.push(slot, 12);
                                s.release(s.pop());
                            }
                            case "batch" -> {
                                s.claim(b, 4, 0);
                                s.push(b);
                                s.pop(b, 4);
                                s.release(b);
                            }
                            case "wait" -> {
                                running.countDown(); // the ring is empty: this waits until the close
                                assertFalse(s.awaitReadable(20, TimeUnit.SECONDS), "woke with nothing READY");
                            }
                            case "stats" -> s.stats();
                            // map() itself; what it returned is checked after the close below
                            default -> s.map();
                        }
                        if (rounds.incrementAndGet() == 100) {
                            running.countDown();
                        }
                    }
                } catch (Throwable t) {
                    ended.set(t);
                }
            }, "driver");
            MemorySegment mapping = s.map();
            driver.start();
            running.await();
            Thread.sleep(calls.equals("wait") ? 150 : round); // into the wait's sleep; else anywhere
            long t0 = System.nanoTime();
            s.close();
            long closing = System.nanoTime() - t0;
            driver.join(10_000);
            assertFalse(driver.isAlive(), "the driver still runs after close");
            assertInstanceOf(NotAttachedException.class, ended.get(),
                    calls + " calls racing close ended with " + ended.get());
            assertTrue(closing < TimeUnit.SECONDS.toNanos(2), "close took " + closing / 1_000_000 + " ms");
            // the mapping it handed out is gone with it: a clear error, no access to unmapped memory
            assertThrows(IllegalStateException.class, () -> mapping.get(ValueLayout.JAVA_INT, 0));
            RingStats st = stats();
            // What the session held (claimed, popped) comes back; a packet it pushed before the
            // close stays ready for the next consumer (close may land between push and pop).
            assertEquals(0, st.filling() + st.inFlight(), "slots the closed session held: " + st);
            assertEquals(SLOTS, st.free() + st.ready(), "slots lost by the close: " + st);
            assertEquals(0, st.sessions(), st.toString());
            attach(Role.PRODUCER, Role.CONSUMER).close(); // its roles are free again
            drain();
        }
    }

    /** Pops and releases whatever is READY (a packet a closed session pushed). */
    private void drain() {
        try (RingSession c = dev.attach(ringId(), Role.CONSUMER)) {
            for (Slot slot = c.pop(); slot != null; slot = c.pop()) {
                c.release(slot);
            }
        }
    }
}
