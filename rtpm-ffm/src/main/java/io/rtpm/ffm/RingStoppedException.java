package io.rtpm.ffm;

/** The ring is stopped: claim and push fail, and pop fails once nothing is left. */
public final class RingStoppedException extends RtpmException {

    private static final long serialVersionUID = 1L;

    /**
     * @param operation what was attempted
     * @param errno EPIPE
     * @param ringId the ring
     */
    public RingStoppedException(String operation, int errno, int ringId) {
        super(operation, errno, "ring " + ringId + " is stopped: start it (rtpm start " + ringId
                + ", or RingDevice.start)");
    }
}
