package io.rtpm.ffm;

/** The caller may not do this: no access to the device, or a role it does not hold. */
public final class PermissionDeniedException extends RtpmException {

    private static final long serialVersionUID = 1L;

    /**
     * @param operation what was attempted
     * @param errno EACCES or EPERM
     * @param message what is missing and how to get it
     */
    public PermissionDeniedException(String operation, int errno, String message) {
        super(operation, errno, message);
    }

    /**
     * The device node could not be opened for lack of permission.
     *
     * @param path the device path
     * @param errno EACCES or EPERM
     * @return the exception, with the udev rule's group in the advice
     */
    public static PermissionDeniedException forDevice(String path, int errno) {
        return new PermissionDeniedException("open " + path, errno, "no permission to open " + path
                + ": add the user to group 'rtpm' (the group deploy/60-rtp_mgr.rules gives access),"
                + " then log in again; or run as root");
    }

    /**
     * A data-path call needs a role the session did not attach with.
     *
     * @param operation what was attempted
     * @param needed the role the call needs
     * @return the exception
     */
    public static PermissionDeniedException forRole(String operation, Role needed) {
        return new PermissionDeniedException(operation, io.rtpm.ffm.internal.Errno.EPERM,
                "this session is not attached as " + needed + ": attach with Role." + needed);
    }
}
