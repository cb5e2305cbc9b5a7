package io.rtpm.ng.command;

import java.util.List;
import java.util.Optional;

/**
 * A parsed request: the command and the warnings about what was accepted but ignored.
 *
 * @param command  the command
 * @param warnings one line each, in request order
 */
public record NgRequest(NgCommand command, List<String> warnings) {

    /** Copies the warnings. */
    public NgRequest {
        warnings = List.copyOf(warnings);
    }

    /** @return the warnings as the reply's one {@code warning} string, if there are any */
    public Optional<String> warning() {
        return warnings.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", warnings));
    }
}
