package io.rtpm.srtp;

import java.lang.foreign.MemorySegment;

import io.rtpm.rtp.Wire;

/**
 * SRTCP (RFC 3711 section 3.4, RFC 7714 section 9) in place. AES-CM packets end in the E flag
 * and 31-bit SRTCP index, the MKI, then the tag; GCM packets in the tag, the E flag and index,
 * then the MKI. With E clear the payload travels unencrypted but authenticated (with GCM it is
 * all AAD).
 */
final class SrtcpTransformer {

    private static final int HEADER = 8;
    private static final int E_FLAG = 0x8000_0000;

    private final Keys keys;
    private final StreamTable streams;
    private final boolean aead;
    private final boolean encrypt;
    private final int tagLength;
    private final SrtcpContext fresh = new SrtcpContext();

    SrtcpTransformer(SrtpPolicy policy, Keys keys, StreamTable streams) {
        this.keys = keys;
        this.streams = streams;
        this.aead = policy.suite().aead();
        this.encrypt = policy.encryptRtcp();
        this.tagLength = policy.suite().rtcpTagLength();
    }

    int protect(MemorySegment s, long at, int length, int capacity) {
        if (length < HEADER) {
            return SrtpStatus.TRUNCATED;
        }
        if (Wire.u8(s, at) >>> 6 != 2) {
            return SrtpStatus.MALFORMED;
        }
        int mki = keys.mkiLength;
        if (capacity - length < 4 + tagLength + mki) {
            return SrtpStatus.NO_ROOM;
        }
        KeyMaterial key = keys.active();
        if (key.rtcpPacketsLeft <= 0) {
            return SrtpStatus.KEY_EXPIRED;
        }
        int ssrc = Wire.i32(s, at + 4);
        int slot = streams.findOrAdd(ssrc);
        if (slot < 0) {
            return SrtpStatus.TOO_MANY_STREAMS;
        }
        SrtcpContext ctx = streams.rtcp(slot);
        if (ctx.nextIndex >= SrtcpContext.INDEX_LIMIT) {
            return SrtpStatus.KEY_EXPIRED; // the index space is spent: re-key
        }
        long index = ctx.nextIndex;
        int word = (encrypt ? E_FLAG : 0) | (int) index;
        long trailerAt = aead ? at + length + tagLength : at + length;
        long tagAt = aead ? at + length : at + length + 4 + mki;
        Wire.putI32(s, trailerAt, word);
        key.writeMki(s, trailerAt + 4);
        key.rtcp.seal(s, at, encrypt ? HEADER : length, encrypt ? length - HEADER : 0, ssrc, index,
                word, true, tagAt);
        ctx.nextIndex++;
        key.rtcpPacketsLeft--;
        return length + 4 + tagLength + mki;
    }

    int unprotect(MemorySegment s, long at, int length) {
        int mki = keys.mkiLength;
        int body = length - 4 - tagLength - mki;
        if (body < HEADER) {
            return SrtpStatus.TRUNCATED;
        }
        if (Wire.u8(s, at) >>> 6 != 2) {
            return SrtpStatus.MALFORMED;
        }
        long mkiAt = at + length - (aead ? mki : mki + tagLength);
        KeyMaterial key = keys.byMki(s, mkiAt);
        if (key == null) {
            return SrtpStatus.UNKNOWN_MKI;
        }
        if (key.rtcpPacketsLeft <= 0) {
            return SrtpStatus.KEY_EXPIRED;
        }
        int ssrc = Wire.i32(s, at + 4);
        int slot = streams.find(ssrc);
        if (slot < 0 && streams.full()) {
            return SrtpStatus.TOO_MANY_STREAMS;
        }
        SrtcpContext ctx = slot >= 0 ? streams.rtcp(slot) : fresh;
        int word = Wire.i32(s, mkiAt - 4);
        long index = word & 0x7FFF_FFFF;
        if (!ctx.replay.check(index)) {
            return SrtpStatus.REPLAYED;
        }
        boolean encrypted = word < 0;
        long tagAt = aead ? at + body : at + length - tagLength;
        if (!key.rtcp.open(s, at, encrypted ? HEADER : body, encrypted ? body - HEADER : 0, ssrc, index,
                word, true, tagAt)) {
            return SrtpStatus.AUTH_FAILED;
        }
        if (slot < 0) {
            ctx = streams.rtcp(streams.add(ssrc));
        }
        ctx.replay.accept(index);
        key.rtcpPacketsLeft--;
        return body;
    }
}
