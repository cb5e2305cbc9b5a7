package io.rtpm.ffm.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.rtpm.ffm.AbiVersion;
import io.rtpm.ffm.Backend;
import io.rtpm.ffm.DropPolicy;
import io.rtpm.ffm.NotAttachedException;
import io.rtpm.ffm.RingInfo;
import io.rtpm.ffm.RingLayout;
import io.rtpm.ffm.Role;
import io.rtpm.ffm.SlotBatch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KernelRingSession's close() against a call on another thread, and its batch-size guard, on
 * the host: the session runs on an eventfd instead of /dev/rtp_mgr (poll on it blocks like an
 * empty ring; an ioctl or mmap on it fails), so no module is needed. The same race against the
 * real module is in {@link KernelRingContractTest}.
 */
class KernelRingSessionCloseTest {

    private int fd = -1;
    private KernelRingSession session;

    @BeforeEach
    void openSession() throws Throwable {
        fd = eventfd();
        RingLayout layout = new RingLayout(0, 4, 16, 256, 172, 256, 64, DropPolicy.TAIL, true,
                8192, 0, 4096);
        RingInfo info = new RingInfo(Backend.KERNEL, KernelAbi.SPOKEN_ABI, 4, 1, 16, 12, 65507, 64,
                1 << 26, 1 << 28, 0, 1024, 256, 64, 4096);
        session = new KernelRingSession(fd, 0, EnumSet.of(Role.CONSUMER), layout, info);
    }

    @AfterEach
    void closeSession() {
        session.close(); // idempotent; closes the eventfd
    }

    @Test
    void closeWaitsForAWaitInProgressWhichThenSaysTheSessionIsClosed() throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        AtomicLong waitEnded = new AtomicLong();
        CountDownLatch started = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            started.countDown();
            try {
                outcome.set(session.awaitReadable(20, TimeUnit.SECONDS));
            } catch (RuntimeException e) {
                outcome.set(e);
            }
            waitEnded.set(System.nanoTime());
        }, "waiter");
        waiter.start();
        started.await();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (session.callsInFlight() == 0) {
            assertTrue(System.nanoTime() < until, "the wait never started");
            Thread.onSpinWait();
        }
        Thread.sleep(100); // into poll() (nothing is ever written to the eventfd)
        long t0 = System.nanoTime();
        session.close();
        long closed = System.nanoTime();
        waiter.join(5_000);
        assertFalse(waiter.isAlive(), "the wait went on after close() returned: close freed the"
                + " poll's memory and closed its descriptor under it");
        assertInstanceOf(NotAttachedException.class, outcome.get(), "the wait's outcome");
        assertTrue(waitEnded.get() <= closed, "close() returned before the wait in progress ended");
        long ms = TimeUnit.NANOSECONDS.toMillis(closed - t0);
        assertTrue(ms < 2_000, "close() took " + ms + " ms; a wait polls in slices of "
                + KernelRingSession.POLL_SLICE_MS + " ms");
    }

    @Test
    void everyCallAfterCloseSaysTheSessionIsNotAttached() {
        session.close();
        session.close();
        assertThrows(NotAttachedException.class, () -> session.awaitReadable(1, TimeUnit.SECONDS));
        assertThrows(NotAttachedException.class, () -> session.awaitWritable(0, TimeUnit.SECONDS));
        assertThrows(NotAttachedException.class, session::stats);
        assertThrows(NotAttachedException.class, session::map);
        assertThrows(NotAttachedException.class, session::pop);
        assertThrows(NotAttachedException.class, session::claim);
        assertThrows(NotAttachedException.class, () -> session.newBatch(4));
        var e = assertThrows(NotAttachedException.class, () -> session.pop(null, 1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void aBatchWhoseDescriptorsAreTooSmallNeverReachesTheKernel() {
        // SlotBatch's constructor is public: a batch of capacity 4 over room for one descriptor
        // would let the module write 32 bytes into an 8-byte allocation.
        SlotBatch b = new SlotBatch(session, 4, Arena.ofAuto().allocate(8, 8));
        var e = assertThrows(IllegalArgumentException.class, () -> session.pop(b, 4));
        assertTrue(e.getMessage().contains("hold 1 entries, not 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> session.claim(b, 4, 0));
        // One entry fits: that call gets past the guard to the mapping, which an eventfd refuses.
        var mapFailure = assertThrows(RuntimeException.class, () -> session.pop(b, 1));
        assertFalse(mapFailure instanceof IllegalArgumentException, mapFailure.toString());
    }

    @SuppressWarnings("restricted") // eventfd(2): the test's stand-in for the device node
    private static int eventfd() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle h = linker.downcallHandle(linker.defaultLookup().find("eventfd").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        int r = (int) h.invokeExact(0, 0);
        assertTrue(r >= 0, "eventfd failed");
        return r;
    }
}
