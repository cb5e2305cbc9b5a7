package io.rtpm.cli;

/**
 * Every exit status of {@code rtpm}, in one place; {@code rtpm --help} lists them and
 * rtpm-cli/README.md documents them.
 */
public final class ExitCodes {

    /** Success. */
    public static final int OK = 0;
    /** An unexpected failure (a bug): run again with --verbose and report the trace. */
    public static final int SOFTWARE = 1;
    /** A bad argument: unknown option, a value out of range (order, payload, port), bad address. */
    public static final int USAGE = 2;
    /** No device: the rtp_mgr module is not loaded (with --backend kernel). */
    public static final int NO_DEVICE = 3;
    /** Permission denied: the device, a port below 1024, or a ring owned by another user. */
    public static final int PERMISSION = 4;
    /** The kernel module speaks another ABI version than this rtpm. */
    public static final int ABI_MISMATCH = 5;
    /** The ring is busy: attached, mapped or running where that is not allowed, or a role is taken. */
    public static final int RING_BUSY = 6;
    /** A UDP port is already in use. */
    public static final int PORT_IN_USE = 7;
    /** The ring is not configured (run rtpm configure, or let rtpm stream do it). */
    public static final int NOT_CONFIGURED = 8;
    /** rtpm recv --fail-on-loss: packets were lost or fewer than --expect arrived. */
    public static final int LOSS = 9;
    /** Any other ring or network failure (the message says which call and errno). */
    public static final int RING_ERROR = 10;
    /**
     * rtpm stream: its ring was stopped ({@code rtpm stop}); it sent what was in the ring and
     * exited. Deliberate, so the systemd unit neither restarts on it nor shows it as a failure.
     */
    public static final int RING_STOPPED = 11;
    /**
     * SIGINT (Ctrl-C) ended the command (128 + 2, the shell's convention); rtpm stream drained the
     * ring and printed its summary first.
     */
    public static final int SIGINT = 130;
    /**
     * SIGTERM ({@code systemctl stop}, {@code kill}) ended the command (128 + 15); rtpm stream
     * drained the ring and printed its summary first. The unit counts it as success.
     */
    public static final int SIGTERM = 143;

    /** The table for picocli's help ("Exit Codes:" section). */
    static final String[] HELP_LIST = {
        "0:success",
        "1:unexpected failure (a bug: rerun with --verbose)",
        "2:bad argument (out of range order, payload, port; bad address)",
        "3:no device: rtp_mgr module not loaded",
        "4:permission denied",
        "5:ABI mismatch between rtpm and the module",
        "6:ring busy",
        "7:UDP port already in use",
        "8:ring not configured",
        "9:recv --fail-on-loss saw loss",
        "10:other ring or network failure",
        "11:stream: its ring was stopped (rtpm stop), drained",
        "130:SIGINT (Ctrl-C), after the drain and summary",
        "143:SIGTERM (systemctl stop), after the drain and summary",
    };

    private ExitCodes() {
    }
}
