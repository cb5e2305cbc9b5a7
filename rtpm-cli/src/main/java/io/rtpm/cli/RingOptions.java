package io.rtpm.cli;

import io.rtpm.ffm.Backend;
import io.rtpm.ffm.RingDevice;
import picocli.CommandLine.Option;

/** The options every ring command shares: which backend, which device node, which ring. */
final class RingOptions {

    @Option(names = "--backend", paramLabel = "kernel|shm|auto", defaultValue = "auto",
            converter = BackendConverter.class,
            description = "kernel: the rtp_mgr module; shm: the user-space ring (/dev/shm, or"
                    + " $RTPM_SHM_DIR); auto: kernel when the device exists (default: ${DEFAULT-VALUE}).")
    Backend backend;

    @Option(names = "--device", paramLabel = "PATH", defaultValue = RingDevice.DEVICE_PATH,
            description = "The kernel module's device node (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--ring", paramLabel = "ID", defaultValue = "0",
            description = "The ring id (default: ${DEFAULT-VALUE}).")
    int ring;

    /** @return the open device */
    RingDevice open() {
        if (ring < 0) {
            throw new CliException(ExitCodes.USAGE, "invalid --ring " + ring + ": ring ids start at 0");
        }
        RingDevice dev = RingDevice.open(backend, device);
        if (ring >= dev.info().maxRings()) {
            int max = dev.info().maxRings();
            dev.close();
            throw new CliException(ExitCodes.USAGE, "invalid --ring " + ring + ": this "
                    + Describe.backend(dev.backend()) + " has rings 0.." + (max - 1));
        }
        return dev;
    }

    /** Accepts kernel, shm, auto in any case. */
    static final class BackendConverter implements picocli.CommandLine.ITypeConverter<Backend> {
        @Override
        public Backend convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "kernel" -> Backend.KERNEL;
                case "shm" -> Backend.SHM;
                case "auto" -> Backend.AUTO;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a backend: use kernel, shm or auto");
            };
        }
    }
}
