/**
 * RTCP (RFC 3550 section 6, RFC 4585): {@link io.rtpm.rtp.rtcp.RtcpPacket}, a zero-copy view of
 * SR, RR, SDES, BYE, APP, generic NACK and PLI; {@link io.rtpm.rtp.rtcp.RtcpCompound} to validate
 * (appendix A.2) and iterate compound packets; {@link io.rtpm.rtp.rtcp.SdesItems} for SDES
 * chunks; {@link io.rtpm.rtp.rtcp.RtcpWriter} to build them.
 */
package io.rtpm.rtp.rtcp;
