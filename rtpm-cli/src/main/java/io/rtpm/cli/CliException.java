package io.rtpm.cli;

/** A failure the CLI reports as one line on stderr with its exit code (see {@link ExitCodes}). */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * @param exitCode one of {@link ExitCodes}
     * @param message what went wrong and what to do
     */
    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /**
     * @param exitCode one of {@link ExitCodes}
     * @param message what went wrong and what to do
     * @param cause the underlying failure (shown with --verbose)
     */
    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
