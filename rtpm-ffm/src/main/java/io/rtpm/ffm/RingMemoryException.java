package io.rtpm.ffm;

/** A ring's memory could not be had: over the per-ring or total cap, or out of memory. */
public final class RingMemoryException extends RtpmException {

    private static final long serialVersionUID = 1L;

    /**
     * @param operation what was attempted
     * @param errno E2BIG, ENOSPC or ENOMEM
     * @param message which cap and what to do, e.g. a smaller order or max payload
     */
    public RingMemoryException(String operation, int errno, String message) {
        super(operation, errno, message);
    }
}
