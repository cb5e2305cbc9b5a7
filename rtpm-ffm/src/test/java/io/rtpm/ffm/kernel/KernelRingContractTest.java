package io.rtpm.ffm.kernel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.rtpm.ffm.Backend;
import io.rtpm.ffm.NotAttachedException;
import io.rtpm.ffm.RingContractTest;
import io.rtpm.ffm.RingDevice;
import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.RingStats;
import io.rtpm.ffm.Role;
import io.rtpm.ffm.Slot;
import io.rtpm.ffm.SlotBatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract suite against the rtp_mgr module. Needs a loaded module, so it runs inside
 * vm-test (tag {@code kernel}, excluded from the host's {@code mvn test}); where the device is
 * missing every test fails with {@link io.rtpm.ffm.DeviceNotFoundException}, never passes.
 */
@Tag("kernel")
class KernelRingContractTest extends RingContractTest {

    @Override
    protected RingDevice openDevice() {
        return RingDevice.open(Backend.KERNEL);
    }

    @Override
    protected Backend expectedBackend() {
        return Backend.KERNEL;
    }

    /**
     * A close() on one thread while another thread drives the session as fast as it can: the
     * driver's calls succeed until it gets NotAttachedException, nothing else (before close
     * waited for calls in flight, the driver hit the closed descriptor or the freed scratch:
     * EBADF or "Already closed"), and the ring gets back every slot the session held.
     */
    @Test
    void closeOnAnotherThreadEndsTheCallsInFlightCleanly() throws Exception {
        dev.start(ringId());
        for (boolean batches : new boolean[] {false, true}) {
            RingSession tx = attach(Role.PRODUCER, Role.CONSUMER);
            SlotBatch b = tx.newBatch(4);
            AtomicReference<Throwable> ended = new AtomicReference<>();
            AtomicLong rounds = new AtomicLong();
            CountDownLatch running = new CountDownLatch(1);
            Thread driver = new Thread(() -> {
                try {
                    while (true) {
                        if (batches) {
                            tx.claim(b, 4, 0);
                            tx.push(b);
                            tx.pop(b, 4);
                            tx.release(b);
                        } else {
                            Slot s = tx.claim();
                            tx.push(s, 12);
                            tx.release(tx.pop());
                        }
                        if (rounds.incrementAndGet() == 100) {
                            running.countDown();
                        }
                    }
                } catch (Throwable t) {
                    ended.set(t);
                }
            }, "driver");
            driver.start();
            running.await();
            tx.close();
            driver.join(10_000);
            assertFalse(driver.isAlive(), "the driver still runs after close");
            assertInstanceOf(NotAttachedException.class, ended.get(),
                    (batches ? "batch" : "single") + " calls racing close ended with " + ended.get());
            RingStats st = stats();
            // What the session held (claimed, popped) comes back; a packet it pushed before the
            // close stays ready for the next consumer (close may land between push and pop).
            assertEquals(0, st.filling() + st.inFlight(), "slots the closed session held: " + st);
            assertEquals(SLOTS, st.free() + st.ready(), "slots lost by the close: " + st);
            assertEquals(0, st.sessions(), st.toString());
            assertTrue(rounds.get() >= 100, "rounds " + rounds.get());
        }
    }
}
