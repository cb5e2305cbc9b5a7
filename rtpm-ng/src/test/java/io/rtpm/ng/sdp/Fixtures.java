package io.rtpm.ng.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the SDP fixtures of src/test/resources/io/rtpm/ng/sdp (see the README there). */
public final class Fixtures {

    /** Every fixture, by file name. */
    public static final String[] ALL = {"sipp-uac-offer.sdp", "sipp-uas-answer.sdp",
        "rfc8866-example.sdp", "rfc3264-offer-audio-video.sdp", "rfc3264-hold.sdp",
        "softphone-via-kamailio.sdp", "ice-rtcp-crypto.sdp"};

    private Fixtures() {
    }

    /** @return the body of fixture {@code name}: its header stripped, LF turned into CRLF */
    public static byte[] sdp(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            final String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            final int body = text.indexOf("\n\n");
            return text.substring(body + 2).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return {@code text} with LF turned into CRLF, as bytes */
    public static byte[] crlf(String text) {
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }
}
