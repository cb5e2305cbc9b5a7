package io.rtpm.relay;

import java.lang.foreign.Arena;

import io.rtpm.ffm.RingStoppedException;

/**
 * The pipeline shape ({@link RelayConfig#threads()} 2): an RX thread runs the {@link RxHalf} and
 * pushes into the ring, a TX thread pops and runs the {@link TxHalf}. A slow hook or a stalled
 * send does not hold up receiving (the ring absorbs it), at the price of a hand-off between
 * threads per batch: a wake-up of the other thread, costly when the cores are shared
 * (docs/perf/relay.md).
 */
final class Pipeline {

    private Pipeline() {
    }

    /** @return the RX thread and the TX thread, unstarted (start TX first) */
    static Thread[] threads(Relay relay, RelayConfig config, RxHalf rx, TxHalf tx) {
        String ring = "-" + config.ringId();
        return new Thread[] {
            Thread.ofPlatform().name("rtpm-relay-rx" + ring).daemon(true).unstarted(() -> receive(relay, config, rx)),
            Thread.ofPlatform().name("rtpm-relay-tx" + ring).daemon(true).unstarted(() -> send(relay, config, tx)),
        };
    }

    private static void receive(Relay relay, RelayConfig config, RxHalf rx) {
        try (Arena arena = Arena.ofConfined()) {
            rx.open(arena);
            if (config.rxCpu() >= 0) {
                Relay.pin("RX", config.rxCpu());
            }
            final boolean busy = config.waitStrategy() == WaitStrategy.BUSY;
            while (!relay.stopRequested()) {
                if (!rx.pass(null) && busy) {
                    Thread.onSpinWait();
                }
            }
        } catch (RuntimeException | Error e) {
            relay.fail(e); // RingStoppedException too: the operator stopped the ring
        } finally {
            rx.close();
            relay.rxFinished();
        }
    }

    /** Ends when the RX thread has finished and the ring is drained, or the ring is stopped and drained. */
    private static void send(Relay relay, RelayConfig config, TxHalf tx) {
        try (Arena arena = Arena.ofConfined()) {
            tx.open(arena);
            if (config.txCpu() >= 0) {
                Relay.pin("TX", config.txCpu());
            }
            final boolean busy = config.waitStrategy() == WaitStrategy.BUSY;
            while (true) {
                int n;
                try {
                    n = tx.sendReady();
                } catch (RingStoppedException e) {
                    return; // stopped and drained: the operator ran `rtpm stop`
                }
                if (n == 0) {
                    if (relay.rxHasFinished()) {
                        return; // graceful stop: RX pushes nothing more and the ring is empty
                    }
                    if (busy) {
                        Thread.onSpinWait();
                    } else {
                        tx.awaitReady();
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            relay.fail(e);
        } finally {
            tx.close();
        }
    }
}
