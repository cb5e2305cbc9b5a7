package io.rtpm.ffm;

import io.rtpm.ffm.internal.Libc;
import io.rtpm.ffm.internal.UnixDatagram;

/**
 * Tells systemd how a {@code Type=notify} service is doing, as sd_notify(3) does: one datagram of
 * {@code KEY=VALUE} lines to the AF_UNIX socket named by {@code $NOTIFY_SOCKET} (a path, or an
 * abstract name written {@code @name}). No libsystemd: the socket calls go through FFM.
 *
 * <pre>{@code
 * SystemdNotifier notifier = SystemdNotifier.fromEnvironment(); // null outside a notify unit
 * if (notifier != null) {
 *     notifier.ready("relaying 5004 -> 10.0.0.2:5006"); // once the ports are bound
 * }
 * }</pre>
 *
 * <p>Each message opens, uses and closes its own socket, as sd_notify does: nothing stays open
 * and the object is immutable and thread-safe. Call it a few times in a service's life (ready,
 * status, stopping), not per packet: each call allocates.
 */
public final class SystemdNotifier {

    /** The environment variable systemd sets for {@code Type=notify} services. */
    public static final String ENV = "NOTIFY_SOCKET";

    private final String address;

    private SystemdNotifier(String address) {
        this.address = address;
    }

    /**
     * @return a notifier for {@code $NOTIFY_SOCKET}, or null when it is unset or empty (not run
     *         by systemd as a notify service)
     */
    public static SystemdNotifier fromEnvironment() {
        String a = System.getenv(ENV);
        return a == null || a.isEmpty() ? null : new SystemdNotifier(a);
    }

    /**
     * @param address a socket path, or {@code @name} for an abstract socket
     * @return a notifier sending there
     * @throws IllegalArgumentException when the address is empty
     */
    public static SystemdNotifier of(String address) {
        if (address.isEmpty()) {
            throw new IllegalArgumentException("an empty notification socket address");
        }
        return new SystemdNotifier(address);
    }

    /** @return the socket it sends to, as given ({@code @} for an abstract name) */
    public String address() {
        return address;
    }

    /**
     * Start-up is done: {@code READY=1} with a status line.
     *
     * @param status what the service does now, shown by {@code systemctl status}
     * @throws RtpmException when the datagram cannot be sent (the message names the socket and errno)
     */
    public void ready(String status) {
        send("READY=1\nSTATUS=" + oneLine(status) + "\nMAINPID=" + Libc.getpid());
    }

    /**
     * A new status line ({@code STATUS=}).
     *
     * @throws RtpmException when the datagram cannot be sent
     */
    public void status(String status) {
        send("STATUS=" + oneLine(status));
    }

    /**
     * The service is shutting down ({@code STOPPING=1}).
     *
     * @throws RtpmException when the datagram cannot be sent
     */
    public void stopping(String status) {
        send("STOPPING=1\nSTATUS=" + oneLine(status));
    }

    /**
     * Sends one message of newline-separated {@code KEY=VALUE} assignments, as sd_notify(3) does.
     *
     * @param state the assignments
     * @throws RtpmException when the socket cannot be made or the datagram not sent
     */
    public void send(String state) {
        String op = "notify systemd through " + ENV + "=" + address;
        int fd = UnixDatagram.socket();
        if (fd < 0) {
            throw new RtpmException(op, -fd, "socket(AF_UNIX, SOCK_DGRAM) failed: is AF_UNIX"
                    + " in the unit's RestrictAddressFamilies=?");
        }
        try {
            int r = UnixDatagram.sendto(fd, state, address);
            if (r < 0) {
                throw new RtpmException(op, -r, "sendto failed: is the socket systemd's, and does"
                        + " the unit have NotifyAccess= for this process?");
            }
        } finally {
            Libc.close(fd);
        }
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ');
    }
}
