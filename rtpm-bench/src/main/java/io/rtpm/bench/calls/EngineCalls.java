package io.rtpm.bench.calls;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.management.ThreadMXBean;

import io.rtpm.engine.Call;
import io.rtpm.engine.CallSpec;
import io.rtpm.engine.EndpointLearning;
import io.rtpm.engine.EngineConfig;
import io.rtpm.engine.LegSpec;
import io.rtpm.engine.LegStats;
import io.rtpm.engine.MediaEngine;
import io.rtpm.ffm.Backend;
import io.rtpm.ffm.RingDevice;

/**
 * The engine as the relay under test of rtpm-bench/calls-load: sets up N two-way calls whose
 * endpoints live on their own loopback addresses (A of call i at {@code --a-net} + i + 1, B at
 * {@code --b-net} + i + 1, all on {@code --endpoint-port}), writes the calls file the C generator
 * and sink read (rtpm-bench/calls-load/README.md), prints {@code engine-calls: ready}, runs for
 * {@code --seconds}, then writes every leg's counters and the bytes the worker threads allocated
 * from the ready line to the end (ThreadMXBean), and exits 0 (1 when a worker failed).
 *
 * <p>{@code --churn K} adds and removes K further calls during the run, from another thread,
 * spread evenly: the traffic of the N calls must not notice (issue 16, section 4).
 */
public final class EngineCalls {

    private EngineCalls() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        int calls = Integer.parseInt(o.getOrDefault("calls", "500"));
        int workers = Integer.parseInt(o.getOrDefault("workers", "2"));
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "30"));
        int churn = Integer.parseInt(o.getOrDefault("churn", "0"));
        int portMin = Integer.parseInt(o.getOrDefault("port-min", "30000"));
        int portMax = Integer.parseInt(o.getOrDefault("port-max", "40999"));
        int endpointPort = Integer.parseInt(o.getOrDefault("endpoint-port", "40000"));
        int firstRing = Integer.parseInt(o.getOrDefault("ring", "0"));
        InetAddress local = InetAddress.getByName(o.getOrDefault("local", "127.0.0.1"));
        int aNet = v4(o.getOrDefault("a-net", "127.2.0.0"));
        int bNet = v4(o.getOrDefault("b-net", "127.3.0.0"));
        Path callsFile = Path.of(o.getOrDefault("calls-file", "calls.tsv"));
        Path countersOut = Path.of(o.getOrDefault("counters-out", "engine-counters.tsv"));
        Backend backend = Backend.valueOf(o.getOrDefault("backend", "auto").toUpperCase());
        int[] pin = o.containsKey("pin") ? java.util.Arrays.stream(o.get("pin").split(","))
                .mapToInt(Integer::parseInt).toArray() : new int[0];

        EngineConfig cfg = EngineConfig.builder(local).workers(workers).pin(pin).ports(portMin, portMax)
                .rings(firstRing, 12, 1500).socketBuffers(1 << 20, 1 << 20)
                .timeout(Duration.ZERO).legsPerWorker(Math.max(64, 2 * (calls + churn) / workers + 64))
                .build();
        try (RingDevice dev = RingDevice.open(backend); MediaEngine engine = MediaEngine.start(dev, cfg)) {
            System.out.println("engine-calls: backend " + engine.backend() + ", " + workers + " workers, fd limit "
                    + engine.fileLimit());
            List<Call> list = new ArrayList<>(calls);
            long t0 = System.nanoTime();
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(callsFile))) {
                w.println("# index a_endpoint b_endpoint relay_a_side relay_b_side");
                for (int i = 0; i < calls; i++) {
                    InetSocketAddress a = new InetSocketAddress(addr(aNet + i + 1), endpointPort);
                    InetSocketAddress b = new InetSocketAddress(addr(bNet + i + 1), endpointPort);
                    Call c = engine.addCall(CallSpec.builder("call-" + i)
                            .leg(LegSpec.builder().remote(a).learning(EndpointLearning.OFF).build())
                            .leg(LegSpec.builder().remote(b).learning(EndpointLearning.OFF).build()).build());
                    list.add(c);
                    w.println(i + "\t" + hp(a) + "\t" + hp(b) + "\t" + hp(c.localRtp(0)) + "\t" + hp(c.localRtp(1)));
                }
            }
            System.out.printf("engine-calls: %d calls set up in %.0f ms%n", calls, (System.nanoTime() - t0) / 1e6);
            ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            Map<Long, Long> before = workerAllocations(mx);
            System.out.println("engine-calls: ready");
            System.out.flush();
            AtomicLong churned = new AtomicLong();
            Thread churner = churn > 0 ? Thread.ofPlatform().name("churn").start(() ->
                    churn(engine, churn, seconds, endpointPort, churned)) : null;
            Thread.sleep(Duration.ofSeconds(seconds));
            if (churner != null) {
                churner.join();
            }
            Map<Long, Long> after = workerAllocations(mx);
            long allocated = 0;
            for (Map.Entry<Long, Long> e : after.entrySet()) {
                allocated += e.getValue() - before.getOrDefault(e.getKey(), e.getValue());
            }
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(countersOut))) {
                w.println("# index leg rx_packets tx_packets rtcp_rx rtcp_tx drops receive_errors send_errors");
                for (int i = 0; i < list.size(); i++) {
                    for (int leg = 0; leg < 2; leg++) {
                        LegStats s = list.get(i).stats(leg);
                        w.println(i + "\t" + leg + "\t" + s.rxPackets() + "\t" + s.txPackets() + "\t"
                                + s.rtcpReceived() + "\t" + s.rtcpSent() + "\t" + s.drops() + "\t"
                                + s.receiveErrors() + "\t" + s.sendErrors());
                        if (s.drops() > 0) {
                            System.out.println("engine-calls: call " + i + " leg " + leg + " dropped: " + s);
                        }
                    }
                }
            }
            System.out.println("engine-calls: churned " + churned.get() + " calls; worker threads allocated "
                    + allocated + " bytes over the run");
            if (engine.failure() != null) {
                System.out.println("engine-calls: a worker failed: " + engine.failure());
                System.exit(1);
            }
        }
    }

    private static void churn(MediaEngine engine, int count, int seconds, int endpointPort, AtomicLong done) {
        long spacing = Duration.ofSeconds(seconds).toNanos() * 8 / 10 / Math.max(1, count);
        long next = System.nanoTime() + Duration.ofSeconds(seconds).toNanos() / 10;
        int live = Math.min(50, count);
        Call[] window = new Call[live];
        for (int i = 0; i < count; i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            next += spacing;
            int k = i % live;
            if (window[k] != null) {
                window[k].remove();
            }
            InetSocketAddress far = new InetSocketAddress(addr(v4("127.9.0.0") + i + 1), endpointPort + 2);
            window[k] = engine.addCall(CallSpec.builder("churn-" + i)
                    .leg(LegSpec.builder().remote(far).build()).leg(LegSpec.builder().remote(far).build()).build());
            done.incrementAndGet();
        }
        for (Call c : window) {
            if (c != null) {
                c.remove();
            }
        }
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

    private static int v4(String dotted) throws IllegalArgumentException {
        String[] p = dotted.split("\\.");
        if (p.length != 4) {
            throw new IllegalArgumentException(dotted + " is not a dotted IPv4 address");
        }
        int v = 0;
        for (String x : p) {
            v = v << 8 | Integer.parseInt(x);
        }
        return v;
    }

    private static InetAddress addr(int v) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("usage: EngineCalls --name value ...; bad or lone '" + args[i] + "'");
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }
}
