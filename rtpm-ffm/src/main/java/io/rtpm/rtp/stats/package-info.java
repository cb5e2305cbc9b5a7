/**
 * RFC 3550 receiver statistics: {@link io.rtpm.rtp.stats.SourceStatistics} holds one source's
 * appendix A.1/A.3/A.8 state (sequence validation, loss, jitter) plus duplicate and reorder
 * counts; {@link io.rtpm.rtp.stats.ReceiverStatistics} keeps them per SSRC and writes SR/RR
 * report blocks.
 */
package io.rtpm.rtp.stats;
