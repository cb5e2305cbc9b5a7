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
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One thread plays producer and consumer: every operation is one packet written into the ring
 * and read out again (claim, write, push, pop, read, release), so the score is the ring's cost
 * per packet without any cross-core traffic. The {@code batch} methods move {@link Rings#BATCH}
 * packets per call (the score is still per packet). Agrona and JCTools have no batched write:
 * their batch forms batch the read side ({@code read(handler, limit)}, {@code drain}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// rtpm calls libc (native access); Agrona 2 reaches jdk.internal.misc.Unsafe, JCTools sun.misc.Unsafe
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class RoundTripBench {

    private Arena arena;
    private Payload payload;
    private Rings.Rtpm rtpm;
    private RingSession producer;
    private RingSession consumer;
    private SlotBatch claimed;
    private SlotBatch popped;
    private Rings.Agrona agrona;
    private Rings.Jctools jctools;
    private MessageHandler agronaReader;
    private MessagePassingQueue.Consumer<MemorySegment> jctoolsReader;
    /** The last sequence number a reader callback read (returned, so the JIT keeps the reads). */
    private int lastRead;

    /** Makes the three rings, empty. */
    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        payload = new Payload(arena);
        rtpm = new Rings.Rtpm(Rings.ORDER);
        producer = rtpm.producer;
        consumer = rtpm.consumer;
        claimed = producer.newBatch(Rings.BATCH);
        popped = consumer.newBatch(Rings.BATCH);
        agrona = new Rings.Agrona(arena);
        jctools = new Rings.Jctools(arena);
        MemorySegment agronaMem = agrona.mem;
        agronaReader = (type, buffer, index, length) -> lastRead = payload.read(agronaMem, index);
        SpscArrayQueue<MemorySegment> free = jctools.free;
        jctoolsReader = slot -> {
            lastRead = payload.read(slot, 0);
            free.offer(slot);
        };
    }

    /** Removes the rtpm ring and frees the memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        rtpm.close();
        arena.close();
    }

    private static IllegalStateException broken(String what) {
        return new IllegalStateException(what + ": the ring lost a packet in a one-thread round trip");
    }

    /**
     * rtpm, one call per step: claim, write, push, pop, read, release.
     *
     * @param b takes what was read
     */
    @Benchmark
    public void rtpmSingle(Blackhole b) {
        Slot s = producer.claim();
        payload.write(s.payload(), 0);
        producer.push(s, Payload.SIZE);
        Slot r = consumer.pop();
        b.consume(payload.read(r.payload(), 0));
        consumer.release(r);
    }

    /**
     * rtpm, {@link Rings#BATCH} packets per call of each step.
     *
     * @param b takes what was read
     */
    @Benchmark
    @OperationsPerInvocation(Rings.BATCH)
    public void rtpmBatch(Blackhole b) {
        SlotBatch c = claimed;
        int n = producer.claim(c, Rings.BATCH, 0);
        for (int i = 0; i < n; i++) {
            Slot s = c.get(i);
            payload.write(s.payload(), 0);
            s.length(Payload.SIZE);
        }
        producer.push(c);
        SlotBatch p = popped;
        int m = consumer.pop(p, Rings.BATCH);
        if (m != Rings.BATCH) {
            throw broken("popped " + m + " of " + Rings.BATCH);
        }
        for (int i = 0; i < m; i++) {
            b.consume(payload.read(p.get(i).payload(), 0));
        }
        consumer.release(p);
    }

    /**
     * Agrona: tryClaim, write, commit, then read one record.
     *
     * @return the sequence number read
     */
    @Benchmark
    public int agronaSingle() {
        OneToOneRingBuffer ring = agrona.ring;
        int at = ring.tryClaim(1, Payload.SIZE);
        payload.write(agrona.mem, at);
        ring.commit(at);
        readAgrona(1);
        return lastRead;
    }

    /**
     * Agrona: {@link Rings#BATCH} claims and commits, then one read of up to as many records.
     *
     * @return the last sequence number read
     */
    @Benchmark
    @OperationsPerInvocation(Rings.BATCH)
    public int agronaBatch() {
        OneToOneRingBuffer ring = agrona.ring;
        for (int i = 0; i < Rings.BATCH; i++) {
            int at = ring.tryClaim(1, Payload.SIZE);
            payload.write(agrona.mem, at);
            ring.commit(at);
        }
        readAgrona(Rings.BATCH);
        return lastRead;
    }

    /**
     * Reads {@code count} records. A read stops at the end of the buffer, where Agrona pads
     * the record that did not fit, so it may take two.
     */
    private void readAgrona(int count) {
        int n = agrona.ring.read(agronaReader, count);
        if (n < count) {
            n += agrona.ring.read(agronaReader, count - n);
        }
        if (n != count) {
            throw broken("agrona read " + n + " of " + count);
        }
    }

    /**
     * JCTools: take a FREE slot, write, offer to READY; poll READY, read, offer back to FREE.
     *
     * @param b takes what was read
     */
    @Benchmark
    public void jctoolsSingle(Blackhole b) {
        MemorySegment s = jctools.free.relaxedPoll();
        payload.write(s, 0);
        jctools.ready.relaxedOffer(s);
        MemorySegment r = jctools.ready.relaxedPoll();
        b.consume(payload.read(r, 0));
        jctools.free.relaxedOffer(r);
    }

    /**
     * JCTools: {@link Rings#BATCH} slots written and offered, then one drain of as many.
     *
     * @return the last sequence number read
     */
    @Benchmark
    @OperationsPerInvocation(Rings.BATCH)
    public int jctoolsBatch() {
        SpscArrayQueue<MemorySegment> free = jctools.free;
        SpscArrayQueue<MemorySegment> ready = jctools.ready;
        for (int i = 0; i < Rings.BATCH; i++) {
            MemorySegment s = free.relaxedPoll();
            payload.write(s, 0);
            ready.relaxedOffer(s);
        }
        if (ready.drain(jctoolsReader, Rings.BATCH) != Rings.BATCH) {
            throw broken("jctools drain");
        }
        return lastRead;
    }
}
