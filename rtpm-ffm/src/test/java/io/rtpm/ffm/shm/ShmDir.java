package io.rtpm.ffm.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A private ring directory on /dev/shm for one test class, so parallel runs never share rings. */
final class ShmDir implements AutoCloseable {

    final Path path;

    ShmDir() {
        try {
            // tmpfs unless it is too small for the largest ring a test makes (containers often
            // give /dev/shm 64 MiB); any local file system shares a mapping the same way
            Path shm = Path.of("/dev/shm");
            Path base = Files.isDirectory(shm) && Files.getFileStore(shm).getUsableSpace() > (256L << 20)
                    ? shm : Path.of(System.getProperty("java.io.tmpdir"));
            path = Files.createTempDirectory(base, "rtpm-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
