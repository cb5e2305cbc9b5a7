/**
 * The ng datagram: a cookie, one space, and a dictionary body in bencode or JSON
 * (rtpengine's docs/ng_control_protocol.md; rtpengine tells them apart by the first byte and
 * answers in the format it was asked in). {@link io.rtpm.ng.wire.NgCodec} splits and decodes
 * requests and encodes replies; {@link io.rtpm.ng.wire.Cookie} keys the reply cache.
 */
package io.rtpm.ng.wire;
