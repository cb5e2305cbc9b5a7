package io.rtpm.cli;

import java.io.PrintWriter;

import io.rtpm.ffm.RtpmException;
import io.rtpm.ffm.SystemdNotifier;

/**
 * A command's reports to systemd ({@code Type=notify} units: deploy/rtpm-stream@.service):
 * {@code READY=1} once it serves, {@code STOPPING=1} when it winds down. Nothing outside systemd
 * ({@code $NOTIFY_SOCKET} unset). A report that cannot be sent is one warning line, not a
 * failure: the relay works either way, and systemd's start timeout says the rest.
 */
final class ServiceNotify {

    private final SystemdNotifier notifier;
    private final PrintWriter warn;

    private ServiceNotify(SystemdNotifier notifier, PrintWriter warn) {
        this.notifier = notifier;
        this.warn = warn;
    }

    /** @param warn where a failed report is said */
    static ServiceNotify fromEnvironment(PrintWriter warn) {
        return new ServiceNotify(SystemdNotifier.fromEnvironment(), warn);
    }

    void ready(String status) {
        if (notifier != null) {
            report(() -> notifier.ready(status));
        }
    }

    void stopping(String status) {
        if (notifier != null) {
            report(() -> notifier.stopping(status));
        }
    }

    private void report(Runnable send) {
        try {
            send.run();
        } catch (RtpmException e) {
            warn.println("warning: " + e.getMessage());
            warn.flush();
        }
    }
}
