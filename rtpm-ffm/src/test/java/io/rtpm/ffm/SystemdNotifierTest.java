package io.rtpm.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rtpm.ffm.internal.Errno;
import io.rtpm.ffm.internal.Libc;
import io.rtpm.ffm.internal.UnixDatagram;

/**
 * sd_notify's wire format through real AF_UNIX datagram sockets: an abstract name ({@code @...},
 * as systemd names its socket) and a path; what a missing or oversized socket gives.
 */
class SystemdNotifierTest {

    @Test
    void readyReachesAnAbstractSocket() {
        String name = "@rtpm-notify-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        assertEquals("READY=1\nSTATUS=relaying 5004\nMAINPID=" + ProcessHandle.current().pid(),
                roundTrip(name, n -> n.ready("relaying\n5004")));
    }

    @Test
    void stoppingReachesAPathSocket(@TempDir Path dir) {
        String path = dir.resolve("notify").toString();
        assertEquals("STOPPING=1\nSTATUS=draining", roundTrip(path, n -> n.stopping("draining")));
        assertEquals("STATUS=x", roundTrip(dir.resolve("notify2").toString(), n -> n.status("x")));
    }

    @Test
    void noListenerIsAnErrorNamingTheSocket() {
        String name = "@rtpm-notify-nobody-" + System.nanoTime();
        RtpmException e = assertThrows(RtpmException.class, () -> SystemdNotifier.of(name).ready("x"));
        assertEquals(Errno.ECONNREFUSED, e.errno(), e::getMessage);
        assertTrue(e.getMessage().contains("NOTIFY_SOCKET=" + name), e::getMessage);
    }

    @Test
    void tooLongAnAddressIsEinval() {
        RtpmException e = assertThrows(RtpmException.class,
                () -> SystemdNotifier.of("/" + "x".repeat(108)).ready("x"));
        assertEquals(Errno.EINVAL, e.errno(), e::getMessage);
        assertThrows(IllegalArgumentException.class, () -> SystemdNotifier.of(""));
    }

    /** Binds a datagram socket at {@code address}, lets {@code send} notify it, returns what came. */
    private static String roundTrip(String address, java.util.function.Consumer<SystemdNotifier> send) {
        int fd = UnixDatagram.socket();
        assertTrue(fd >= 0, () -> "socket: " + Errno.name(fd));
        try (Arena arena = Arena.ofConfined()) {
            int b = UnixDatagram.bind(fd, address);
            assertEquals(0, b, () -> "bind " + address + ": " + Errno.name(b));
            send.accept(SystemdNotifier.of(address));
            MemorySegment buf = arena.allocate(4096);
            int n = UnixDatagram.recv(fd, buf, UnixDatagram.MSG_DONTWAIT);
            assertTrue(n >= 0, () -> "recv: " + Errno.name(n));
            return new String(buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8);
        } finally {
            Libc.close(fd);
        }
    }
}
