package io.rtpm.ng.wire;

import java.util.Optional;

/**
 * An ng datagram that cannot be decoded. With a cookie the server answers {@code result: error}
 * with {@link #reason()} (as rtpengine does); without one there is nothing to answer to, and the
 * datagram is counted and dropped (rtpengine logs "no cookie" and drops it too).
 */
public final class NgFrameException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Cookie cookie;
    private final NgFormat format;
    private final String reason;

    NgFrameException(Cookie cookie, NgFormat format, String reason) {
        super(reason);
        this.cookie = cookie;
        this.format = format;
        this.reason = reason;
    }

    /** @return the cookie, when the datagram had one */
    public Optional<Cookie> cookie() {
        return Optional.ofNullable(cookie);
    }

    /** @return the format to answer in (bencode when the body's format is unknown) */
    public NgFormat format() {
        return format;
    }

    /** @return why, for the {@code error-reason} */
    public String reason() {
        return reason;
    }
}
