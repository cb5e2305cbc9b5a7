package io.rtpm.ffm;

import java.nio.file.Files;
import java.nio.file.Path;

import io.rtpm.ffm.kernel.KernelRingDevice;

/** Picks and opens a backend for {@link RingDevice#open(Backend)}. */
final class Backends {

    private Backends() {
    }

    static RingDevice open(Backend backend) {
        return switch (backend) {
            case KERNEL -> KernelRingDevice.open(RingDevice.DEVICE_PATH);
            case SHM -> openShm();
            case AUTO -> Files.exists(Path.of(RingDevice.DEVICE_PATH))
                    ? KernelRingDevice.open(RingDevice.DEVICE_PATH) : openShm();
        };
    }

    // The user-space ring lives in io.rtpm.ffm.shm (its own engineer); its entry point is wired here.
    private static RingDevice openShm() {
        throw new RtpmException("open the user-space ring", 0,
                "Backend.SHM is not part of this build yet: load the rtp_mgr module and use Backend.KERNEL");
    }
}
