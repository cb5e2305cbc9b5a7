package io.rtpm.engine;

/**
 * What the engine does with STUN, DTLS, ZRTP, TURN-channel and unknown datagrams on a media
 * port. They are not "invalid": each is counted by kind either way.
 */
public enum NonRtpPolicy {
    /** Count and drop. */
    DROP,
    /** Count and hand to {@link EngineListener#onNonRtp} (the slow path), then drop. */
    DELIVER
}
