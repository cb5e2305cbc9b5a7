package io.rtpm.ffm.internal;

import io.rtpm.ffm.InvalidArgumentException;
import io.rtpm.ffm.InvalidSlotException;
import io.rtpm.ffm.NotAttachedException;
import io.rtpm.ffm.PermissionDeniedException;
import io.rtpm.ffm.RingBusyException;
import io.rtpm.ffm.RingMemoryException;
import io.rtpm.ffm.RingNotConfiguredException;
import io.rtpm.ffm.RingStoppedException;
import io.rtpm.ffm.RtpmException;

/**
 * Turns an errno from a ring operation into the typed exception both backends throw, so the
 * contract tests can expect the same type whichever backend runs. Callers that know more (which
 * field, which role) build the exception themselves; this is the fallback.
 */
public final class Failures {

    private Failures() {
    }

    /**
     * @param operation what was attempted, e.g. {@code "configure ring 0"}
     * @param errno the positive errno (a negative one is read as its absolute value)
     * @param ringId the ring the operation addressed
     * @return the exception to throw
     */
    public static RtpmException of(String operation, int errno, int ringId) {
        int e = Math.abs(errno);
        return switch (e) {
            case Errno.EPIPE -> new RingStoppedException(operation, e, ringId);
            case Errno.ENODATA -> new RingNotConfiguredException(operation, e, ringId);
            case Errno.ENOTCONN -> new NotAttachedException(operation, e);
            case Errno.EBUSY -> new RingBusyException(operation, e, "ring " + ringId
                    + " is busy (a role is taken, or sessions are attached, it is mapped or running):"
                    + " stop it and close the other sessions, or attach with other roles");
            case Errno.EACCES, Errno.EPERM -> new PermissionDeniedException(operation, e,
                    "not permitted: the session lacks the role this call needs (PRODUCER for claim/push,"
                    + " CONSUMER for pop/release) or the access mode");
            case Errno.EINVAL -> new InvalidArgumentException(operation, e, "request",
                    "rejected by the ring (ring id, a reserved field, or a value out of the limits"
                    + " RingDevice.info() reports)");
            case Errno.E2BIG -> new RingMemoryException(operation, e, "ring " + ringId
                    + " would exceed the per-ring memory cap: use a smaller order or max payload");
            case Errno.ENOSPC -> new RingMemoryException(operation, e, "all rings together would exceed"
                    + " the total memory cap: unconfigure unused rings or use a smaller ring");
            case Errno.ENOMEM -> new RingMemoryException(operation, e, "out of memory for ring " + ringId
                    + ": use a smaller ring");
            default -> new RtpmException(operation, e, "failed");
        };
    }

    /**
     * For a data-path call that named a slot (push, release).
     *
     * @param operation what was attempted
     * @param errno the positive errno
     * @param ringId the ring
     * @param index the slot index the call named
     * @return the exception to throw
     */
    public static RtpmException slot(String operation, int errno, int ringId, int index) {
        int e = Math.abs(errno);
        return switch (e) {
            case Errno.ERANGE -> new InvalidSlotException(operation, e, index,
                    "no such slot in ring " + ringId + ": use the index claim or pop returned");
            case Errno.EBADSLT -> new InvalidSlotException(operation, e, index,
                    "not held by this session in the state this call needs (never claimed/popped,"
                    + " or already pushed/released)");
            case Errno.EMSGSIZE -> new InvalidSlotException(operation, e, index,
                    "length exceeds the ring's max payload");
            default -> of(operation, e, ringId);
        };
    }
}
