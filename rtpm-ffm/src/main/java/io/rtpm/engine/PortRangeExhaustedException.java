package io.rtpm.engine;

import io.rtpm.ffm.RtpmException;

/**
 * No port pair of the range could be given to a new leg. Says how many pairs were in use,
 * resting after a call ended (the quarantine), and bound by something else.
 */
public final class PortRangeExhaustedException extends RtpmException {

    private static final long serialVersionUID = 1L;

    PortRangeExhaustedException(int min, int max, int used, int resting, int foreign) {
        super("allocate a port pair in " + min + "-" + max, 0,
                "the range is exhausted: " + used + " pairs in use, " + resting
                        + " resting after their call ended, " + foreign
                        + " bound by another program; widen the range (--port-min/--port-max) or end calls");
    }
}
