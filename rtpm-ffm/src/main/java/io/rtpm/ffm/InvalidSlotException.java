package io.rtpm.ffm;

/** A push or release named a slot this session does not hold (ERANGE, EBADSLT) or an oversized length (EMSGSIZE). */
public final class InvalidSlotException extends RtpmException {

    private static final long serialVersionUID = 1L;

    private final int index;

    /**
     * @param operation what was attempted
     * @param errno ERANGE, EBADSLT or EMSGSIZE
     * @param index the slot index
     * @param message what is wrong with it
     */
    public InvalidSlotException(String operation, int errno, int index, String message) {
        super(operation, errno, "slot " + index + ": " + message);
        this.index = index;
    }

    /** @return the slot index at fault */
    public int index() {
        return index;
    }
}
