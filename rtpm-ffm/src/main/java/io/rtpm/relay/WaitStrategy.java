package io.rtpm.relay;

/**
 * How the relay's thread(s) wait when there is nothing to do.
 *
 * <p>Measured on a 2-core host (docs/perf/relay.md): sleeping costs a wake-up per quiet spell
 * (tens of microseconds) but no CPU when idle; spinning saves the wake-up but holds a core per
 * thread at 100% even without traffic, and on a host with fewer free cores than spinning threads it
 * makes latency worse, not better.
 */
public enum WaitStrategy {

    /**
     * The default: the receiving thread sleeps in a blocking receive on its sockets; with
     * {@link RelayConfig.Builder#threads(int) threads(2)} the TX thread spins a few
     * times on the ring and then sleeps on it (futex or the device's poll). Right for most hosts.
     */
    SLEEP,

    /**
     * The threads spin (non-blocking recvmmsg on the sockets, non-blocking pops of the ring)
     * and never sleep. Only for hosts with a core to spare for each relay thread, ideally isolated
     * and with the threads pinned ({@link RelayConfig#rxCpu()}, {@link RelayConfig#txCpu()}).
     */
    BUSY
}
