package io.rtpm.ng.bencode;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rtpm.ng.command.NgRefusal;
import io.rtpm.ng.command.NgRequestParser;
import io.rtpm.ng.wire.NgCodec;
import io.rtpm.ng.wire.NgFrameException;
import io.rtpm.ng.wire.NgMessage;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing (Jazzer) of {@link BencodeDecoder} and what sits on it: any input either
 * decodes or throws {@link DecodeException}, and anything else (a runtime exception, a stack
 * overflow) is a bug; what decodes must encode canonically and decode again to an equal value.
 * The same bytes, behind a cookie, go through {@link NgCodec} (bencode or JSON by the first byte)
 * and, when they frame a dictionary, through {@link NgRequestParser}, which may only refuse.
 *
 * <p>In a plain {@code mvn test} this replays the seeds under
 * {@code src/test/resources/io/rtpm/ng/bencode/BencodeFuzzTestInputs/decode}; the
 * {@code fuzz-bencode} surefire execution of rtpm-ng/pom.xml fuzzes it with {@code JAZZER_FUZZ=1}
 * for {@code maxDuration}.
 */
class BencodeFuzzTest {

    private static final DecodeLimits LIMITS = new DecodeLimits(65_536, 16, 4_096);

    private final BencodeDecoder decoder = new BencodeDecoder(LIMITS);
    private final NgCodec codec = new NgCodec(LIMITS);

    @FuzzTest(maxDuration = "3s")
    void decode(byte[] data) {
        roundTrip(data);
        final byte[] datagram = new byte[data.length + 2];
        datagram[0] = 'c';
        datagram[1] = ' ';
        System.arraycopy(data, 0, datagram, 2, data.length);
        try {
            final NgMessage m = codec.decode(datagram);
            NgRequestParser.parse(m.body());
        } catch (NgFrameException | NgRefusal e) {
            // the answers the server sends; anything else escapes and is a finding
        }
    }

    private void roundTrip(byte[] data) {
        final BencodeValue v;
        try {
            v = decoder.decode(data);
        } catch (DecodeException e) {
            if (e.offset() < 0 || e.offset() > data.length) {
                throw new AssertionError("offset " + e.offset() + " outside " + data.length + " bytes");
            }
            return;
        }
        final byte[] again = BencodeEncoder.encode(v);
        try {
            if (!decoder.decode(again).equals(v)) {
                throw new AssertionError("re-encoded value differs: " + Arrays.toString(data));
            }
        } catch (DecodeException e) {
            throw new AssertionError("canonical encoding does not decode: " + e.getMessage(), e);
        }
    }
}
