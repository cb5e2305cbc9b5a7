package io.rtpm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import io.rtpm.ffm.Backend;
import io.rtpm.ffm.RingDevice;

/**
 * Runs rtpm in this JVM with its own writers, on a user-space ring in a private directory (the
 * rtpm.shm.dir property), so tests never touch /dev/shm rings of anyone else.
 */
final class Cli {

    /** What one run printed and returned. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static final Path SHM_DIR = shmDir();

    private Cli() {
    }

    private static Path shmDir() {
        try {
            Path d = Files.createTempDirectory("rtpm-cli-test-");
            System.setProperty("rtpm.shm.dir", d.toString());
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Rtpm.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** @return the first {@code "key":N} of a JSON line, failing the test when there is none */
    static long num(String json, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\":(-?\\d+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + key + " in " + json);
        }
        return Long.parseLong(m.group(1));
    }

    /** @return the user-space ring device the CLI runs see */
    static RingDevice device() {
        if (SHM_DIR == null) {
            throw new IllegalStateException("no shm dir");
        }
        return RingDevice.open(Backend.SHM);
    }

    /** @return a UDP port p with p + 1 free too, at the time of the call */
    static int freePortPair() {
        for (int i = 0; i < 50; i++) {
            try (DatagramSocket a = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                int p = a.getLocalPort();
                if (p >= 65535) {
                    continue;
                }
                try {
                    new DatagramSocket(p + 1, InetAddress.getLoopbackAddress()).close();
                    return p;
                } catch (IOException taken) {
                    // try another
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free pair of UDP ports");
    }

    /** Each command on its own thread: the common pool may have a single worker on 2 cores. */
    static CompletableFuture<Cli.Result> async(java.util.function.Supplier<Cli.Result> command) {
        CompletableFuture<Cli.Result> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).start(() -> {
            try {
                f.complete(command.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** Waits until rtpm stream has attached to the ring: its sockets are bound by then. */
    static void awaitRelay(int ring, CompletableFuture<Cli.Result> stream) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        try (RingDevice dev = Cli.device()) {
            while (System.nanoTime() < deadline) {
                if (stream.isDone()) {
                    throw new AssertionError("rtpm stream ended early: " + stream.get());
                }
                if (dev.stats(ring).sessions() == 2) {
                    return;
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("rtpm stream did not attach to ring " + ring + " within 20 s");
    }
}
