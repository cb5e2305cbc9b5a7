package io.rtpm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import io.rtpm.ffm.Backend;
import io.rtpm.ffm.RingDevice;
import io.rtpm.ffm.RtpmException;

/**
 * The training run of rtpm's JDK AOT cache (JEP 483/514/515): the launcher runs this class once
 * with {@code -XX:AOTCacheOutput=FILE} after a build, and every later {@code rtpm} with
 * {@code -XX:AOTCache=FILE} starts with these classes loaded and linked and with this run's method
 * profiles, so the JIT compiles the hot code sooner (docs/perf/cold-start.md measures it).
 *
 * <p>It runs the real commands in one JVM, on loopback, as a user would: {@code rtpm stream} (with
 * its built-in warm-up) between {@code rtpm send} (paced, then a burst, with RTCP sender reports)
 * and {@code rtpm recv}, then {@code rtpm stop} and {@code rtpm stats}. The user-space ring lives in
 * a private temporary directory. When {@code /dev/rtp_mgr} exists it does the same once more on the
 * kernel ring, on the highest ring id that is not configured (and unconfigures it after), so a
 * service's ring is never touched. Exit code 0 when every command succeeded and packets went
 * through; otherwise 1 with the commands' output on stderr.
 */
public final class AotTraining {

    private static final InetAddress LO = InetAddress.getLoopbackAddress();
    /** Voice-like traffic first, then a burst: both the single-packet and the batch paths. */
    private static final int PACED = 10_000;
    private static final int PACED_RATE = 5_000;
    private static final int BURST = 20_000;
    private static final int BURST_RATE = 50_000;
    private static final long STEP_TIMEOUT_S = 60;
    /**
     * How long rtpm stream relays after its warm-up: the traffic takes 2.4 s on an idle host.
     * A stopped ring ends a stream only when a packet next arrives, so a duration ends it.
     */
    private static final int STREAM_S = 5;
    /** ShmRingDevice.DIR_PROPERTY (io.rtpm.ffm.shm is not exported to this module). */
    private static final String SHM_DIR_PROPERTY = "rtpm.shm.dir";

    private final StringWriter log = new StringWriter();
    private final PrintWriter logOut = new PrintWriter(log, true);

    private AotTraining() {
    }

    /**
     * Runs the training workload.
     *
     * @param args none
     */
    public static void main(String[] args) {
        int code;
        AotTraining t = new AotTraining();
        try {
            code = t.train();
        } catch (RuntimeException | IOException | InterruptedException | ExecutionException | TimeoutException e) {
            t.logOut.println("aot-training: " + e);
            code = ExitCodes.SOFTWARE;
        }
        if (code != ExitCodes.OK) {
            System.err.print(t.log);
            System.err.println("aot-training: failed (exit " + code + "): the output above says which step");
        } else {
            System.out.print(t.log);
        }
        System.exit(code);
    }

    private int train() throws IOException, InterruptedException, ExecutionException, TimeoutException {
        Path dir = Files.createTempDirectory(Files.isWritable(Path.of("/dev/shm")) ? Path.of("/dev/shm")
                : Path.of(System.getProperty("java.io.tmpdir")), "rtpm-aot-");
        // every shm ring this JVM opens lives here, never beside a running service's rings
        System.setProperty(SHM_DIR_PROPERTY, dir.toString());
        try {
            int code = relayOnce(Backend.SHM, 0, true);
            if (code == ExitCodes.OK && Files.exists(Path.of(RingDevice.DEVICE_PATH))) {
                int ring = freeKernelRing();
                if (ring >= 0) {
                    int unconf;
                    try {
                        // the warm-up already ran: it is once per JVM in rtpm stream as well
                        code = relayOnce(Backend.KERNEL, ring, false);
                    } finally {
                        // the ring was free: leave it so, whatever happened
                        unconf = cmd("stop", "--backend", "kernel", "--ring", "" + ring, "--unconfigure").code();
                    }
                    code = code != ExitCodes.OK ? code : unconf;
                }
            }
            return code;
        } finally {
            deleteTree(dir);
        }
    }

    /** send -> stream -> recv on loopback through one ring; stop; stats. */
    private int relayOnce(Backend backend, int ring, boolean warmUp)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        String be = backend == Backend.KERNEL ? "kernel" : "shm";
        int[] p = freePortPairs(3);
        int rx = p[0];
        int tx = p[1];
        int src = p[2];
        CompletableFuture<Run> recv = async(new StringWriter(), "recv", "--port", "" + tx, "--bind", "127.0.0.1",
                "--count", "" + (PACED + BURST), "--idle", "3", "--duration", "" + STEP_TIMEOUT_S, "--json");
        StringWriter streamErr = new StringWriter();
        CompletableFuture<Run> stream = async(streamErr, "stream", "--backend", be, "--ring", "" + ring,
                "--rx", "" + rx, "--tx", "" + tx, "--tx-host", "127.0.0.1", "--bind", "127.0.0.1",
                "--rx-from", "127.0.0.1", "--json", "--duration", "" + STREAM_S,
                "--warm-up", warmUp ? "" + StreamCommand.WARM_UP_PACKETS : "0");
        waitRelaying(streamErr, stream);
        List<Run> runs = new ArrayList<>();
        runs.add(cmd("send", "--to", "127.0.0.1:" + rx, "--bind", "127.0.0.1:" + src,
                "--rate", "" + PACED_RATE, "--count", "" + PACED, "--rtcp-interval", "0.5", "--json"));
        runs.add(cmd("send", "--to", "127.0.0.1:" + rx, "--bind", "127.0.0.1:" + src,
                "--rate", "" + BURST_RATE, "--count", "" + BURST, "--json"));
        runs.add(recv.get(STEP_TIMEOUT_S, TimeUnit.SECONDS));
        Run relayed = stream.get(STEP_TIMEOUT_S, TimeUnit.SECONDS);
        runs.add(relayed);
        runs.add(cmd("stop", "--backend", be, "--ring", "" + ring));
        runs.add(cmd("stats", "--backend", be, "--ring", "" + ring, "--json"));
        for (Run r : runs) {
            if (r.code() != ExitCodes.OK) {
                return r.code();
            }
        }
        // a loss-free run is not required (a busy host may drop some), but traffic is
        if (!relayed.out().contains("\"type\":\"summary\"") || relayed.out().contains("\"tx_rtp\":0,")) {
            logOut.println("aot-training: rtpm stream relayed no RTP on the " + be + " ring");
            return ExitCodes.SOFTWARE;
        }
        return ExitCodes.OK;
    }

    /** What one command returned and printed on stdout. */
    private record Run(int code, String out) {
    }

    private Run cmd(String... args) {
        return cmd(new StringWriter(), args);
    }

    /** Runs a command; {@code err} gets its stderr as it comes. */
    private Run cmd(StringWriter err, String... args) {
        StringWriter out = new StringWriter();
        long t0 = System.nanoTime();
        int code = Rtpm.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        synchronized (log) {
            logOut.println("$ rtpm " + String.join(" ", args) + "  -> exit " + code + " after "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
            logOut.print(out);
            logOut.print(err);
        }
        return new Run(code, out.toString());
    }

    /** The command in a thread of its own; its stderr in {@code err} as it comes. */
    private CompletableFuture<Run> async(StringWriter err, String... args) {
        CompletableFuture<Run> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(cmd(err, args));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "aot-training-" + args[0]);
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** Waits until rtpm stream says it relays (it binds its RX port after its warm-up). */
    private static void waitRelaying(StringWriter err, CompletableFuture<Run> stream)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_TIMEOUT_S);
        while (System.nanoTime() < deadline) {
            if (stream.isDone()) {
                throw new IllegalStateException("rtpm stream exited (" + stream.get().code()
                        + ") before relaying: " + err);
            }
            if (err.toString().contains("relaying ")) {
                return;
            }
            Thread.sleep(20);
        }
        throw new TimeoutException("rtpm stream did not start relaying within " + STEP_TIMEOUT_S + " s");
    }

    /** Even ports p with p and p + 1 free (RTP and RTCP), n of them, distinct. */
    private static int[] freePortPairs(int n) throws IOException {
        List<DatagramSocket> held = new ArrayList<>();
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n;) {
                DatagramSocket a = new DatagramSocket(new InetSocketAddress(LO, 0));
                held.add(a);
                int port = a.getLocalPort();
                if ((port & 1) == 0 && port < 65534) {
                    try {
                        held.add(new DatagramSocket(new InetSocketAddress(LO, port + 1)));
                        ports[i++] = port;
                    } catch (BindException taken) {
                        // try another
                    }
                }
                if (held.size() > 200) {
                    throw new IOException("found no free pair of UDP ports on loopback in 200 tries");
                }
            }
        } finally {
            held.forEach(DatagramSocket::close);
        }
        return ports;
    }

    /** The highest kernel ring id that is not configured, or -1 (none, or no access). */
    private int freeKernelRing() {
        try (RingDevice dev = RingDevice.open(Backend.KERNEL)) {
            for (int id = dev.info().maxRings() - 1; id >= 0; id--) {
                if (!dev.stats(id).configured()) {
                    return id;
                }
            }
            logOut.println("aot-training: every kernel ring is configured: the kernel path is not trained");
        } catch (RtpmException e) {
            logOut.println("aot-training: kernel ring not trained: " + e.getMessage());
        }
        return -1;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory harms nothing
        }
    }
}
