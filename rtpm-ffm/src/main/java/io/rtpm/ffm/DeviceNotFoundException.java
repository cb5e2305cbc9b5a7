package io.rtpm.ffm;

/** {@code /dev/rtp_mgr} does not exist: the kernel module is not loaded. */
public final class DeviceNotFoundException extends RtpmException {

    private static final long serialVersionUID = 1L;

    /**
     * @param path the device path that was opened
     * @param errno ENOENT, ENODEV or ENXIO
     */
    public DeviceNotFoundException(String path, int errno) {
        super("open " + path, errno, "module rtp_mgr is not loaded: no " + path
                + ". Load it (modprobe rtp_mgr, or insmod rtp_mgr.ko), or use the user-space ring"
                + " (Backend.SHM)");
    }
}
