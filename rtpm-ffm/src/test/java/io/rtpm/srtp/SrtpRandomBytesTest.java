package io.rtpm.srtp;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link SrtpExercise} over 20000 seeded random inputs, in every build (the fuzz run is one stage). */
class SrtpRandomBytesTest {

    @Test
    void randomBytesNeitherThrowNorBreakTheRoundTrip() {
        Random r = new Random(20);
        try (SrtpExercise exercise = new SrtpExercise()) {
            for (int i = 0; i < 20_000; i++) {
                byte[] data = new byte[r.nextInt(300)];
                r.nextBytes(data);
                if (data.length > 1 && r.nextBoolean()) { // half of them a plausible RTP or RTCP packet
                    data[1] = (byte) (0x80 | data[1] & 0x3F);
                }
                exercise.run(data);
            }
        }
    }
}
