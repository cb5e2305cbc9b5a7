package io.rtpm.ng.cache;

import io.rtpm.ng.wire.Cookie;
import java.util.concurrent.CompletableFuture;

/**
 * The reply a {@link Lookup.Run} owes: complete it once, or abandon it. Either wakes the
 * retransmissions waiting for it.
 */
public final class PendingReply {

    private final ReplyCache cache;
    private final Cookie cookie;
    final CompletableFuture<byte[]> reply = new CompletableFuture<>();

    PendingReply(ReplyCache cache, Cookie cookie) {
        this.cache = cache;
        this.cookie = cookie;
    }

    /** @return the cookie this reply answers */
    public Cookie cookie() {
        return cookie;
    }

    /**
     * Records {@code datagram} as the reply: retransmissions get it from now on, for the cache's
     * time to live.
     *
     * @throws IllegalStateException if completed or abandoned already
     */
    public void complete(byte[] datagram) {
        cache.complete(this, datagram.clone());
    }

    /**
     * Gives up without a reply: waiting retransmissions fail with {@link AbandonedReplyException}
     * and the next lookup runs the command. Does nothing after {@link #complete}, so that it can
     * sit in a {@code finally}.
     */
    public void abandon() {
        cache.abandon(this);
    }
}
