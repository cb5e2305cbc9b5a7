package io.rtpm.ffm;

/** The ring has no memory yet (ENODATA): configure it first. */
public final class RingNotConfiguredException extends RtpmException {

    private static final long serialVersionUID = 1L;

    /**
     * @param operation what was attempted
     * @param errno ENODATA
     * @param ringId the ring
     */
    public RingNotConfiguredException(String operation, int errno, int ringId) {
        super(operation, errno, "ring " + ringId + " is not configured: configure it first (rtpm configure "
                + ringId + ", or RingDevice.configure)");
    }
}
