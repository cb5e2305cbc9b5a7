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
        return open(backend, RingDevice.DEVICE_PATH);
    }

    static RingDevice open(Backend backend, String devicePath) {
        return switch (backend) {
            case KERNEL -> KernelRingDevice.open(devicePath);
            case SHM -> ShmRingDevice.open();
            case AUTO -> Files.exists(Path.of(devicePath))
                    ? KernelRingDevice.open(devicePath) : ShmRingDevice.open();
        };
    }
}
