package io.rtpm.ffm.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The libc bindings against real files: results, captured errno values and struct layouts. */
class LibcTest {

    @TempDir
    Path dir;

    @Test
    void openOfMissingFileReturnsMinusEnoent() {
        assertEquals(-Errno.ENOENT, Libc.open(dir.resolve("missing").toString(), Libc.O_RDWR, 0));
    }

    @Test
    void ioctlOnRegularFileCapturesEnotty() {
        int fd = Libc.open("/dev/null", Libc.O_RDWR, 0);
        assertTrue(fd >= 0, "open /dev/null: " + fd);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment arg = a.allocate(64);
            assertEquals(-Errno.ENOTTY, Libc.ioctl(fd, 0xC040B708L, arg));
        } finally {
            assertEquals(0, Libc.close(fd));
        }
        assertEquals(-Errno.EBADF, Libc.close(fd));
    }

    @Test
    @SuppressWarnings("restricted") // views the mapping mmap returned
    void sharedFileMappingIsVisibleThroughTheFile() throws Exception {
        Path f = dir.resolve("ring");
        int fd = Libc.open(f.toString(), Libc.O_RDWR | Libc.O_CREAT | Libc.O_EXCL, 0600);
        assertTrue(fd >= 0);
        try {
            assertEquals(0, Libc.ftruncate(fd, 8192));
            long addr = Libc.mmap(8192, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
            assertFalse(Libc.isError(addr), "mmap: " + addr);
            MemorySegment m = MemorySegment.ofAddress(addr).reinterpret(8192);
            m.set(ValueLayout.JAVA_INT, 4096, 0x01020304);
            assertEquals(0, Libc.munmap(m, 8192));
            byte[] b = Files.readAllBytes(f);
            assertEquals(8192, b.length);
            assertEquals(0x04, b[4096]);
            assertEquals(0x01, b[4099]);
            assertEquals(-Errno.EINVAL, (int) Libc.mmap(8192, Libc.PROT_READ, Libc.MAP_SHARED, fd, 1));
        } finally {
            Libc.close(fd);
        }
    }

    @Test
    void pollReportsDevNullReadableAndWritable() {
        int fd = Libc.open("/dev/null", Libc.O_RDWR, 0);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(Libc.POLLFD);
            p.set(ValueLayout.JAVA_INT, 0, fd);
            p.set(ValueLayout.JAVA_SHORT, 4, (short) (Libc.POLLIN | Libc.POLLOUT));
            assertEquals(1, Libc.poll(p, 1, 0));
            assertEquals(Libc.POLLIN | Libc.POLLOUT, p.get(ValueLayout.JAVA_SHORT, 6));
        } finally {
            Libc.close(fd);
        }
    }

    @Test
    void ofdLockIsSeenFromAnotherOpenFileDescription() {
        String f = dir.resolve("lock").toString();
        int a = Libc.open(f, Libc.O_RDWR | Libc.O_CREAT, 0600);
        int b = Libc.open(f, Libc.O_RDWR, 0);
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(32, Libc.FLOCK.byteSize());
            MemorySegment lk = arena.allocate(Libc.FLOCK);
            lk.set(ValueLayout.JAVA_SHORT, 0, Libc.F_WRLCK);
            lk.set(ValueLayout.JAVA_LONG, 8, 100);
            lk.set(ValueLayout.JAVA_LONG, 16, 8);
            assertEquals(0, Libc.fcntl(a, Libc.F_OFD_SETLK, lk));
            // Same process, other description: OFD locks conflict, POSIX locks would not.
            assertEquals(-Errno.EAGAIN, Libc.fcntl(b, Libc.F_OFD_SETLK, lk));
            lk.set(ValueLayout.JAVA_SHORT, 0, Libc.F_RDLCK);
            assertEquals(0, Libc.fcntl(b, Libc.F_OFD_GETLK, lk));
            assertEquals(Libc.F_WRLCK, lk.get(ValueLayout.JAVA_SHORT, 0));
            assertEquals(-1, lk.get(ValueLayout.JAVA_INT, 24), "OFD locks report l_pid -1");
            assertEquals(Libc.O_RDWR, Libc.fcntl(a, Libc.F_GETFL, 0) & 3);
        } finally {
            Libc.close(a);
            Libc.close(b);
        }
    }

    @Test
    void futexWaitReturnsAtOnceOnChangedWordAndAfterTheTimeout() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(ValueLayout.JAVA_INT);
            word.set(ValueLayout.JAVA_INT, 0, 7);
            // no errno is captured: a wait that did not end by a wake-up returns -1, whatever the cause
            MemorySegment ts = arena.allocate(Libc.TIMESPEC);
            ts.set(ValueLayout.JAVA_LONG, 0, 5L); // 5 s: returning at once proves the word was compared
            long t0 = System.nanoTime();
            assertEquals(-1, Libc.futexWait(word, 8, ts));
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "a differing word must not sleep");
            ts.set(ValueLayout.JAVA_LONG, 0, 0L);
            ts.set(ValueLayout.JAVA_LONG, 8, 2_000_000);
            t0 = System.nanoTime();
            assertEquals(-1, Libc.futexWait(word, 7, ts));
            assertTrue(System.nanoTime() - t0 >= 2_000_000, "a timed-out wait lasts its timeout");
            assertEquals(0, Libc.futexWake(word, 1));
        }
    }

    @Test
    void futexWakeEndsASleepingWaitWithZero() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment word = arena.allocate(ValueLayout.JAVA_INT);
            word.set(ValueLayout.JAVA_INT, 0, 1);
            var result = new java.util.concurrent.atomic.AtomicInteger(42);
            Thread waiter = Thread.ofPlatform().start(() -> result.set(Libc.futexWait(word, 1, MemorySegment.NULL)));
            // wake until the waiter has been woken (it may not sleep yet when the first wake comes)
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (waiter.isAlive() && System.nanoTime() < deadline) {
                Libc.futexWake(word, 1);
                waiter.join(10);
            }
            assertFalse(waiter.isAlive(), "the waiter was never woken");
            assertEquals(0, result.get());
        }
    }

    @Test
    void getpidAndClockMatchTheJvm() {
        assertEquals(ProcessHandle.current().pid(), Libc.getpid());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ts = arena.allocate(Libc.TIMESPEC);
            long before = System.nanoTime();
            assertEquals(0, Libc.clock_gettime(Libc.CLOCK_MONOTONIC, ts));
            long now = ts.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + ts.get(ValueLayout.JAVA_LONG, 8);
            // System.nanoTime is CLOCK_MONOTONIC on Linux: the kernel's push_ns is comparable.
            assertTrue(now >= before && now <= System.nanoTime(), "monotonic " + now + " vs " + before);
        }
    }

    @Test
    void errnoNamesAreSymbolic() {
        assertEquals("EBADSLT", Errno.name(57));
        assertEquals("EBUSY", Errno.name(-16));
        assertEquals("errno 4095", Errno.name(4095));
    }
}
