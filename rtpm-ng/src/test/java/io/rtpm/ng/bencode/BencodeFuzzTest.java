package io.rtpm.ng.bencode;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing (Jazzer) of {@link BencodeDecoder}: any input either decodes or throws
 * {@link DecodeException}; anything else (a runtime exception, a stack overflow) is a bug. What
 * decodes must encode canonically and decode again to an equal value.
 *
 * <p>In a plain {@code mvn test} this replays the seeds under
 * {@code src/test/resources/io/rtpm/ng/bencode/BencodeFuzzTestInputs/decode}; the
 * {@code fuzz-bencode} surefire execution of rtpm-ng/pom.xml fuzzes it with {@code JAZZER_FUZZ=1}
 * for {@code maxDuration}.
 */
class BencodeFuzzTest {

    private final BencodeDecoder decoder = new BencodeDecoder(new DecodeLimits(65_536, 16, 4_096));

    @FuzzTest(maxDuration = "3s")
    void decode(byte[] data) {
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
