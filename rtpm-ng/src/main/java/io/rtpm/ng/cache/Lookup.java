package io.rtpm.ng.cache;

import java.util.concurrent.CompletableFuture;

/** What {@link ReplyCache#lookup} found for a cookie. */
public sealed interface Lookup {

    /**
     * The cookie is new: run the command, then {@link PendingReply#complete} with the reply, or
     * {@link PendingReply#abandon} if there is none (always one of them, in a {@code finally}).
     */
    record Run(PendingReply pending) implements Lookup {
    }

    /**
     * A retransmission: send {@code reply} once it completes; it is complete already when the
     * original has finished, and completes when it does otherwise. It completes exceptionally with
     * {@link AbandonedReplyException} if the original is abandoned: then look the cookie up again.
     */
    record Replay(CompletableFuture<byte[]> reply) implements Lookup {
    }
}
