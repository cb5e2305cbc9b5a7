package io.rtpm.ffm;

/**
 * A version of the rtp_mgr ABI ({@code RTPM_ABI_MAJOR.RTPM_ABI_MINOR} in
 * {@code include/rtp_mgr_ioctl.h}).
 *
 * <p>The rule: user space built against {@code need} works with a provider of version
 * {@code this} when the majors are equal and the provider's minor is at least {@code need}'s.
 *
 * @param major incompatible changes bump this
 * @param minor compatible additions bump this
 */
public record AbiVersion(int major, int minor) implements java.io.Serializable {

    /**
     * The version this library speaks: it attaches to the module with it, and the user-space ring
     * implements it. {@code include/rtp_mgr_ioctl.h} may be newer (AbiDriftTest checks it is not
     * older); a newer minor changes nothing for clients that attach with this one.
     */
    public static final AbiVersion CURRENT = new AbiVersion(1, 0);

    /**
     * Tells whether a provider (module or user-space ring) of this version serves a client built
     * against {@code need}.
     *
     * @param need the version the client was built against
     * @return true when the majors match and this minor is not older
     */
    public boolean serves(AbiVersion need) {
        return major == need.major && minor >= need.minor;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
