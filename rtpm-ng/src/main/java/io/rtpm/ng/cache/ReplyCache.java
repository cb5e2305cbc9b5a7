package io.rtpm.ng.cache;

import io.rtpm.ng.wire.Cookie;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Replies by cookie, as rtpengine's cookie_cache.c keeps them: keyed by the cookie alone (not the
 * sender), each reply kept for a time to live (30 s by default) after it was made, and a
 * retransmission that arrives while the original still runs waits for the original's reply rather
 * than running the command again. Bounded: beyond {@code maxEntries} finished replies the oldest
 * go early. Thread-safe; each call holds the lock only for a map operation, never while a command
 * runs.
 *
 * <p>Asynchronous use (a worker never blocks): {@link #lookup} and, on {@link Lookup.Replay},
 * send when its future completes. Blocking use: {@link #reply(Cookie, Supplier)}.
 */
public final class ReplyCache {

    /** rtpengine's time to live for replies. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;

    // guarded by this
    private final HashMap<Cookie, PendingReply> entries = new HashMap<>();
    // finished replies in the order they finished, for expiry; guarded by this
    private final ArrayDeque<Finished> finished = new ArrayDeque<>();

    private record Finished(PendingReply entry, long expiresAt) {
    }

    /**
     * @param ttl        how long a finished reply is kept
     * @param maxEntries how many finished replies are kept at most
     * @param nanoTime   the clock ({@code System::nanoTime}; tests pass their own)
     */
    public ReplyCache(Duration ttl, int maxEntries, LongSupplier nanoTime) {
        if (ttl.isNegative() || ttl.isZero() || maxEntries < 1) {
            throw new IllegalArgumentException("ttl must be positive and maxEntries at least 1: " + ttl
                    + ", " + maxEntries);
        }
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    /** @return a cache with rtpengine's 30 s, at most 200,000 replies, on {@link System#nanoTime} */
    public static ReplyCache standard() {
        return new ReplyCache(DEFAULT_TTL, 200_000, System::nanoTime);
    }

    /**
     * @return {@link Lookup.Run} if {@code cookie} is new (or its reply has expired): the caller
     *         runs the command; {@link Lookup.Replay} if it is a retransmission
     */
    public Lookup lookup(Cookie cookie) {
        synchronized (this) {
            expire(nanoTime.getAsLong());
            final PendingReply known = entries.get(cookie);
            if (known != null) {
                return new Lookup.Replay(known.reply.copy());
            }
            final PendingReply fresh = new PendingReply(this, cookie);
            entries.put(cookie, fresh);
            return new Lookup.Run(fresh);
        }
    }

    /**
     * Runs {@code command} once per cookie and returns its reply; a retransmission blocks until
     * the original's reply is ready. If the original is abandoned (its command threw), a waiting
     * retransmission runs the command itself.
     *
     * @throws InterruptedException if interrupted while waiting for the original
     */
    public byte[] reply(Cookie cookie, Supplier<byte[]> command) throws InterruptedException {
        while (true) {
            switch (lookup(cookie)) {
                case Lookup.Run run -> {
                    try {
                        final byte[] reply = command.get();
                        run.pending().complete(reply);
                        return reply;
                    } finally {
                        run.pending().abandon();
                    }
                }
                case Lookup.Replay replay -> {
                    try {
                        return replay.reply().get();
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof AbandonedReplyException)) {
                            throw new IllegalStateException("a cached reply failed", e.getCause());
                        }
                        // the original gave up: look again, and perhaps run it here
                    }
                }
            }
        }
    }

    /** @return how many cookies are known, running or finished */
    public synchronized int size() {
        expire(nanoTime.getAsLong());
        return entries.size();
    }

    void complete(PendingReply p, byte[] datagram) {
        synchronized (this) {
            if (p.reply.isDone()) {
                throw new IllegalStateException("the reply for cookie " + p.cookie() + " is complete already");
            }
            if (entries.get(p.cookie()) == p) {
                finished.addLast(new Finished(p, nanoTime.getAsLong() + ttlNanos));
                while (finished.size() > maxEntries) {
                    drop(finished.removeFirst().entry());
                }
            }
        }
        // outside the lock: waiters' callbacks (sending the reply) run here
        if (!p.reply.complete(datagram)) {
            throw new IllegalStateException("the reply for cookie " + p.cookie() + " was abandoned already");
        }
    }

    void abandon(PendingReply p) {
        final boolean abandoned;
        synchronized (this) {
            abandoned = !p.reply.isDone();
            if (abandoned) {
                drop(p);
            }
        }
        if (abandoned) {
            // outside the lock: waiters' callbacks run here
            p.reply.completeExceptionally(new AbandonedReplyException(p.cookie().toString()));
        }
    }

    private void expire(long now) {
        while (!finished.isEmpty() && now - finished.peekFirst().expiresAt() >= 0) {
            drop(finished.removeFirst().entry());
        }
    }

    private void drop(PendingReply p) {
        entries.remove(p.cookie(), p);
    }
}
