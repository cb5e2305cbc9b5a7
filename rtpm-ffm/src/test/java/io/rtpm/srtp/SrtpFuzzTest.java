package io.rtpm.srtp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing (Jazzer) of SRTP and SRTCP unprotect, every suite, through
 * {@link SrtpExercise} (which also checks that protected packets round-trip and that a changed
 * byte fails).
 *
 * <p>In a plain {@code mvn test} this replays the seeds under
 * {@code src/test/resources/io/rtpm/srtp/SrtpFuzzTestInputs/unprotect}; the {@code fuzz-srtp}
 * surefire execution of rtpm-ffm/pom.xml runs it with {@code JAZZER_FUZZ=1}, bounded by
 * {@code maxDuration}, and fails on any exception.
 */
class SrtpFuzzTest {

    private static final SrtpExercise EXERCISE = new SrtpExercise();

    @FuzzTest(maxDuration = "20s")
    void unprotect(byte[] data) {
        EXERCISE.run(data);
    }

    @AfterAll
    static void close() {
        EXERCISE.close();
    }
}
