package io.rtpm.ng.command;

/** What rtpm does with an ng key, flag or value. */
public enum Support {
    /** Parsed into the command and acted on as rtpengine does. */
    HONOURED,
    /**
     * Ignored, and the reply says so in {@code warning} with {@code result: ok}: what rtpengine
     * does with flags it does not know, so that existing Kamailio scripts keep working.
     */
    WARNED,
    /**
     * Refused with {@code result: error} and a reason: what would leave a call without media if
     * ignored (SRTP until its issue, transcoding).
     */
    REFUSED
}
