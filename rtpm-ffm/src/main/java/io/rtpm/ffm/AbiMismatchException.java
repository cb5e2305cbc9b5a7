package io.rtpm.ffm;

/** The provider (module or user-space ring) speaks an ABI this library cannot use. */
public final class AbiMismatchException extends RtpmException {

    private static final long serialVersionUID = 1L;

    private final AbiVersion library;
    private final AbiVersion provider;

    /**
     * @param operation what was attempted
     * @param errno EPROTO, or 0 when detected before any call
     * @param library the version this library was built against
     * @param provider the version the module or ring reports
     */
    public AbiMismatchException(String operation, int errno, AbiVersion library, AbiVersion provider) {
        super(operation, errno, "ABI mismatch: this library needs rtp_mgr ABI " + library
                + " (same major, minor at least " + library.minor() + ") but the provider speaks "
                + provider + ": install a matching rtp_mgr module or rtpm-ffm");
        this.library = library;
        this.provider = provider;
    }

    /** @return the version this library was built against */
    public AbiVersion library() {
        return library;
    }

    /** @return the version the provider reports */
    public AbiVersion provider() {
        return provider;
    }
}
