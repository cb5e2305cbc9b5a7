package io.rtpm.srtp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One master key at work: its MKI, the ciphers of its derived SRTP and SRTCP session keys, and
 * how many more packets each may handle before the key's lifetime is spent (RFC 3711 section
 * 9.2; counted per session, protect and unprotect alike).
 */
final class KeyMaterial implements AutoCloseable {

    final byte[] mki;
    final PacketCipher rtp;
    final PacketCipher rtcp;
    long rtpPacketsLeft;
    long rtcpPacketsLeft;

    KeyMaterial(SrtpPolicy policy, SrtpMasterKey key) {
        SrtpSuite suite = policy.suite();
        this.mki = key.mki();
        this.rtp = PacketCipher.of(suite, policy.gcmEngine(), KeyDerivation.derive(suite, key, false),
                suite.rtpTagLength());
        PacketCipher c;
        try {
            c = PacketCipher.of(suite, policy.gcmEngine(), KeyDerivation.derive(suite, key, true),
                    suite.rtcpTagLength());
        } catch (RuntimeException e) {
            rtp.close();
            throw e;
        }
        this.rtcp = c;
        this.rtpPacketsLeft = Math.min(key.lifetime(), SrtpMasterKey.MAX_SRTP_PACKETS);
        this.rtcpPacketsLeft = Math.min(key.lifetime(), SrtpMasterKey.MAX_SRTCP_PACKETS);
    }

    /** @return whether the packet's MKI at {@code at} is this key's */
    boolean matches(MemorySegment s, long at) {
        for (int i = 0; i < mki.length; i++) {
            if (s.get(ValueLayout.JAVA_BYTE, at + i) != mki[i]) {
                return false;
            }
        }
        return true;
    }

    /** Writes this key's MKI at {@code at}. */
    void writeMki(MemorySegment s, long at) {
        MemorySegment.copy(mki, 0, s, ValueLayout.JAVA_BYTE, at, mki.length);
    }

    @Override
    public void close() {
        rtp.close();
        rtcp.close();
    }
}
