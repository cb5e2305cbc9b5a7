package io.rtpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.rtpm.ffm.internal.Libc;
import io.rtpm.ffm.internal.UnixDatagram;

/**
 * How rtpm stream ends when told to: {@code rtpm stop} on its ring (idle, and under traffic),
 * SIGTERM and SIGINT to a real rtpm process (which tells systemd READY=1 and STOPPING=1 through
 * {@code $NOTIFY_SOCKET}); each with its documented exit code.
 */
@Timeout(90)
class StreamStopTest {

    /** The bound the operator contract promises between rtpm stop and the stream's exit. */
    private static final long STOP_BOUND_NANOS = 2_000_000_000L;

    @ParameterizedTest(name = "traffic {0} pkt/s")
    @ValueSource(ints = {0, 500})
    void rtpmStopDrainsAndExitsWithinTwoSeconds(int rate) throws Exception {
        int ringId = rate == 0 ? 6 : 7;
        int rx = Cli.freePortPair();
        int tx = Cli.freePortPair();
        // the idle run asks for auto, the other for shm: only auto's fallback warns
        String backend = rate == 0 ? "auto" : "shm";
        CompletableFuture<Cli.Result> stream = Cli.async(() -> Cli.run("stream", "--ring", "" + ringId,
                "--backend", backend, "--rx", "" + rx, "--tx", "" + tx, "--bind", "127.0.0.1",
                "--warm-up", "0", "--json", "--duration", "60"));
        Cli.awaitRelay(ringId, stream);
        CompletableFuture<Cli.Result> send = null;
        if (rate > 0) {
            send = Cli.async(() -> Cli.run("send", "--to", "127.0.0.1:" + rx, "--rate", "" + rate,
                    "--duration", "3"));
            Thread.sleep(1000); // packets are flowing through the ring when it is stopped
        }
        Cli.Result stop = Cli.run("stop", "--ring", "" + ringId);
        long stopped = System.nanoTime();
        assertEquals(ExitCodes.OK, stop.code(), stop::toString);
        Cli.Result s = stream.get(30, TimeUnit.SECONDS);
        long took = System.nanoTime() - stopped;
        assertEquals(ExitCodes.RING_STOPPED, s.code(), s::toString);
        assertTrue(took < STOP_BOUND_NANOS, () -> "rtpm stream took " + took / 1_000_000 + " ms to exit");
        assertTrue(s.err().contains("ring " + ringId + " was stopped (rtpm stop)"), s::toString);
        boolean warned = s.err().startsWith("warning: /dev/rtp_mgr does not exist");
        assertEquals(backend.equals("auto") && !Files.exists(Path.of("/dev/rtp_mgr")), warned, s::toString);
        assertTrue(s.out().strip().lines().reduce((a, b) -> b).orElse("").startsWith("{\"type\":\"summary\""),
                s::toString);
        if (send != null) {
            assertEquals(0, send.get(30, TimeUnit.SECONDS).code());
            assertTrue(Cli.num(s.out().substring(s.out().indexOf("\"type\":\"summary\"")), "tx_rtp") > 0, s::toString);
        }
        try (var dev = Cli.device()) {
            assertEquals(0, dev.stats(ringId).sessions(), "the stream left a session attached");
        }
    }

    @Test
    void readyThenSigtermAndSigintExitWithTheirCodesAfterTheSummary(@TempDir Path dir) throws Exception {
        assertEquals(ExitCodes.SIGTERM, signalled(dir, "TERM"));
        assertEquals(ExitCodes.SIGINT, signalled(dir, "INT"));
    }

    /** Starts rtpm stream in a new JVM, sends it SIG{@code name} once relaying; returns its exit code. */
    private static int signalled(Path dir, String name) throws Exception {
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Xmx64m",
                "-Drtpm.shm.dir=" + dir, "-cp", System.getProperty("java.class.path"),
                Rtpm.class.getName(), "stream", "--rx", "" + Cli.freePortPair(), "--tx", "5006",
                "--bind", "127.0.0.1", "--warm-up", "0", "--json"));
        // systemd's notification socket, abstract as systemd names it: READY=1 once relaying
        String notify = "@rtpm-stream-test-" + ProcessHandle.current().pid() + "-" + name;
        int fd = UnixDatagram.socket();
        assertEquals(0, UnixDatagram.bind(fd, notify));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("NOTIFY_SOCKET", notify);
        Process p = pb.start();
        try (Arena arena = Arena.ofConfined()) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!Files.readString(err).contains("relaying ")) {
                assertTrue(p.isAlive(), () -> "rtpm stream ended early: " + read(err));
                assertTrue(System.nanoTime() < deadline, () -> "rtpm stream did not start: " + read(err));
                Thread.sleep(50);
            }
            MemorySegment buf = arena.allocate(4096);
            String ready = datagram(fd, buf);
            assertTrue(ready.startsWith("READY=1\nSTATUS=relaying ") && ready.contains(" through ring 0\n"), ready);
            assertTrue(ready.endsWith("\nMAINPID=" + p.pid()), ready);
            Process kill = new ProcessBuilder("kill", "-" + name, "" + p.pid()).inheritIO().start();
            assertEquals(0, kill.waitFor());
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "rtpm stream did not exit after SIG" + name);
            String stopping = datagram(fd, buf);
            assertTrue(stopping.startsWith("STOPPING=1\nSTATUS=drained"), stopping);
            String summary = read(out).strip().lines().reduce((a, b) -> b).orElse("");
            assertTrue(summary.startsWith("{\"type\":\"summary\""), () -> "no summary after SIG" + name
                    + ":\n" + read(out) + read(err));
            return p.exitValue();
        } finally {
            p.destroyForcibly();
            Libc.close(fd);
        }
    }

    /** @return the next datagram on {@code fd}, waiting up to 5 s */
    private static String datagram(int fd, MemorySegment buf) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        int n;
        while ((n = UnixDatagram.recv(fd, buf, UnixDatagram.MSG_DONTWAIT)) < 0) {
            assertTrue(System.nanoTime() < deadline, "no notification within 5 s");
            Thread.sleep(20);
        }
        return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void everyExitCodeIsInBothReadmeTables() throws IOException {
        List<String> codes = new ArrayList<>();
        for (String line : ExitCodes.HELP_LIST) {
            codes.add(line.substring(0, line.indexOf(':')));
        }
        for (Path readme : List.of(Path.of("README.md"), Path.of("..", "README.md"))) {
            List<String> rows = Files.readAllLines(readme).stream()
                    .filter(l -> l.matches("\\| \\d+ \\|.*")).map(l -> l.split(" ")[1]).toList();
            assertEquals(codes, rows, "the exit-code table of " + readme + " differs from ExitCodes");
        }
    }
}
