package io.rtpm.ffm;

import java.nio.file.Files;
import java.nio.file.Path;

import io.rtpm.ffm.kernel.KernelRingDevice;
import io.rtpm.ffm.shm.ShmRingDevice;

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

    private static RingDevice openShm() {
        return ShmRingDevice.open();
    }
}
