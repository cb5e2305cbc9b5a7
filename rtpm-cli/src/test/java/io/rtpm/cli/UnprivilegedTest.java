package io.rtpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * rtpm as an unprivileged service user, as the systemd unit runs it: a user-space ring that root
 * configured is usable through the ring group (here {@code nogroup}, in place of rtpm), a ring
 * it may not open exits 4 with one line that names the file, its owner and group, and a receive
 * buffer the kernel clamps (no CAP_NET_ADMIN) is reported. rtpm runs as {@code nobody} through
 * setpriv(1), so this test runs as root.
 */
@Timeout(120)
class UnprivilegedTest {

    private static final String GROUP = "nogroup";

    @Test
    void rootsRingIsSharedThroughTheRingGroupAndOtherwiseExits4(@TempDir Path work) throws Exception {
        assertEquals("root", System.getProperty("user.name"), "this test runs rtpm as nobody: run it as root");
        Path dir = Files.createDirectory(work.resolve("shm"));
        // as /dev/shm: anyone may create files, only their owner removes them
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        String cp = readableClassPath(work);

        Run conf = rtpm(cp, dir, false, "configure", "--backend", "shm", "--ring", "2", "--order", "4");
        assertEquals(ExitCodes.OK, conf.code(), conf::toString);
        Path ring = dir.resolve("rtpm-2");
        PosixFileAttributeView view = Files.getFileAttributeView(ring, PosixFileAttributeView.class);
        assertEquals(GROUP, view.readAttributes().group().getName(), "the ring file did not get the ring group");

        Run shared = rtpm(cp, dir, true, "stats", "--backend", "shm", "--ring", "2");
        assertEquals(ExitCodes.OK, shared.code(), shared::toString);
        assertTrue(shared.out().startsWith("ring 2: stopped, 16 slots"), shared::toString);

        GroupPrincipal root = ring.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("root");
        view.setGroup(root);
        Run denied = rtpm(cp, dir, true, "stats", "--backend", "shm", "--ring", "2");
        assertEquals(ExitCodes.PERMISSION, denied.code(), denied::toString);
        assertEquals(1, denied.err().lines().count(), denied::toString);
        assertTrue(denied.err().contains("no permission to open " + ring + " (owner root, group root, mode rw-rw----)"),
                denied::toString);
        Run stream = rtpm(cp, dir, true, "stream", "--backend", "shm", "--ring", "2", "--rx", "" + Cli.freePortPair(),
                "--tx", "5006", "--bind", "127.0.0.1", "--warm-up", "0", "--duration", "1");
        assertEquals(ExitCodes.PERMISSION, stream.code(), stream::toString);
    }

    @Test
    void aClampedReceiveBufferIsReported(@TempDir Path work) throws Exception {
        Path dir = Files.createDirectory(work.resolve("shm"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        int asked = 1 << 30; // beyond any net.core.rmem_max a host sets
        Run r = rtpm(readableClassPath(work), dir, true, "stream", "--backend", "shm", "--ring", "3",
                "--rx", "" + Cli.freePortPair(), "--tx", "5006", "--bind", "127.0.0.1", "--warm-up", "0",
                "--rcvbuf", "" + asked, "--duration", "0.5");
        assertEquals(ExitCodes.OK, r.code(), r::toString);
        // what the kernel gave (min(asked, net.core.rmem_max)), as the relaying line reports it
        java.util.regex.Matcher got = java.util.regex.Pattern.compile("; SO_RCVBUF (\\d+) B;").matcher(r.out());
        assertTrue(got.find(), r::toString);
        long given = Long.parseLong(got.group(1));
        assertTrue(given < asked, r::toString);
        assertTrue(r.err().contains("warning: --rcvbuf " + asked + ": the kernel gave " + given
                + " bytes (net.core.rmem_max)"), r::toString);
    }

    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs rtpm in a new JVM, as root or as nobody (group nogroup only). */
    private static Run rtpm(String cp, Path dir, boolean asNobody, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (asNobody) {
            cmd.addAll(List.of("setpriv", "--reuid=nobody", "--regid=" + GROUP, "--clear-groups"));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Xmx64m", "-Xshare:auto",
                "-Drtpm.shm.dir=" + dir, "-Drtpm.shm.group=" + GROUP, "-cp", cp, Rtpm.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "rtpm did not end");
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** This test's class path with every jar copied where nobody may read it (~/.m2 is root's). */
    private static String readableClassPath(Path work) throws IOException {
        Path jars = Files.createDirectory(work.resolve("cp"));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (Files.isRegularFile(p)) {
                Path copy = jars.resolve((i++) + "-" + p.getFileName());
                Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                entries.add(copy.toString());
            } else {
                entries.add(e); // target/classes of this checkout: world-readable
            }
        }
        Files.setPosixFilePermissions(jars, PosixFilePermissions.fromString("rwxr-xr-x"));
        return String.join(File.pathSeparator, entries);
    }
}
