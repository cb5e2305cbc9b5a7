package io.rtpm.rtp;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of every RTP and RTCP parser through {@link ParserExercise}.
 *
 * <p>In a plain {@code mvn test} this replays the seeds under
 * {@code src/test/resources/io/rtpm/rtp/ParserFuzzTestInputs/parsers}; the {@code fuzz} surefire
 * execution of rtpm-ffm/pom.xml runs it with {@code JAZZER_FUZZ=1}, bounded by
 * {@code maxDuration}, and fails on any exception (a read past the packet is an
 * {@link IndexOutOfBoundsException}). Jazzer fuzzes one {@code @FuzzTest} per JVM, hence one
 * target for all parsers.
 */
class ParserFuzzTest {

    private final ParserExercise exercise = new ParserExercise();

    @FuzzTest(maxDuration = "30s")
    void parsers(byte[] data) {
        exercise.run(data);
    }
}
