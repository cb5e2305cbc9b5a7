package io.rtpm.ffm.shm;

import io.rtpm.ffm.InvalidSlotException;
import io.rtpm.ffm.RingConfig;
import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.RingStats;
import io.rtpm.ffm.RingStoppedException;
import io.rtpm.ffm.Role;
import io.rtpm.ffm.Slot;
import io.rtpm.ffm.SlotBatch;
import io.rtpm.ffm.internal.Errno;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Batches commit once per chunk of {@link ShmRing#CHUNK} entries: counters and RTP tracking come
 * out as if every slot had been its own step, batches larger than a chunk fit the journal, and a
 * batch that fails half-way inside the lock is rolled back as one step (the path a dead holder's
 * unfinished chunk takes: {@link Journal#rollback()}), slot mirrors included.
 */
class ShmRingBatchTest {

    private static final ValueLayout.OfShort BE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE_INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

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

    private static void rtp(Slot s, int seq, int ssrc) {
        MemorySegment p = s.payload();
        p.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x80);
        p.set(ValueLayout.JAVA_BYTE, 1, (byte) 0);
        p.set(BE_SHORT, 2, (short) seq);
        p.set(BE_INT, 4, seq * 160);
        p.set(BE_INT, 8, ssrc);
        s.length(172);
    }

    @Test
    void aBatchOfManyChunksCountsAndTracksEveryPacket() {
        dev.configure(RingConfig.of(0, 10, 200));
        dev.start(0);
        try (RingSession pc = dev.attach(0, Role.PRODUCER, Role.CONSUMER)) {
            SlotBatch b = pc.newBatch(1024);
            assertEquals(1024, pc.claim(b, 1024, 0));
            assertEquals(0, stats().free());
            // sequence 100.. with one gap of 3 (lost 2), one duplicate and one wrap past 65535
            int[] seqs = new int[1024];
            int seq = 65_000;
            for (int i = 0; i < 1024; i++) {
                if (i == 100) {
                    seq += 2;
                }
                seqs[i] = i == 500 ? seqs[499] : (seq++ & 0xffff);
                rtp(b.get(i), seqs[i], 0x1234);
            }
            b.get(1023).length(11); // not RTP: too short
            assertEquals(1024, pc.push(b));
            RingStats s = stats();
            assertEquals(1024, s.pushed());
            assertEquals(1023L * 172 + 11, s.bytesIn());
            assertEquals(1024, s.ready());
            assertEquals(0, s.filling());
            assertEquals(2, s.rtpLost());
            assertEquals(1, s.rtpDuplicates());
            assertEquals(1, s.rtpNotRtp());
            assertEquals(0x1234, s.rtpSsrc());
            // seqs[1022] went past the wrap: extended by one cycle
            assertEquals(65_536 + seqs[1022], s.rtpMaxSeq());
            assertNull(((ShmRingSession) pc).ring().checkStates());

            SlotBatch p = pc.newBatch(1024);
            assertEquals(1024, pc.pop(p, 1024));
            for (int i = 0; i < 1022; i++) {
                Slot x = p.get(i);
                assertEquals(b.get(i).index(), x.index(), "FIFO order");
                assertEquals(172, x.length());
                assertEquals(seqs[i], x.rtpSequence() & 0xffff);
                assertEquals(ShmRing.SLOT_CONSUMED, x.metaState());
            }
            s = stats();
            assertEquals(1024, s.popped());
            assertEquals(1024, s.inFlight());
            assertEquals(0, s.underruns());
            assertEquals(1024, pc.release(p));
            s = stats();
            assertEquals(1024, s.released());
            assertEquals(1024, s.free());
            assertEquals(1023L * 172 + 11, s.bytesOut());
            dev.stop(0);
            assertThrows(RingStoppedException.class, () -> pc.claim(b, 1, 0));
        }
    }

    @Test
    void aBatchFailingAfterItsFirstChunkKeepsTheChunksBeforeTheFailure() {
        dev.configure(RingConfig.of(0, 8, 100));
        dev.start(0);
        try (RingSession pc = dev.attach(0, Role.PRODUCER, Role.CONSUMER)) {
            SlotBatch b = pc.newBatch(200);
            assertEquals(200, pc.claim(b, 200, 0));
            for (int i = 0; i < 200; i++) {
                b.get(i).length(10 + i % 7);
            }
            Slot failing = b.get(ShmRing.CHUNK + 5);
            pc.push(failing, 3); // pushed alone first: the batch fails there
            long bytes = 3;
            for (int i = 0; i < ShmRing.CHUNK + 5; i++) {
                bytes += 10 + i % 7;
            }
            var e = assertThrows(InvalidSlotException.class, () -> pc.push(b));
            assertEquals(Errno.EBADSLT, e.errno());
            assertEquals(ShmRing.CHUNK + 5, b.done());
            RingStats s = stats();
            assertEquals(ShmRing.CHUNK + 6, s.pushed());
            assertEquals(ShmRing.CHUNK + 6, s.ready());
            assertEquals(200 - ShmRing.CHUNK - 6, s.filling());
            assertEquals(bytes, s.bytesIn());
            assertEquals(1, s.invalid());
            assertNull(((ShmRingSession) pc).ring().checkStates());
        }
    }

    /**
     * What the ring holds, word for word, but for what a step may leave behind without it being
     * ring state: the journal's old entries (only its count is live), the FIFO entries outside
     * [head, tail), and the meta line past the mirror and the payload of each slot in
     * {@code producerOwned} (its producer's, like a payload).
     */
    private static long[] snapshot(ShmRing r, int... producerOwned) {
        MemorySegment seg = r.h.seg;
        ShmGeometry g = r.geo;
        long[] words = new long[(int) (g.fileSize() / 8)];
        for (int i = 0; i < words.length; i++) {
            words[i] = seg.get(ValueLayout.JAVA_LONG, 8L * i);
        }
        for (long o = g.c(ShmLayout.C_JOURNAL); o < g.c(ShmLayout.C_RECORDS); o += 8) {
            words[(int) (o / 8)] = 0;
        }
        maskFifo(words, seg, g, g.freeFifo(), ShmLayout.C_FREE_HEAD, ShmLayout.C_FREE_TAIL);
        maskFifo(words, seg, g, g.readyFifo(), ShmLayout.C_READY_HEAD, ShmLayout.C_READY_TAIL);
        for (int index : producerOwned) {
            long from = g.slot(index);
            for (long o = from + ShmLayout.M_RTP_SEQ; o < from + g.slotStride(); o += 8) {
                words[(int) (o / 8)] = 0;
            }
        }
        return words;
    }

    private static void maskFifo(long[] words, MemorySegment seg, ShmGeometry g, long base,
            long headField, long tailField) {
        int head = seg.get(ValueLayout.JAVA_INT, g.c(headField));
        int tail = seg.get(ValueLayout.JAVA_INT, g.c(tailField));
        int n = g.slotCount();
        for (int k = 0; k < n - (tail - head); k++) {
            long o = base + 4L * ((tail + k) & (n - 1));
            // 4-byte entries in 8-byte words: zero just this half
            int w = (int) (o / 8);
            long half = (o & 4) == 0 ? 0xffffffff00000000L : 0x00000000ffffffffL;
            words[w] &= half;
        }
    }

    @Test
    void aBatchThatDiesHalfWayThroughAChunkIsRolledBackAsOneStep() {
        dev.configure(RingConfig.of(0, 7, 200));
        dev.start(0);
        try (RingSession pc = dev.attach(0, Role.PRODUCER, Role.CONSUMER)) {
            ShmRing ring = ((ShmRingSession) pc).ring();
            // something in the ring first, so that every kind of word has a value to go back to
            SlotBatch b = pc.newBatch(40);
            assertEquals(40, pc.claim(b, 40, 0));
            for (int i = 0; i < 40; i++) {
                rtp(b.get(i), 7 + i, 99);
            }
            assertEquals(40, pc.push(b));
            SlotBatch p = pc.newBatch(10);
            assertEquals(10, pc.pop(p, 10));
            assertEquals(40, pc.claim(b, 40, 0));
            int[] index = new int[40];
            int[] len = new int[30]; // entry 30 throws inside the lock, after 30 transitions
            for (int i = 0; i < 40; i++) {
                index[i] = b.get(i).index();
                rtp(b.get(i), 1000 + 3 * i, 99); // gaps: lost counts and window shifts
                if (i < 30) {
                    len[i] = 172;
                }
            }
            RingStats was = stats(); // opens a handle: its record and token count change
            long[] before = snapshot(ring, index);
            // a throw inside the lock is undone by the journal, as a dead holder's chunk is
            assertThrows(ArrayIndexOutOfBoundsException.class, () -> ring.push(index, len, 40));
            assertArrayEquals(before, snapshot(ring, index), "the ring is word for word as before the batch");
            assertEquals(was, stats());
            assertNull(ring.checkStates());
            // the same with a release batch: CONSUMED back to FREE, the FIFO tail and the gauges
            int[] popped = new int[5];
            for (int i = 0; i < 5; i++) {
                popped[i] = p.get(i).index();
            }
            before = snapshot(ring, index);
            assertThrows(ArrayIndexOutOfBoundsException.class, () -> ring.release(popped, 10));
            assertArrayEquals(before, snapshot(ring, index), "the ring is word for word as before the batch");
            assertNull(ring.checkStates());
            // and the ring goes on from there
            assertEquals(10, pc.release(p));
            assertEquals(40, pc.push(b));
            RingStats s = stats();
            assertEquals(128 - 70, s.free());
            assertEquals(70, s.ready());
            assertEquals(0, s.inFlight());
            assertEquals(80, s.pushed());
            assertEquals(1000 - 46 - 1 + 2L * 39, s.rtpLost());
            assertEquals(0, s.rtpResets());
        }
    }

    @Test
    void aRingFileOfTheFirstLayoutVersionIsRefusedAndConfigureReplacesIt() throws Exception {
        dev.configure(RingConfig.of(0, 4, 200));
        ShmGeometry g = ShmGeometry.of(4, 200);
        java.nio.file.Path f = dir.path.resolve("rtpm-0");
        // version 1 journals slot mirrors and does not re-derive them: the two must not share a ring
        try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
            b.putLong(0, 0x314d48534d505452L); // "RTPMSHM1"
            ch.write(b, g.c(ShmLayout.C_MAGIC));
        }
        var e = assertThrows(io.rtpm.ffm.RtpmException.class, () -> dev.stats(0));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("of this version"), e.getMessage());
        dev.configure(RingConfig.of(0, 4, 200));
        assertEquals(16, stats().free());
    }
}
