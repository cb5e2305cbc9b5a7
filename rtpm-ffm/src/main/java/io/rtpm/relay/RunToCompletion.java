package io.rtpm.relay;

import java.lang.foreign.Arena;

import io.rtpm.ffm.RingStoppedException;

/**
 * The run-to-completion shape ({@link RelayConfig#threads()} 1, the DPDK term; rtpengine's
 * workers also forward on the receiving thread): one thread receives a batch into ring slots
 * and pushes it ({@link RxHalf}), then pops what is READY and sends it ({@link TxHalf}), and
 * loops. The ring stays in the path (its counters, drop policy and stats), but no packet waits
 * for another thread to wake up: measured on 2 shared cores, that hand-off was what held the
 * two-thread relay to half the single-thread C relay (docs/perf/relay.md). A slow hook holds up
 * receiving: packets then wait in the socket buffer, not in the ring.
 */
final class RunToCompletion {

    private RunToCompletion() {
    }

    /** @return the one relay thread, unstarted */
    static Thread[] threads(Relay relay, RelayConfig config, RxHalf rx, TxHalf tx) {
        return new Thread[] {Thread.ofPlatform().name("rtpm-relay-" + config.ringId()).daemon(true)
                .unstarted(() -> run(relay, config, rx, tx))};
    }

    private static void run(Relay relay, RelayConfig config, RxHalf rx, TxHalf tx) {
        try (Arena arena = Arena.ofConfined()) {
            rx.open(arena);
            tx.open(arena);
            if (config.rxCpu() >= 0) {
                Relay.pin("relay", config.rxCpu());
            }
            final boolean busy = config.waitStrategy() == WaitStrategy.BUSY;
            try {
                while (!relay.stopRequested()) {
                    if (!rx.pass(tx) && busy) {
                        Thread.onSpinWait();
                    }
                }
            } catch (RingStoppedException e) {
                relay.fail(e); // the operator stopped the ring: what is READY is still sent
            }
            tx.drain();
        } catch (RuntimeException | Error e) {
            relay.fail(e);
        } finally {
            try {
                rx.close();
            } finally {
                tx.close();
                relay.rxFinished();
            }
        }
    }
}
