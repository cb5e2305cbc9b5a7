/**
 * The pure-Java RTP data path (RFC 3550 section 5, RFC 8285): {@link io.rtpm.rtp.RtpPacket}, a
 * zero-copy flyweight over a {@link java.lang.foreign.MemorySegment} with allocation-free
 * {@link io.rtpm.rtp.RtpPacket#validate() validation}; {@link io.rtpm.rtp.ExtensionElements} for
 * one- and two-byte header extension elements; {@link io.rtpm.rtp.RtpWriter} to build packets;
 * {@link io.rtpm.rtp.RtpGenerator} for test and sender streams; {@link io.rtpm.rtp.PacketKind}
 * to demultiplex RTP, RTCP, STUN and DTLS on one port (RFC 5761, RFC 7983); and
 * {@link io.rtpm.rtp.PayloadClockRates} (RFC 3551). RTCP lives in {@code io.rtpm.rtp.rtcp},
 * receiver statistics in {@code io.rtpm.rtp.stats}.
 */
package io.rtpm.rtp;
