package io.rtpm.ffm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract suite against the user-space ring, in a private directory (on /dev/shm when there
 * is one) so that parallel runs never share rings.
 */
class ShmRingContractTest extends RingContractTest {

    private static Path dir;

    @BeforeAll
    static void privateRingDirectory() throws IOException {
        Path base = Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : System.getProperty("java.io.tmpdir"));
        dir = Files.createTempDirectory(base, "rtpm-contract-");
    }

    @AfterAll
    static void removeIt() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    protected RingDevice openDevice() {
        return io.rtpm.ffm.shm.ShmRingDevice.open(dir);
    }

    @Override
    protected Backend expectedBackend() {
        return Backend.SHM;
    }
}
