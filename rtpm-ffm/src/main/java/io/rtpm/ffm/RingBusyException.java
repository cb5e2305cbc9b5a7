package io.rtpm.ffm;

/** The ring is in use in a way that forbids this: a role is taken, or it is attached, mapped or running. */
public final class RingBusyException extends RtpmException {

    private static final long serialVersionUID = 1L;

    /**
     * @param operation what was attempted
     * @param errno EBUSY
     * @param message what holds the ring and what to do, e.g. "the PRODUCER role of ring 0 is
     *        taken by another session: stop that process or attach as MONITOR"
     */
    public RingBusyException(String operation, int errno, String message) {
        super(operation, errno, message);
    }
}
