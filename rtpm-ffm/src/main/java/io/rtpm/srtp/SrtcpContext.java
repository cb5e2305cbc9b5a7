package io.rtpm.srtp;

/**
 * The state kept per SRTCP stream (one SSRC): the next SRTCP index to send (RFC 3711 section
 * 3.4: 31 bits, counted from 0) and the replay list of those received.
 */
final class SrtcpContext {

    /** The most SRTCP packets one index space numbers. */
    static final long INDEX_LIMIT = 1L << 31;

    long nextIndex;
    final ReplayWindow replay = new ReplayWindow();
}
