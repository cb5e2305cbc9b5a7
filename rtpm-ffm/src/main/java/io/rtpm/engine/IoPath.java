package io.rtpm.engine;

/**
 * How one worker moves its legs' packets: the receive-judge-forward loop of one I/O design
 * ({@link EpollPath}, {@link UringPath}). The worker thread's own.
 */
interface IoPath extends AutoCloseable {

    /** Starts receiving on a leg's sockets (the leg has its slot, generation and counters). */
    void register(LegState leg);

    /** Stops receiving on a leg's sockets, before they close. */
    void unregister(LegState leg);

    /**
     * Waits up to {@code timeoutMillis} for traffic or a wake-up, and carries what arrived.
     */
    void pass(int timeoutMillis);

    /** @return the legs' destinations */
    Destinations destinations();

    /** @return the design's name, for logs */
    String name();

    /** Gives back every slot it holds (on the way out). */
    @Override
    void close();
}
