package io.rtpm.ng.command;

import java.util.Optional;

/** An address family as ng spells it ({@code IP4}, {@code IP6}), as in SDP. */
public enum AddressFamily {
    /** IPv4. */
    IP4,
    /** IPv6. */
    IP6;

    /** @return the family spelled {@code s} (IP4 or IP6) */
    public static Optional<AddressFamily> of(String s) {
        return switch (s) {
            case "IP4" -> Optional.of(IP4);
            case "IP6" -> Optional.of(IP6);
            default -> Optional.empty();
        };
    }
}
