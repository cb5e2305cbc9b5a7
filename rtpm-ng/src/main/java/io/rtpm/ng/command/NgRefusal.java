package io.rtpm.ng.command;

/**
 * A request rtpm will not carry out: a missing or ill-typed key, an unknown command, or an option
 * that would leave the call without media if ignored. Answered {@code result: error} with
 * {@link #getMessage()} as the {@code error-reason}; nothing is created.
 */
public final class NgRefusal extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param reason the error-reason, for the operator reading the SIP proxy's log */
    public NgRefusal(String reason) {
        super(reason);
    }
}
