package io.rtpm.ng.command;

import java.util.Optional;
import java.util.Set;

/**
 * The commands rtpm serves, matched exactly as rtpengine's control_ng.c matches them (case and
 * spaces as written). rtpengine's other commands are known, and refused as not supported.
 */
public enum NgCommandName {
    /** {@code ping}. */
    PING("ping"),
    /** {@code offer}. */
    OFFER("offer"),
    /** {@code answer}. */
    ANSWER("answer"),
    /** {@code delete}. */
    DELETE("delete"),
    /** {@code query}. */
    QUERY("query"),
    /** {@code list}. */
    LIST("list"),
    /** {@code statistics}. */
    STATISTICS("statistics");

    /** rtpengine's commands that rtpm does not serve (docs/ng_control_protocol.md). */
    public static final Set<String> NOT_SUPPORTED = Set.of("start recording", "stop recording",
            "pause recording", "block DTMF", "unblock DTMF", "block media", "unblock media",
            "silence media", "unsilence media", "start forwarding", "stop forwarding", "play media",
            "stop media", "play DTMF", "publish", "subscribe request", "subscribe answer", "unsubscribe",
            "inject start", "inject stop", "connect", "create", "create answer", "mesh", "cli", "CLI");

    private final String wire;

    NgCommandName(String wire) {
        this.wire = wire;
    }

    /** @return the name as the request spells it */
    public String wire() {
        return wire;
    }

    /** @return the command spelled exactly {@code s} */
    public static Optional<NgCommandName> of(String s) {
        for (NgCommandName n : values()) {
            if (n.wire.equals(s)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }
}
