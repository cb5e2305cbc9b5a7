package io.rtpm.bench.ring;

import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.Slot;
import io.rtpm.ffm.SlotBatch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One producer thread and one consumer thread per ring (JMH groups), the supported model of
 * {@link RingSession}. The producer writes packets as fast as the ring takes them, the consumer
 * reads them as fast as they come; neither waits: a full or empty ring is counted and retried.
 * The figures that matter are the {@code pushed} and {@code popped} counters (packets per second);
 * the primary score counts calls, including those that found the ring full or empty.
 *
 * <p>{@code rtpmAwait} is the sleeping path instead: a two-slot ring where each side waits
 * ({@link RingSession#awaitWritable}, {@link RingSession#awaitReadable}) before every step, so
 * most packets cost a futex sleep and wake-up; with {@code -prof gc} it shows what a wait allocates.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// rtpm calls libc (native access); Agrona 2 reaches jdk.internal.misc.Unsafe, JCTools sun.misc.Unsafe
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class SpscBench {

    /** How long a side of {@code rtpmAwait} waits at most (the other side may have stopped). */
    private static final long AWAIT_MS = 100;

    /** What each side of a group owns: its packet source and sink. */
    abstract static class Side {
        Payload payload;
        private Arena arena;

        /** Makes this thread's source and sink. */
        @Setup(Level.Trial)
        public void makePayload() {
            arena = Arena.ofConfined();
            payload = new Payload(arena);
        }

        /** Frees them. */
        @TearDown(Level.Trial)
        public void freePayload() {
            arena.close();
        }
    }

    /** Producer-side counts: packets pushed, calls that found the ring full. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Producer extends Side {
        /** Packets pushed. */
        public long pushed;
        /** Calls that found no free slot. */
        public long full;

        /** Counts each iteration from zero. */
        @Setup(Level.Iteration)
        public void reset() {
            pushed = 0;
            full = 0;
        }
    }

    /** Consumer-side counts: packets popped, calls that found the ring empty. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Consumer extends Side {
        /** Packets popped. */
        public long popped;
        /** Calls that found nothing ready. */
        public long empty;
        int lastRead;

        /** Counts each iteration from zero. */
        @Setup(Level.Iteration)
        public void reset() {
            popped = 0;
            empty = 0;
        }
    }

    /** The rtpm user-space ring of a group, with one batch per side. */
    @State(Scope.Group)
    public static class RtpmRing {
        Rings.Rtpm ring;
        SlotBatch claimed;
        SlotBatch popped;

        /** Configures, starts and attaches a ring of {@link Rings#ORDER}. */
        @Setup(Level.Trial)
        public void setUp() {
            ring = new Rings.Rtpm(Rings.ORDER);
            claimed = ring.producer.newBatch(Rings.BATCH);
            popped = ring.consumer.newBatch(Rings.BATCH);
        }

        /** Removes the ring. */
        @TearDown(Level.Trial)
        public void tearDown() {
            ring.close();
        }
    }

    /** A two-slot rtpm ring, so that both sides keep waiting for each other. */
    @State(Scope.Group)
    public static class RtpmTinyRing {
        Rings.Rtpm ring;

        /** Configures, starts and attaches a ring of order 1. */
        @Setup(Level.Trial)
        public void setUp() {
            ring = new Rings.Rtpm(1);
        }

        /** Removes the ring. */
        @TearDown(Level.Trial)
        public void tearDown() {
            ring.close();
        }
    }

    /** Native memory a group's ring lives in, shared by its two threads. */
    abstract static class Shared {
        Arena arena;

        /** Frees the ring's memory. */
        @TearDown(Level.Trial)
        public void closeArena() {
            arena.close();
        }
    }

    /** The Agrona ring of a group. */
    @State(Scope.Group)
    public static class AgronaRing extends Shared {
        Rings.Agrona ring;

        /** Allocates the ring buffer (JMH runs a superclass's setup in no set order: done here). */
        @Setup(Level.Trial)
        public void setUp() {
            arena = Arena.ofShared();
            ring = new Rings.Agrona(arena);
        }
    }

    /** The JCTools queues and slots of a group. */
    @State(Scope.Group)
    public static class JctoolsRing extends Shared {
        Rings.Jctools ring;

        /** Allocates the slots and fills the FREE queue. */
        @Setup(Level.Trial)
        public void setUp() {
            arena = Arena.ofShared();
            ring = new Rings.Jctools(arena);
        }
    }

    /** A consumer's reader callbacks for Agrona and JCTools, made once per thread. */
    @State(Scope.Thread)
    public static class Readers {
        MessageHandler agrona;
        MessagePassingQueue.Consumer<MemorySegment> jctools;

        /** Makes the Agrona callback on first use: it reads into {@code c}'s sink. */
        void bind(Consumer c, AgronaRing a) {
            if (agrona == null) {
                MemorySegment mem = a.ring.mem;
                agrona = (type, buffer, index, length) -> c.lastRead = c.payload.read(mem, index);
            }
        }

        /** Makes the JCTools callback on first use: it reads into {@code c}'s sink, then frees the slot. */
        void bind(Consumer c, JctoolsRing j) {
            if (jctools == null) {
                SpscArrayQueue<MemorySegment> free = j.ring.free;
                jctools = slot -> {
                    c.lastRead = c.payload.read(slot, 0);
                    free.offer(slot);
                };
            }
        }
    }

    /** Writes a claimed slot and pushes it, or counts a full ring when there is none. */
    private static void push(RingSession s, Slot slot, Producer p) {
        if (slot == null) {
            p.full++;
            return;
        }
        p.payload.write(slot.payload(), 0);
        s.push(slot, Payload.SIZE);
        p.pushed++;
    }

    /** Reads a popped slot and releases it, or counts an empty ring when there is none. */
    private static int release(RingSession s, Slot slot, Consumer c) {
        if (slot == null) {
            c.empty++;
            return 0;
        }
        int seq = c.payload.read(slot.payload(), 0);
        s.release(slot);
        c.popped++;
        return seq;
    }

    // ---- rtpm, one packet per call ---------------------------------------------------------

    /**
     * @param r the ring
     * @param p the producer's counts
     */
    @Benchmark
    @Group("rtpmSingle")
    @GroupThreads(1)
    public void rtpmSingleProduce(RtpmRing r, Producer p) {
        RingSession s = r.ring.producer;
        push(s, s.claim(), p);
    }

    /**
     * @param r the ring
     * @param c the consumer's counts
     * @return the sequence number read
     */
    @Benchmark
    @Group("rtpmSingle")
    @GroupThreads(1)
    public int rtpmSingleConsume(RtpmRing r, Consumer c) {
        RingSession s = r.ring.consumer;
        return release(s, s.pop(), c);
    }

    // ---- rtpm, batches -------------------------------------------------------------------------

    /**
     * @param r the ring
     * @param p the producer's counts
     */
    @Benchmark
    @Group("rtpmBatch")
    @GroupThreads(1)
    public void rtpmBatchProduce(RtpmRing r, Producer p) {
        RingSession s = r.ring.producer;
        SlotBatch b = r.claimed;
        int n = s.claim(b, Rings.BATCH, 0);
        if (n == 0) {
            p.full++;
            return;
        }
        for (int i = 0; i < n; i++) {
            Slot slot = b.get(i);
            p.payload.write(slot.payload(), 0);
            slot.length(Payload.SIZE);
        }
        s.push(b);
        p.pushed += n;
    }

    /**
     * @param r the ring
     * @param c the consumer's counts
     * @return the last sequence number read
     */
    @Benchmark
    @Group("rtpmBatch")
    @GroupThreads(1)
    public int rtpmBatchConsume(RtpmRing r, Consumer c) {
        RingSession s = r.ring.consumer;
        SlotBatch b = r.popped;
        int n = s.pop(b, Rings.BATCH);
        if (n == 0) {
            c.empty++;
            return 0;
        }
        int seq = 0;
        for (int i = 0; i < n; i++) {
            seq = c.payload.read(b.get(i).payload(), 0);
        }
        s.release(b);
        c.popped += n;
        return seq;
    }

    // ---- rtpm, sleeping waits --------------------------------------------------------------

    /**
     * @param r the two-slot ring
     * @param p the producer's counts
     */
    @Benchmark
    @Group("rtpmAwait")
    @GroupThreads(1)
    public void rtpmAwaitProduce(RtpmTinyRing r, Producer p) {
        RingSession s = r.ring.producer;
        push(s, s.awaitWritable(AWAIT_MS, TimeUnit.MILLISECONDS) ? s.claim() : null, p);
    }

    /**
     * @param r the two-slot ring
     * @param c the consumer's counts
     * @return the sequence number read
     */
    @Benchmark
    @Group("rtpmAwait")
    @GroupThreads(1)
    public int rtpmAwaitConsume(RtpmTinyRing r, Consumer c) {
        RingSession s = r.ring.consumer;
        return release(s, s.awaitReadable(AWAIT_MS, TimeUnit.MILLISECONDS) ? s.pop() : null, c);
    }

    // ---- Agrona --------------------------------------------------------------------------

    private static void agronaProduce(Rings.Agrona a, Producer p, int count) {
        OneToOneRingBuffer ring = a.ring;
        for (int i = 0; i < count; i++) {
            int at = ring.tryClaim(1, Payload.SIZE);
            if (at < 0) {
                p.full++;
                return;
            }
            p.payload.write(a.mem, at);
            ring.commit(at);
            p.pushed++;
        }
    }

    private static int agronaConsume(AgronaRing a, Consumer c, Readers rd, int limit) {
        rd.bind(c, a);
        int n = a.ring.ring.read(rd.agrona, limit);
        if (n == 0) {
            c.empty++;
        }
        c.popped += n;
        return c.lastRead;
    }

    /**
     * @param a the ring
     * @param p the producer's counts
     */
    @Benchmark
    @Group("agronaSingle")
    @GroupThreads(1)
    public void agronaSingleProduce(AgronaRing a, Producer p) {
        agronaProduce(a.ring, p, 1);
    }

    /**
     * @param a the ring
     * @param c the consumer's counts
     * @param rd the reader callback
     * @return the sequence number read
     */
    @Benchmark
    @Group("agronaSingle")
    @GroupThreads(1)
    public int agronaSingleConsume(AgronaRing a, Consumer c, Readers rd) {
        return agronaConsume(a, c, rd, 1);
    }

    /**
     * @param a the ring
     * @param p the producer's counts
     */
    @Benchmark
    @Group("agronaBatch")
    @GroupThreads(1)
    public void agronaBatchProduce(AgronaRing a, Producer p) {
        agronaProduce(a.ring, p, Rings.BATCH);
    }

    /**
     * @param a the ring
     * @param c the consumer's counts
     * @param rd the reader callback
     * @return the last sequence number read
     */
    @Benchmark
    @Group("agronaBatch")
    @GroupThreads(1)
    public int agronaBatchConsume(AgronaRing a, Consumer c, Readers rd) {
        return agronaConsume(a, c, rd, Rings.BATCH);
    }

    // ---- JCTools -------------------------------------------------------------------------

    private static void jctoolsProduce(Rings.Jctools j, Producer p, int count) {
        SpscArrayQueue<MemorySegment> free = j.free;
        SpscArrayQueue<MemorySegment> ready = j.ready;
        for (int i = 0; i < count; i++) {
            MemorySegment slot = free.relaxedPoll();
            if (slot == null) {
                p.full++;
                return;
            }
            p.payload.write(slot, 0);
            ready.offer(slot);
            p.pushed++;
        }
    }

    /**
     * @param j the queues
     * @param p the producer's counts
     */
    @Benchmark
    @Group("jctoolsSingle")
    @GroupThreads(1)
    public void jctoolsSingleProduce(JctoolsRing j, Producer p) {
        jctoolsProduce(j.ring, p, 1);
    }

    /**
     * @param j the queues
     * @param c the consumer's counts
     * @return the sequence number read
     */
    @Benchmark
    @Group("jctoolsSingle")
    @GroupThreads(1)
    public int jctoolsSingleConsume(JctoolsRing j, Consumer c) {
        MemorySegment slot = j.ring.ready.relaxedPoll();
        if (slot == null) {
            c.empty++;
            return 0;
        }
        int seq = c.payload.read(slot, 0);
        j.ring.free.offer(slot);
        c.popped++;
        return seq;
    }

    /**
     * @param j the queues
     * @param p the producer's counts
     */
    @Benchmark
    @Group("jctoolsBatch")
    @GroupThreads(1)
    public void jctoolsBatchProduce(JctoolsRing j, Producer p) {
        jctoolsProduce(j.ring, p, Rings.BATCH);
    }

    /**
     * @param j the queues
     * @param c the consumer's counts
     * @param rd the reader callback
     * @return the last sequence number read
     */
    @Benchmark
    @Group("jctoolsBatch")
    @GroupThreads(1)
    public int jctoolsBatchConsume(JctoolsRing j, Consumer c, Readers rd) {
        rd.bind(c, j);
        int n = j.ring.ready.drain(rd.jctools, Rings.BATCH);
        if (n == 0) {
            c.empty++;
        }
        c.popped += n;
        return c.lastRead;
    }
}
