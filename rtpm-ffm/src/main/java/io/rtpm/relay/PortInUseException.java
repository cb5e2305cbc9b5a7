package io.rtpm.relay;

import io.rtpm.ffm.RtpmException;

/** A UDP port the relay needs is already bound by another socket. */
public final class PortInUseException extends RtpmException {

    private static final long serialVersionUID = 1L;

    private final int port;

    /**
     * @param operation what was attempted, e.g. {@code "bind the RTP receive socket to 0.0.0.0:5004"}
     * @param errno EADDRINUSE
     * @param port the port that is taken
     */
    public PortInUseException(String operation, int errno, int port) {
        super(operation, errno, "UDP port " + port + " is already in use: stop whatever holds it"
                + " (ss -ulpn 'sport = :" + port + "') or choose another port");
        this.port = port;
    }

    /** @return the port that is taken */
    public int port() {
        return port;
    }
}
