package io.rtpm.ffm;

import io.rtpm.ffm.internal.Errno;

/**
 * A ring operation failed. Subclasses name the common causes; each message says what to do.
 *
 * <p>Unchecked, like {@link java.io.UncheckedIOException}: most callers cannot recover locally
 * and the expected outcomes of the data path (a full ring, nothing to pop) are return values,
 * never exceptions.
 */
public class RtpmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;

    /**
     * @param operation what was attempted, e.g. {@code "configure ring 0"}
     * @param errno the system error behind it, or 0 when there is none
     * @param message what went wrong and what to do about it
     */
    public RtpmException(String operation, int errno, String message) {
        this(operation, errno, message, null);
    }

    /**
     * @param operation what was attempted
     * @param errno the system error behind it, or 0
     * @param message what went wrong and what to do about it
     * @param cause the underlying failure, or null
     */
    public RtpmException(String operation, int errno, String message, Throwable cause) {
        super(operation + ": " + message + (errno != 0 ? " (" + Errno.name(errno) + ")" : ""), cause);
        this.operation = operation;
        this.errno = errno;
    }

    /** @return what was attempted, e.g. {@code "configure ring 0"} */
    public String operation() {
        return operation;
    }

    /** @return the errno behind this failure (positive), or 0 when no system call failed */
    public int errno() {
        return errno;
    }
}
