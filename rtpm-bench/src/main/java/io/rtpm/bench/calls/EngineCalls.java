package io.rtpm.bench.calls;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.management.ThreadMXBean;

import io.rtpm.engine.Call;
import io.rtpm.engine.CallSpec;
import io.rtpm.engine.EndpointLearning;
import io.rtpm.engine.DropCause;
import io.rtpm.engine.EngineConfig;
import io.rtpm.engine.IoDesign;
import io.rtpm.engine.LegSpec;
import io.rtpm.engine.LegStats;
import io.rtpm.engine.MediaEngine;
import io.rtpm.ffm.Backend;
import io.rtpm.ffm.RingDevice;

/**
 * The engine as a relay under test of rtpm-bench/calls-load (its README has the contract): sets
 * up N two-way calls whose endpoints live on their own loopback addresses (A of call i at
 * 127.2.hi.lo, B at 127.3.hi.lo, hi.lo = i / 256, i % 256, all on {@code --endpoint-port}), writes
 * the calls file the C generator and sink read (to a temporary name, then renamed), prints
 * {@code engine-calls: ready}, and runs until SIGTERM (or {@code --seconds}). Then it writes every
 * call's counters to {@code --stats-file} ({@code call dir received sent send_errors}) and prints
 * the bytes the worker threads allocated from the ready line to the end (ThreadMXBean).
 *
 * <p>{@code --churn K} adds and removes K further calls during the run, from another thread,
 * spread over {@code --churn-seconds}: the traffic of the N calls must not notice (issue 16,
 * section 4). {@code --design epoll|io_uring|auto}, {@code --backend auto|kernel|shm},
 * {@code --workers T}, {@code --pin} (worker i on CPU i).
 */
public final class EngineCalls {

    private EngineCalls() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        int calls = Integer.parseInt(o.getOrDefault("calls", "500"));
        int workers = Integer.parseInt(o.getOrDefault("workers", "2"));
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "0"));
        int churn = Integer.parseInt(o.getOrDefault("churn", "0"));
        int churnSeconds = Integer.parseInt(o.getOrDefault("churn-seconds", "20"));
        int portMin = Integer.parseInt(o.getOrDefault("port-min", "50000"));
        int portMax = Integer.parseInt(o.getOrDefault("port-max", "59999"));
        int endpointPort = Integer.parseInt(o.getOrDefault("endpoint-port", "41000"));
        int firstRing = Integer.parseInt(o.getOrDefault("ring", "0"));
        InetAddress local = InetAddress.getByName(o.getOrDefault("local", "127.0.0.1"));
        Path callsFile = Path.of(o.getOrDefault("calls-file", "calls.tsv"));
        Path statsFile = o.containsKey("stats-file") ? Path.of(o.get("stats-file")) : null;
        Backend backend = Backend.valueOf(o.getOrDefault("backend", "auto").toUpperCase());
        IoDesign design = IoDesign.valueOf(o.getOrDefault("design", "auto").toUpperCase());
        int[] pin = new int[o.containsKey("pin") ? workers : 0];
        for (int i = 0; i < pin.length; i++) {
            pin[i] = i;
        }

        EngineConfig cfg = EngineConfig.builder(local).workers(workers).pin(pin).ports(portMin, portMax)
                .rings(firstRing, 12, 1500).socketBuffers(1 << 20, 1 << 20).ioDesign(design)
                .timeout(Duration.ZERO).legsPerWorker(Math.max(64, 2 * (calls + churn) / workers + 64))
                .build();
        RingDevice dev = RingDevice.open(backend);
        MediaEngine engine = MediaEngine.start(dev, cfg);
        System.out.println("engine-calls: backend " + engine.backend() + ", " + workers + " workers on "
                + engine.design() + ", fd limit " + engine.fileLimit());
        int warm = Integer.parseInt(o.getOrDefault("warm-up", "5"));
        if (warm > 0) {
            long w0 = System.nanoTime();
            int n = engine.warmUp(Duration.ofSeconds(warm));
            System.out.printf("engine-calls: warmed up on %d packets in %.1f s%n", n, (System.nanoTime() - w0) / 1e9);
        }
        List<Call> list = new ArrayList<>(calls);
        long heap0 = usedHeap();
        long t0 = System.nanoTime();
        Path tmp = callsFile.resolveSibling(callsFile.getFileName() + ".tmp");
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(tmp))) {
            w.println("# pid " + ProcessHandle.current().pid());
            w.println("# index a_endpoint b_endpoint relay_a_side relay_b_side");
            for (int i = 0; i < calls; i++) {
                InetSocketAddress a = new InetSocketAddress(endpoint(2, i), endpointPort);
                InetSocketAddress b = new InetSocketAddress(endpoint(3, i), endpointPort);
                Call c = engine.addCall(CallSpec.builder("call-" + i)
                        .leg(LegSpec.builder().remote(a).learning(EndpointLearning.OFF).build())
                        .leg(LegSpec.builder().remote(b).learning(EndpointLearning.OFF).build()).build());
                list.add(c);
                w.println(i + " " + hp(a) + " " + hp(b) + " " + hp(c.localRtp(0)) + " " + hp(c.localRtp(1)));
            }
        }
        Files.move(tmp, callsFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("engine-calls: %d calls set up in %.0f ms; heap %d bytes a call%n", calls,
                (System.nanoTime() - t0) / 1e6, (usedHeap() - heap0) / Math.max(1, calls));
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        Map<Long, Long> before = workerAllocations(mx);
        int settle = Integer.parseInt(o.getOrDefault("alloc-after", "5"));
        Map<Long, Long>[] steady = newMaps();
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                finished.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(0); // SIGTERM is how the driver ends a relay: not a failure
        }));
        System.out.println("engine-calls: ready");
        System.out.flush();
        AtomicLong churned = new AtomicLong();
        Thread churner = churn > 0 ? Thread.ofPlatform().name("churn").daemon(true).start(() ->
                churn(engine, churn, churnSeconds, endpointPort, churned)) : null;
        long readyNanos = System.nanoTime();
        if (stop.await(settle, TimeUnit.SECONDS) == false && (seconds == 0 || settle < seconds)) {
            steady[0] = workerAllocations(mx); // the steady state starts once traffic has settled
            if (seconds > 0) {
                stop.await(Math.max(0, seconds * 1_000_000_000L - (System.nanoTime() - readyNanos)),
                        TimeUnit.NANOSECONDS);
            } else {
                stop.await();
            }
        }
        Map<Long, Long> after = workerAllocations(mx);
        long allocated = allocatedBetween(before, after);
        long steadyAllocated = steady[0] == null ? -1 : allocatedBetween(steady[0], after);
        long drops = 0;
        if (statsFile != null) {
            Path st = statsFile.resolveSibling(statsFile.getFileName() + ".tmp");
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(st))) {
                w.println("call\tdir\treceived\tsent\tsend_errors");
                for (int i = 0; i < list.size(); i++) {
                    LegStats a = list.get(i).stats(0);
                    LegStats b = list.get(i).stats(1);
                    drops += a.drops() + b.drops();
                    // AB: RTP received on the A side, sent out of the B side (RTCP counted apart)
                    w.println(i + "\tAB\t" + (a.rxPackets() - a.rtcpReceived()) + "\t" + (b.txPackets() - b.rtcpSent())
                            + "\t" + b.drops(DropCause.SEND_ERROR));
                    w.println(i + "\tBA\t" + (b.rxPackets() - b.rtcpReceived()) + "\t" + (a.txPackets() - a.rtcpSent())
                            + "\t" + a.drops(DropCause.SEND_ERROR));
                    if (a.drops() + b.drops() > 0 && drops < 20) {
                        System.out.println("engine-calls: call " + i + " dropped: A " + a + " B " + b);
                    }
                }
            }
            Files.move(st, statsFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.println("engine-calls: churned " + churned.get() + " calls; " + drops
                + " drops; worker threads allocated " + allocated + " bytes from ready to stop, "
                + steadyAllocated + " from " + settle + " s after ready to stop");
        Throwable failure = engine.failure();
        if (churner != null) {
            churner.interrupt();
        }
        engine.close();
        dev.close();
        if (failure != null) {
            System.out.println("engine-calls: a worker failed: " + failure);
        }
        finished.countDown();
        if (seconds > 0) {
            System.exit(failure != null ? 1 : 0);
        }
    }

    private static void churn(MediaEngine engine, int count, int seconds, int endpointPort, AtomicLong done) {
        long spacing = Duration.ofSeconds(seconds).toNanos() / Math.max(1, count);
        long next = System.nanoTime();
        int live = Math.min(50, count);
        Call[] window = new Call[live];
        for (int i = 0; i < count; i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            next += spacing;
            int k = i % live;
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            long c0 = System.nanoTime();
            if (window[k] != null) {
                window[k].remove();
            }
            long c1 = System.nanoTime();
            InetSocketAddress far = new InetSocketAddress(endpoint(9, i % 65536), endpointPort + 2);
            window[k] = engine.addCall(CallSpec.builder("churn-" + i)
                    .leg(LegSpec.builder().remote(far).build()).leg(LegSpec.builder().remote(far).build()).build());
            long c2 = System.nanoTime();
            maxRemove = Math.max(maxRemove, c1 - c0);
            maxAdd = Math.max(maxAdd, c2 - c1);
            done.incrementAndGet();
        }
        for (Call c : window) {
            if (c != null) {
                c.remove();
            }
        }
        System.out.printf("engine-calls: churn: slowest add %.1f ms, slowest remove %.1f ms%n", maxAdd / 1e6,
                maxRemove / 1e6);
    }

    private static volatile long maxAdd;
    private static volatile long maxRemove;

    /** @return the heap in use after a full collection (for the heap per call) */
    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    @SuppressWarnings("unchecked")
    private static Map<Long, Long>[] newMaps() {
        return new Map[1];
    }

    private static long allocatedBetween(Map<Long, Long> from, Map<Long, Long> to) {
        long n = 0;
        for (Map.Entry<Long, Long> e : to.entrySet()) {
            n += e.getValue() - from.getOrDefault(e.getKey(), e.getValue());
        }
        return n;
    }

    private static Map<Long, Long> workerAllocations(ThreadMXBean mx) {
        Map<Long, Long> m = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("rtpm-engine-")) {
                m.put(t.threadId(), mx.getThreadAllocatedBytes(t.threadId()));
            }
        }
        return m;
    }

    private static String hp(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** 127.NET.hi.lo with hi.lo = i / 256, i % 256: the calls-load endpoint rule. */
    private static InetAddress endpoint(int net, int i) {
        try {
            return InetAddress.getByAddress(new byte[] {127, (byte) net, (byte) (i >>> 8), (byte) i});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("usage: EngineCalls --name value ... [--pin]; bad '" + args[i] + "'");
            }
            boolean flag = i + 1 == args.length || args[i + 1].startsWith("--");
            o.put(args[i].substring(2), flag ? "" : args[++i]);
        }
        return o;
    }
}
