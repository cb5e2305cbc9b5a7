package io.rtpm.ng.cache;

/**
 * The command a retransmission waited for ended without a reply; look the cookie up again (one
 * waiter then runs it, as rtpengine's cookie cache lets a waiter retry).
 */
public final class AbandonedReplyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    AbandonedReplyException(String cookie) {
        super("the original request with cookie " + cookie + " ended without a reply: look it up again");
    }
}
