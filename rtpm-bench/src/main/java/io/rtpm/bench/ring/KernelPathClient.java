package io.rtpm.bench.ring;

import io.rtpm.ffm.Backend;
import io.rtpm.ffm.RingConfig;
import io.rtpm.ffm.RingDevice;
import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.RingStats;
import io.rtpm.ffm.Role;
import io.rtpm.ffm.RtpmException;
import io.rtpm.ffm.Slot;
import io.rtpm.ffm.SlotBatch;
import io.rtpm.ffm.abi.rtpm_ring_header;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The Java side of the vm-test hook kernel-bench: the same work as
 * vm-test/selftests/bench_client.c (read its header), through rtpm-ffm's public API on the real
 * module. A producer thread and a consumer thread stream packets through one ring, single-slot
 * calls at batch size 1 and batch calls above; before each call a side spins (at most 1 ms) until
 * the mapped header shows enough FREE or READY slots, and waits in
 * {@link RingSession#awaitWritable}/{@link RingSession#awaitReadable} (poll) when a call finds none.
 * Every data call of the API is one ioctl and every wait at least one poll, so the counts it
 * prints are its system calls (the hook's strace pass checks that from outside).
 *
 * <p>Usage: {@code KernelPathClient RING PACKETS WARMUP TRACED GOFILE|- B [B ...]}, as the C
 * client: WARMUP unmeasured packets per B, an idle second for the JIT, then PACKETS timed packets
 * per B; with a GOFILE, {@code kernel-bench: warm} and a wait for GOFILE.wide between the
 * warm-ups and the timed runs (the hook runs the JVM on one vCPU until then, and widens it to
 * every vCPU before it creates that file: vm-test/README.md, "TCG threads and the guest JVM"),
 * then {@code kernel-bench: trace now}, a wait for GOFILE (strace attaches meanwhile), and
 * TRACED packets per B. One line per run: {@code kernel-bench: client=java pass=timed|traced batch=B
 * packets=N ns=T prod_calls=.. prod_waits=.. cons_calls=.. cons_waits=..}.
 * Exits 1 with a message when a packet comes out wrong or the module's counters disagree.
 */
public final class KernelPathClient {

    private static final int PKT = Payload.SIZE;
    private static final int COUNTER_AT = 12;
    private static final int ORDER = 10;
    private static final long SPIN_NS = 1_000_000L;
    private static final long POLL_MS = 100;
    private static final long IDLE_MS = 1000;
    private static final ValueLayout.OfInt COUNTER = ValueLayout.JAVA_INT_UNALIGNED;
    private static final long FREE_AT = rtpm_ring_header.free$offset();
    private static final long READY_AT = rtpm_ring_header.ready$offset();
    private static final VarHandle GAUGE = ValueLayout.JAVA_INT.varHandle();

    /** One side's session, batch and call counts. */
    private static final class Side {
        final RingSession session;
        final MemorySegment header;
        final SlotBatch batch;
        final MemorySegment buf;
        long calls;
        long waits;

        Side(RingSession session, Arena arena) {
            this.session = session;
            this.header = session.map();
            this.batch = session.newBatch(1024);
            this.buf = arena.allocate(PKT, 64);
        }

        /**
         * Spins (at most SPIN_NS) until the header gauge at {@code at} reaches {@code want}. Reads
         * the clock only every 1024 turns, as the C client: in the guest it may be a system call.
         */
        void spinUntil(long at, int want) {
            if (gauge(at) >= want) {
                return;
            }
            long t0 = System.nanoTime();
            int turn = 0;
            while (gauge(at) < want) {
                Thread.onSpinWait();
                if ((++turn & 1023) == 0 && System.nanoTime() - t0 >= SPIN_NS) {
                    break;
                }
            }
        }

        private int gauge(long at) {
            // written by the kernel under its ring lock (WRITE_ONCE): read it once, with acquire
            return (int) GAUGE.getAcquire(header, at);
        }
    }

    private final long packets;
    private final int batchSize;
    private final MemorySegment template;
    private volatile String failure;

    private KernelPathClient(long packets, int batchSize, MemorySegment template) {
        this.packets = packets;
        this.batchSize = batchSize;
        this.template = template;
    }

    private void produce(Side s) {
        long sent = 0;
        RingSession r = s.session;
        while (sent < packets && failure == null) {
            int want = (int) Math.min(batchSize, packets - sent);
            s.spinUntil(FREE_AT, want);
            s.calls++;
            int n;
            if (batchSize == 1) {
                Slot slot = r.claim();
                n = slot == null ? 0 : 1;
                if (slot != null) {
                    write(slot.payload(), sent);
                    s.calls++;
                    r.push(slot, PKT);
                }
            } else {
                n = r.claim(s.batch, want, 0);
                for (int i = 0; i < n; i++) {
                    Slot slot = s.batch.get(i);
                    write(slot.payload(), sent + i);
                    slot.length(PKT);
                }
                if (n > 0) {
                    s.calls++;
                    r.push(s.batch);
                }
            }
            if (n == 0) {
                s.waits++;
                r.awaitWritable(POLL_MS, TimeUnit.MILLISECONDS);
            }
            sent += n;
        }
    }

    private void write(MemorySegment p, long counter) {
        MemorySegment.copy(template, 0, p, 0, PKT);
        p.set(ValueLayout.JAVA_BYTE, 2, (byte) (counter >> 8));
        p.set(ValueLayout.JAVA_BYTE, 3, (byte) counter);
        p.set(COUNTER, COUNTER_AT, (int) counter);
    }

    private void consume(Side s) {
        long got = 0;
        RingSession r = s.session;
        while (got < packets && failure == null) {
            int want = (int) Math.min(batchSize, packets - got);
            s.spinUntil(READY_AT, want);
            s.calls++;
            int n;
            if (batchSize == 1) {
                Slot slot = r.pop();
                n = slot == null ? 0 : 1;
                if (slot != null) {
                    check(s, slot, got);
                    s.calls++;
                    r.release(slot);
                }
            } else {
                n = r.pop(s.batch, want);
                for (int i = 0; i < n; i++) {
                    check(s, s.batch.get(i), got + i);
                }
                if (n > 0) {
                    s.calls++;
                    r.release(s.batch);
                }
            }
            if (n == 0) {
                s.waits++;
                r.awaitReadable(POLL_MS, TimeUnit.MILLISECONDS);
            }
            got += n;
        }
    }

    private void check(Side s, Slot slot, long expected) {
        MemorySegment.copy(slot.payload(), 0, s.buf, 0, PKT);
        if (slot.length() != PKT || s.buf.get(COUNTER, COUNTER_AT) != (int) expected) {
            failure = "a packet came out wrong (length, order or content) at packet " + expected;
        }
    }

    /** Streams the packets with both threads; returns the elapsed nanoseconds. */
    private long stream(Side prod, Side cons) throws InterruptedException {
        prod.calls = prod.waits = cons.calls = cons.waits = 0;
        Thread.UncaughtExceptionHandler died = (th, e) -> failure = th.getName() + " failed: " + e;
        long t0 = System.nanoTime();
        Thread c = Thread.ofPlatform().name("consumer").uncaughtExceptionHandler(died).start(() -> consume(cons));
        Thread p = Thread.ofPlatform().name("producer").uncaughtExceptionHandler(died).start(() -> produce(prod));
        p.join();
        c.join();
        long ns = System.nanoTime() - t0;
        if (failure != null) {
            throw new IllegalStateException("batch " + batchSize + ": " + failure);
        }
        return ns;
    }

    /**
     * @param args RING PACKETS WARMUP TRACED GOFILE|- B [B ...]
     * @throws Exception on any failure (exit 1)
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: KernelPathClient RING PACKETS WARMUP TRACED GOFILE|- BATCH [BATCH ...]");
            System.exit(2);
        }
        int ring = Integer.parseInt(args[0]);
        long n = Long.parseLong(args[1]);
        long warm = Long.parseLong(args[2]);
        long traced = Long.parseLong(args[3]);
        Path go = "-".equals(args[4]) ? null : Path.of(args[4]);
        int[] batches = new int[args.length - 5];
        for (int a = 0; a < batches.length; a++) {
            batches[a] = Integer.parseInt(args[5 + a]);
        }
        try (Arena arena = Arena.ofShared(); RingDevice dev = RingDevice.open(Backend.KERNEL)) {
            MemorySegment template = arena.allocate(PKT, 64);
            template.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x80); // V=2, PT 0 (PCMU), as the C client
            quietly(() -> dev.stop(ring));
            quietly(() -> dev.unconfigure(ring));
            dev.configure(RingConfig.of(ring, ORDER, PKT));
            dev.start(ring);
            try (RingSession p = dev.attach(ring, Role.PRODUCER); RingSession c = dev.attach(ring, Role.CONSUMER)) {
                Side prod = new Side(p, arena);
                Side cons = new Side(c, arena);
                // every warm-up first: the JIT's work (and its patching of compiled code, which
                // the hook keeps on one vCPU) is done before anything is measured
                if (warm > 0) {
                    for (int b : batches) {
                        new KernelPathClient(warm, b, template).stream(prod, cons);
                    }
                    // idle: the two busy threads left the vCPUs no time for the JIT to compile
                    // what the warm-ups queued (the C client idles alike)
                    Thread.sleep(IDLE_MS);
                }
                if (go != null) {
                    System.out.println("kernel-bench: warm");
                    System.out.flush();
                    awaitFile(go.resolveSibling(go.getFileName() + ".wide"));
                }
                // the timed runs, then (with a go file) the traced runs, each bracketed by GET_STATS
                for (int pass = 0; pass < (go == null ? 1 : 2); pass++) {
                    if (pass == 1) {
                        System.out.println("kernel-bench: trace now");
                        System.out.flush();
                        awaitFile(go);
                    }
                    for (int b : batches) {
                        long count = pass == 0 ? n : traced;
                        RingStats before = dev.stats(ring); // marker: the measured run starts
                        long ns = new KernelPathClient(count, b, template).stream(prod, cons);
                        RingStats after = dev.stats(ring); // marker: it ended
                        check(b, before, after, count);
                        System.out.printf("kernel-bench: client=java pass=%s batch=%d packets=%d ns=%d"
                                + " prod_calls=%d prod_waits=%d cons_calls=%d cons_waits=%d%n",
                                pass == 0 ? "timed" : "traced", b, count, ns, prod.calls, prod.waits,
                                cons.calls, cons.waits);
                        System.out.flush();
                    }
                }
            } finally {
                quietly(() -> dev.stop(ring));
                quietly(() -> dev.unconfigure(ring));
            }
        }
    }

    /** The module's counters must show exactly the packets streamed, and nothing held. */
    private static void check(int b, RingStats before, RingStats after, long n) {
        if (after.pushed() - before.pushed() != n || after.popped() - before.popped() != n
                || after.released() - before.released() != n || after.invalid() != before.invalid()
                || after.ready() != 0 || after.inFlight() != 0 || after.filling() != 0) {
            throw new IllegalStateException("batch " + b + ": the module counted " + before + " -> " + after
                    + ", expected " + n + " more pushed, popped and released, nothing held");
        }
    }

    /** Waits (at most 600 s) until the hook has created {@code go} (strace attached, or the JVM widened). */
    private static void awaitFile(Path go) throws InterruptedException {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (!Files.exists(go)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + go + " within 600 s");
            }
            Thread.sleep(10);
        }
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RtpmException e) {
            // stopping or unconfiguring an idle ring: expected to fail
        }
    }
}
