package io.rtpm.ng.sdp;

/**
 * A malformed SDP body: which line (1-based; 0 for the body as a whole) and why. The ng server
 * answers {@code result: error} with {@link #getMessage()} and creates nothing.
 */
public final class SdpException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int line;

    /**
     * @param line   the 1-based line number, 0 for the whole body
     * @param reason what is wrong
     */
    public SdpException(int line, String reason) {
        super(line == 0 ? "malformed SDP: " + reason : "malformed SDP, line " + line + ": " + reason);
        this.line = line;
    }

    /** @return the 1-based line number, 0 for the whole body */
    public int line() {
        return line;
    }
}
