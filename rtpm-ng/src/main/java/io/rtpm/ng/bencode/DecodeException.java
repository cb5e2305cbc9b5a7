package io.rtpm.ng.bencode;

/**
 * A message body that is not well-formed: where ({@link #offset()}, in bytes from the start of the
 * body) and why. The ng server answers it with {@code result: error} and this message as the
 * {@code error-reason}.
 */
public final class DecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String reason;

    /**
     * @param offset the byte offset of the fault in the body
     * @param reason what is wrong there, for a person to read
     */
    public DecodeException(long offset, String reason) {
        super("malformed message at byte " + offset + ": " + reason);
        this.offset = offset;
        this.reason = reason;
    }

    /** @return the byte offset of the fault */
    public long offset() {
        return offset;
    }

    /** @return what is wrong, without the offset */
    public String reason() {
        return reason;
    }
}
