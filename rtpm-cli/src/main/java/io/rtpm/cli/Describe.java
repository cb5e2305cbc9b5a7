package io.rtpm.cli;

import io.rtpm.ffm.Backend;
import io.rtpm.ffm.RingDevice;

/** Human wording shared by the commands. */
final class Describe {

    private Describe() {
    }

    static String backend(Backend b) {
        return switch (b) {
            case KERNEL -> "kernel ring (" + RingDevice.DEVICE_PATH + ")";
            case SHM -> "user-space ring (shared memory)";
            case AUTO -> "auto";
        };
    }

    /** Says which backend runs and, for the user-space one, why. */
    static String backendChoice(RingDevice dev, Backend asked) {
        String s = "backend: " + backend(dev.backend());
        if (dev.backend() == Backend.SHM && asked == Backend.AUTO) {
            s += "; the rtp_mgr module is not loaded";
        }
        return s;
    }

    /**
     * The warning for {@code --backend auto} that found no module: said on stderr, so that a relay
     * meant for the kernel ring does not run on the user-space one unnoticed (the journal of a
     * unit started before the module loaded, or after it failed to).
     *
     * @return the warning, or null when the backend was chosen or is the kernel's
     */
    static String fallbackWarning(RingDevice dev, Backend asked, String devicePath) {
        if (dev.backend() != Backend.SHM || asked != Backend.AUTO) {
            return null;
        }
        return "warning: " + devicePath + " does not exist (the rtp_mgr module is not loaded, or"
                + " failed to load: see dmesg and systemctl status systemd-modules-load): running on"
                + " the user-space ring instead; --backend shm chooses it without this warning,"
                + " --backend kernel fails instead (exit 3)";
    }

    static String bytes(long n) {
        if (n < 10_000) {
            return n + " B";
        }
        if (n < 10_000_000) {
            return (n / 1000) + " kB";
        }
        return (n / 1_000_000) + " MB";
    }
}
