/**
 * JMH benchmarks of the pure-Java RTP stack: parse plus validate of RTP and RTCP
 * ({@link io.rtpm.bench.rtp.RtpParseBench}) and the per-packet receiver statistics update
 * ({@link io.rtpm.bench.rtp.StatsBench}). Results and the command: docs/PERFORMANCE.md.
 */
package io.rtpm.bench.rtp;
