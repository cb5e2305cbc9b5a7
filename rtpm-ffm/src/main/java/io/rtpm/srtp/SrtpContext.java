package io.rtpm.srtp;

/**
 * The state RFC 3711 section 3.2.1 keeps per SRTP stream (one SSRC): its rollover counter and
 * highest sequence number, and its replay list.
 */
final class SrtpContext {

    final RolloverCounter rollover = new RolloverCounter();
    final ReplayWindow replay = new ReplayWindow();
}
