/**
 * SDP (RFC 8866) as a media relay touches it: {@link io.rtpm.ng.sdp.SdpParser} reads a body into
 * a {@link io.rtpm.ng.sdp.SessionDescription} of {@link io.rtpm.ng.sdp.SdpLine}s that keep every
 * byte (unknown lines, line endings, order), with typed views of the lines a relay reads
 * ({@link io.rtpm.ng.sdp.Origin}, {@link io.rtpm.ng.sdp.Connection}, {@link io.rtpm.ng.sdp.MediaLine},
 * {@link io.rtpm.ng.sdp.RtcpAttribute} (RFC 3605), {@link io.rtpm.ng.sdp.RtpMap},
 * {@link io.rtpm.ng.sdp.MediaDirection}, {@link io.rtpm.ng.sdp.CryptoAttribute} (RFC 4568, kept
 * as data)); {@link io.rtpm.ng.sdp.SdpRewriter} changes only what an {@link io.rtpm.ng.sdp.SdpRewrite}
 * names: connection addresses, ports, protocol, direction, the origin's address, ICE lines.
 */
package io.rtpm.ng.sdp;
