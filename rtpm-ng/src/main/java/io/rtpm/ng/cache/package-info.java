/**
 * Retransmissions: {@link io.rtpm.ng.cache.ReplyCache} keeps each reply by its cookie for 30 s
 * (Kamailio resends the same cookie up to 5 times, 1 s apart), so that a retransmission gets the
 * original's reply and never runs the command twice, and holds a duplicate that arrives while the
 * original still runs until the original's reply is ready.
 */
package io.rtpm.ng.cache;
