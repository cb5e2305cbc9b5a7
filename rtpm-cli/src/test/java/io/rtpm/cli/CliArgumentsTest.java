package io.rtpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.rtpm.ffm.AbiMismatchException;
import io.rtpm.ffm.AbiVersion;
import io.rtpm.ffm.PermissionDeniedException;
import io.rtpm.ffm.RingDevice;
import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.Role;

/** Every bad argument and failing condition: its one-line message on stderr and its exit code. */
@Timeout(60)
class CliArgumentsTest {

    static Stream<Arguments> badArguments() {
        return Stream.of(
                Arguments.of("configure --order 99", ExitCodes.USAGE, "--order 99 is out of range"),
                Arguments.of("configure --order 0", ExitCodes.USAGE, "--order 0 is out of range"),
                Arguments.of("configure --max-payload 10", ExitCodes.USAGE, "--max-payload 10 is out of range"),
                Arguments.of("configure --max-payload 1000000", ExitCodes.USAGE, "--max-payload 1000000 is out of range"),
                Arguments.of("configure --order x", ExitCodes.USAGE, "'x' is not an int"),
                Arguments.of("configure --drop-policy middle", ExitCodes.USAGE, "'middle' is not a drop policy"),
                Arguments.of("configure --bogus", ExitCodes.USAGE, "Unknown option: '--bogus'"),
                Arguments.of("stats --backend floppy", ExitCodes.USAGE, "'floppy' is not a backend"),
                Arguments.of("stats --ring -1", ExitCodes.USAGE, "invalid --ring -1"),
                Arguments.of("stats --ring 99", ExitCodes.USAGE, "invalid --ring 99"),
                Arguments.of("stats --watch 0", ExitCodes.USAGE, "--watch 0.0 must be"),
                Arguments.of("stats --backend kernel --device /nonexistent/rtp_mgr", ExitCodes.NO_DEVICE,
                        "module rtp_mgr is not loaded"),
                Arguments.of("stream --rx 70000 --tx 5006", ExitCodes.USAGE, "port 70000 is not in 1..65535"),
                Arguments.of("stream --rx 0 --tx 5006", ExitCodes.USAGE, "port 0 is not in 1..65535"),
                Arguments.of("stream --rx 5004 --tx http", ExitCodes.USAGE, "'http' is not a port number"),
                Arguments.of("stream --tx 5006", ExitCodes.USAGE, "Missing required option: '--rx=PORT'"),
                Arguments.of("stream --rx 5004 --tx 5006 --rtcp both", ExitCodes.USAGE, "'both' is not an RTCP mode"),
                Arguments.of("stream --rx 5004 --tx 5006 --dscp 64", ExitCodes.USAGE, "--dscp 64 is not in 0..63"),
                Arguments.of("stream --rx 65535 --tx 5006", ExitCodes.USAGE, "RTCP on port + 1 needs ports below 65535"),
                Arguments.of("stream --rx 5004 --tx 5006 --wait spin", ExitCodes.USAGE, "'spin' is not a wait strategy"),
                Arguments.of("stream --rx 5004 --tx 5006 --warm-up -1", ExitCodes.USAGE, "--warm-up -1 must be 0"),
                Arguments.of("stream --rx 5004 --tx 5006 --cpu-rx 4096", ExitCodes.USAGE, "--cpu-rx and --cpu-tx must be CPUs"),
                Arguments.of("stream --rx 5004 --tx 5006 --threads 3", ExitCodes.USAGE, "--threads 3 is not 1 or 2"),
                Arguments.of("stream --rx 5004 --tx 5006 --cpu-tx 0", ExitCodes.USAGE, "with one thread use --cpu-rx"),
                Arguments.of("stream --rx 5004 --tx 5006 --rx-from 127.0.0.1:0", ExitCodes.USAGE, "port 0 is not in 1..65535"),
                Arguments.of("stream --rx 5004 --tx 5006 --metrics-port 0", ExitCodes.USAGE, "port 0 is not in 1..65535"),
                Arguments.of("send --to 127.0.0.1", ExitCodes.USAGE, "--to 127.0.0.1 needs a port"),
                Arguments.of("send --to 127.0.0.1:5004 --rate 0", ExitCodes.USAGE, "--rate 0 is not in 1..1000000"),
                Arguments.of("send --to 127.0.0.1:5004 --size 5000", ExitCodes.USAGE, "--size 5000 is not in 0..1460"),
                Arguments.of("send --to 127.0.0.1:5004 --pt 128", ExitCodes.USAGE, "--pt 128 is not in 0..127"),
                Arguments.of("send --to 127.0.0.1:5004 --ssrc xyz", ExitCodes.USAGE, "--ssrc 'xyz' is not"),
                Arguments.of("send --to 127.0.0.1:5004 --rtcp-interval 0", ExitCodes.USAGE, "--rtcp-interval 0.0 is not in 0.1..3600"),
                Arguments.of("send --to 127.0.0.1:5004 --rtcp both", ExitCodes.USAGE, "'both' is not an RTCP mode"),
                Arguments.of("send --to 127.0.0.1:65535", ExitCodes.USAGE, "RTCP on port + 1 needs ports below 65535"),
                Arguments.of("send --to 127.0.0.1:5004 --cname " + "x".repeat(256), ExitCodes.USAGE, "--cname must have 1..255 bytes"),
                Arguments.of("recv --port 65535", ExitCodes.USAGE, "RTCP on port + 1 needs a port below 65535"),
                Arguments.of("recv --port 99999", ExitCodes.USAGE, "port 99999 is not in 1..65535"),
                Arguments.of("recv --port 5006 --count 0", ExitCodes.USAGE, "must be more than 0"),
                Arguments.of("nosuchcommand", ExitCodes.USAGE, "Unmatched argument"),
                Arguments.of("", ExitCodes.USAGE, "a command is needed"));
    }

    @ParameterizedTest(name = "rtpm {0} -> exit {1}")
    @MethodSource("badArguments")
    void badArgumentIsOneLineWithItsExitCode(String args, int code, String message) {
        Cli.Result r = Cli.run(args.isEmpty() ? new String[0] : args.split(" "));
        assertEquals(code, r.code(), r::toString);
        assertTrue(r.err().contains(message), () -> "expected '" + message + "' in\n" + r);
        assertEquals(1, r.err().lines().count(), () -> "not one line:\n" + r);
        assertEquals("", r.out(), r::toString);
    }

    @Test
    void verboseAddsTheTrace() {
        Cli.Result r = Cli.run("stats", "--backend", "kernel", "--device", "/nonexistent/rtp_mgr", "--verbose");
        assertEquals(ExitCodes.NO_DEVICE, r.code());
        assertTrue(r.err().lines().count() > 3, r::toString);
        assertTrue(r.err().contains("DeviceNotFoundException"), r::toString);
    }

    @Test
    void portInUseForStreamRecvAndMetrics() throws IOException {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = "" + taken.getLocalPort();
            Cli.Result s = Cli.run("stream", "--ring", "3", "--rx", port, "--tx", "5006", "--bind", "127.0.0.1");
            assertEquals(ExitCodes.PORT_IN_USE, s.code(), s::toString);
            assertTrue(s.err().contains("UDP port " + port + " is already in use"), s::toString);
            Cli.Result r = Cli.run("recv", "--port", port, "--bind", "127.0.0.1");
            assertEquals(ExitCodes.PORT_IN_USE, r.code(), r::toString);
            int rx = Cli.freePortPair();
            // --backend shm: auto's fallback warning would be a line of its own before the error
            Cli.Result m = Cli.run("stream", "--backend", "shm", "--ring", "3", "--rx", "" + rx, "--tx", "5006", "--bind", "127.0.0.1",
                    "--metrics-port", "" + tcp.getLocalPort(), "--duration", "1");
            assertEquals(ExitCodes.PORT_IN_USE, m.code(), m::toString);
            assertEquals(1, m.err().lines().count(), m::toString);
        }
        try (RingDevice dev = Cli.device()) {
            assertEquals(0, dev.stats(3).sessions(), "a failed stream left a session attached");
        }
    }

    @Test
    void ringBusyAndNotConfigured() {
        try (RingDevice dev = Cli.device()) {
            if (dev.stats(4).configured()) {
                dev.stop(4);
                dev.unconfigure(4);
            }
            Cli.Result start = Cli.run("start", "--ring", "4");
            assertEquals(ExitCodes.NOT_CONFIGURED, start.code(), start::toString);
            assertTrue(start.err().startsWith("rtpm start: "), start::toString);
            assertEquals(ExitCodes.OK, Cli.run("configure", "--ring", "4", "--order", "4").code());
            try (RingSession held = dev.attach(4, Role.PRODUCER)) {
                assertEquals(4, held.ringId());
                Cli.Result again = Cli.run("configure", "--ring", "4", "--order", "5");
                assertEquals(ExitCodes.RING_BUSY, again.code(), again::toString);
                Cli.Result stream = Cli.run("stream", "--ring", "4", "--rx", "" + Cli.freePortPair(),
                        "--tx", "5006", "--bind", "127.0.0.1", "--duration", "1");
                assertEquals(ExitCodes.RING_BUSY, stream.code(), stream::toString);
                assertTrue(stream.err().contains("PRODUCER") || stream.err().contains("busy"), stream::toString);
            }
            dev.stop(4);
            dev.unconfigure(4);
        }
    }

    @Test
    void exceptionsThatThisHostCannotProduceMapToTheirCodes() {
        // root on a host without the module: these come from the kernel backend only
        assertEquals(ExitCodes.PERMISSION, Errors.exitCode(
                PermissionDeniedException.forDevice("/dev/rtp_mgr", 13)));
        assertEquals(ExitCodes.ABI_MISMATCH, Errors.exitCode(new AbiMismatchException("open /dev/rtp_mgr", 71,
                AbiVersion.CURRENT, new AbiVersion(AbiVersion.CURRENT.major() + 1, 0))));
        assertEquals(ExitCodes.SOFTWARE, Errors.exitCode(new NullPointerException()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"configure", "start", "stop", "stats", "stream", "send", "recv", "generate-completion"})
    void helpAndVersionEverywhere(String command) {
        Cli.Result help = Cli.run(command, "--help");
        assertEquals(0, help.code(), help::toString);
        assertTrue(help.out().startsWith("Usage: rtpm " + command), help::toString);
        assertTrue(help.out().contains("Exit codes:"), help::toString);
        Cli.Result version = Cli.run(command, "--version");
        assertEquals(0, version.code(), version::toString);
        assertTrue(version.out().startsWith("rtpm 0."), version::toString);
    }

    @Test
    void everyCommandHasJson() {
        var cmd = Rtpm.newCommandLine(new java.io.PrintWriter(java.io.Writer.nullWriter()),
                new java.io.PrintWriter(java.io.Writer.nullWriter()));
        for (var e : cmd.getSubcommands().entrySet()) {
            if (!e.getKey().equals("generate-completion")) {
                assertTrue(e.getValue().getCommandSpec().findOption("--json") != null, "rtpm " + e.getKey()
                        + " has no --json");
            }
        }
    }

    @Test
    void configureStartStopWithJsonPrintTheRingsState() {
        Cli.Result c = Cli.run("configure", "--ring", "8", "--order", "4", "--max-payload", "256", "--json");
        assertEquals(ExitCodes.OK, c.code(), c::toString);
        assertEquals(1, c.out().lines().count(), c::toString);
        assertTrue(c.out().startsWith("{\"ring\":8,\"configured\":true,\"running\":false,\"slots\":16,"), c::toString);
        assertTrue(c.out().strip().endsWith("\"backend\":\"shm\",\"max_payload\":256,\"drop_policy\":\"tail\","
                + "\"rtp_tracking\":true}"), c::toString);
        Cli.Result start = Cli.run("start", "--ring", "8", "--json");
        assertTrue(start.out().startsWith("{\"ring\":8,\"configured\":true,\"running\":true,"), start::toString);
        Cli.Result stop = Cli.run("stop", "--ring", "8", "--unconfigure", "--json");
        assertEquals(ExitCodes.OK, stop.code(), stop::toString);
        assertTrue(stop.out().startsWith("{\"ring\":8,\"configured\":false,\"running\":false,"), stop::toString);
    }

    @Test
    void completionScript() {
        Cli.Result r = Cli.run("generate-completion");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("complete -F"), "not a bash completion script");
        assertTrue(r.out().contains("--max-payload"), "the options are not completed");
    }

    @Test
    void configureStartStatsStop() {
        assertEquals(ExitCodes.OK, Cli.run("configure", "--ring", "5", "--order", "6", "--max-payload", "512").code());
        Cli.Result s = Cli.run("stats", "--ring", "5");
        assertTrue(s.out().startsWith("ring 5: stopped, 64 slots"), s::toString);
        assertEquals(ExitCodes.OK, Cli.run("start", "--ring", "5").code());
        Cli.Result json = Cli.run("stats", "--ring", "5", "--json", "--watch", "0.05", "--count", "3");
        assertEquals(3, json.out().lines().count(), json::toString);
        assertTrue(json.out().lines().allMatch(l -> l.startsWith("{\"ring\":5,\"configured\":true,\"running\":true,\"slots\":64")),
                json::toString);
        Cli.Result stop = Cli.run("stop", "--ring", "5", "--unconfigure");
        assertEquals(ExitCodes.OK, stop.code(), stop::toString);
        try (RingDevice dev = Cli.device()) {
            assertTrue(!dev.stats(5).configured());
        }
    }
}
