package io.rtpm.srtp;

import java.lang.foreign.MemorySegment;

import io.rtpm.rtp.Wire;

/**
 * SRTP (RFC 3711 section 3.1, RFC 7714 section 8) in place: protect appends the MKI and tag
 * (AES-CM: payload, MKI, tag; GCM: payload, tag, MKI, as libsrtp2 lays them out), unprotect
 * checks and strips them.
 */
final class SrtpTransformer {

    private final Keys keys;
    private final StreamTable streams;
    private final boolean aead;
    private final int tagLength;
    private final SrtpContext fresh = new SrtpContext();

    SrtpTransformer(SrtpPolicy policy, Keys keys, StreamTable streams) {
        this.keys = keys;
        this.streams = streams;
        this.aead = policy.suite().aead();
        this.tagLength = policy.suite().rtpTagLength();
    }

    /** @return the header length (fixed part, CSRCs, extension), or a negative status */
    static int headerLength(MemorySegment s, long at, int length) {
        if (length < 12) {
            return SrtpStatus.TRUNCATED;
        }
        int b0 = Wire.u8(s, at);
        if (b0 >>> 6 != 2) {
            return SrtpStatus.MALFORMED;
        }
        int h = 12 + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            if (h + 4 > length) {
                return SrtpStatus.MALFORMED;
            }
            h += 4 + 4 * Wire.u16(s, at + h + 2);
        }
        return h > length ? SrtpStatus.MALFORMED : h;
    }

    int protect(MemorySegment s, long at, int length, int capacity) {
        int h = headerLength(s, at, length);
        if (h < 0) {
            return h;
        }
        int mki = keys.mkiLength;
        if (capacity - length < tagLength + mki) {
            return SrtpStatus.NO_ROOM;
        }
        KeyMaterial key = keys.active();
        if (key.rtpPacketsLeft <= 0) {
            return SrtpStatus.KEY_EXPIRED;
        }
        int ssrc = Wire.i32(s, at + 8);
        int slot = streams.findOrAdd(ssrc);
        if (slot < 0) {
            return SrtpStatus.TOO_MANY_STREAMS;
        }
        SrtpContext ctx = streams.rtp(slot);
        long index = ctx.rollover.estimate(Wire.u16(s, at + 2));
        if (index < 0 || !ctx.replay.check(index)) {
            return SrtpStatus.REPLAYED; // never two packets under one index (RFC 3711 section 9.1)
        }
        long tagAt = aead ? at + length : at + length + mki;
        key.writeMki(s, aead ? at + length + tagLength : at + length);
        key.rtp.seal(s, at, h, length - h, ssrc, index, (int) (index >>> 16), !aead, tagAt);
        ctx.rollover.update(index);
        ctx.replay.accept(index);
        key.rtpPacketsLeft--;
        return length + tagLength + mki;
    }

    int unprotect(MemorySegment s, long at, int length) {
        int mki = keys.mkiLength;
        int body = length - tagLength - mki;
        if (body < 12) {
            return SrtpStatus.TRUNCATED;
        }
        int h = headerLength(s, at, body);
        if (h < 0) {
            return h;
        }
        long mkiAt = aead ? at + length - mki : at + body;
        KeyMaterial key = keys.byMki(s, mkiAt);
        if (key == null) {
            return SrtpStatus.UNKNOWN_MKI;
        }
        if (key.rtpPacketsLeft <= 0) {
            return SrtpStatus.KEY_EXPIRED;
        }
        int ssrc = Wire.i32(s, at + 8);
        int slot = streams.find(ssrc);
        if (slot < 0 && streams.full()) {
            return SrtpStatus.TOO_MANY_STREAMS;
        }
        SrtpContext ctx = slot >= 0 ? streams.rtp(slot) : fresh;
        long index = ctx.rollover.estimate(Wire.u16(s, at + 2));
        if (index < 0 || !ctx.replay.check(index)) {
            return SrtpStatus.REPLAYED;
        }
        long tagAt = aead ? at + body : at + length - tagLength;
        if (!key.rtp.open(s, at, h, body - h, ssrc, index, (int) (index >>> 16), !aead, tagAt)) {
            return SrtpStatus.AUTH_FAILED;
        }
        if (slot < 0) { // only an authentic packet makes a stream: forgeries cannot fill the table
            ctx = streams.rtp(streams.add(ssrc));
        }
        ctx.rollover.update(index);
        ctx.replay.accept(index);
        key.rtpPacketsLeft--;
        return body;
    }
}
