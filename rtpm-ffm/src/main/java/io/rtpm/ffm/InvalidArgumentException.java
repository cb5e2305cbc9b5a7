package io.rtpm.ffm;

/** A request was rejected because one field is out of range. */
public final class InvalidArgumentException extends RtpmException {

    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param operation what was attempted
     * @param errno EINVAL (or 0 when the library rejected it before any call)
     * @param field the field at fault, e.g. {@code "order"}
     * @param message what the valid range is
     */
    public InvalidArgumentException(String operation, int errno, String field, String message) {
        super(operation, errno, "invalid " + field + ": " + message);
        this.field = field;
    }

    /** @return the field at fault, e.g. {@code "order"} */
    public String field() {
        return field;
    }
}
