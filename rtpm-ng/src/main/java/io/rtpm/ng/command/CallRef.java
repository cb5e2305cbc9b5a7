package io.rtpm.ng.command;

import java.util.Optional;

/**
 * Which call and which side a command is about. Text is kept one char per byte (ISO-8859-1), so a
 * tag that is not UTF-8 still compares and echoes exactly.
 *
 * @param callId    the SIP Call-ID
 * @param fromTag   the From tag (empty only for query and delete without one)
 * @param toTag     the To tag, if given
 * @param viaBranch the Via branch, if given
 */
public record CallRef(String callId, Optional<String> fromTag, Optional<String> toTag,
        Optional<String> viaBranch) {
}
