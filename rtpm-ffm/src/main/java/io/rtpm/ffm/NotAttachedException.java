package io.rtpm.ffm;

/**
 * The session is not attached to a ring (ENOTCONN), e.g. after it was closed or detached; or the
 * device a call went to was closed.
 */
public final class NotAttachedException extends RtpmException {

    private static final long serialVersionUID = 1L;

    /**
     * @param operation what was attempted
     * @param errno ENOTCONN, or 0 when the library knew before any call
     */
    public NotAttachedException(String operation, int errno) {
        super(operation, errno, "the session is not attached to a ring: attach again with RingDevice.attach");
    }

    /**
     * @param operation what was attempted
     * @param errno ENOTCONN, or 0 when the library knew before any call
     * @param message what is closed and what to do
     */
    public NotAttachedException(String operation, int errno, String message) {
        super(operation, errno, message);
    }
}
