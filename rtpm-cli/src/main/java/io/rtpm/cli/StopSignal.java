package io.rtpm.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT/SIGTERM) as a signal a command loop can wait on: a shutdown hook trips it and
 * then holds the JVM until the command has printed its summary and closed this (at most 5 s).
 */
final class StopSignal implements AutoCloseable {

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    StopSignal() {
        hook = new Thread(() -> {
            stop.countDown();
            try {
                done.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rtpm-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Waits up to {@code nanos}.
     *
     * @return true when Ctrl-C came (or the thread was interrupted)
     */
    boolean await(long nanos) {
        try {
            return stop.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** @return true once Ctrl-C came */
    boolean stopped() {
        return stop.getCount() == 0;
    }

    /** Lets a pending shutdown go on; removes the hook when there is none. */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is running and has just been released
        }
    }
}
