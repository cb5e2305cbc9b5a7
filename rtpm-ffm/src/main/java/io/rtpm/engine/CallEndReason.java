package io.rtpm.engine;

/** Why a call ended: the reason {@link EngineListener#onCallEnded} reports. */
public enum CallEndReason {
    /** Its owner removed it. */
    REMOVED,
    /** No media on any leg for {@link EngineConfig#timeout()} (rtpengine's {@code --timeout}). */
    TIMEOUT,
    /**
     * A call on hold (no leg {@link LegSpec#sending()}) had no media for
     * {@link EngineConfig#silentTimeout()} (rtpengine's {@code --silent-timeout}).
     */
    SILENT_TIMEOUT,
    /** It reached {@link EngineConfig#finalTimeout()}, whatever its media (rtpengine's {@code --final-timeout}). */
    FINAL_TIMEOUT,
    /** Its offer was never answered within {@link EngineConfig#offerTimeout()} (rtpengine's {@code --offer-timeout}). */
    OFFER_TIMEOUT,
    /** The engine stopped. */
    ENGINE_STOPPED
}
