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
