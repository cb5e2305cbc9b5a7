package io.rtpm.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One worker's counter blocks ({@link LegCounters}), in a file that other processes can map
 * read-only (on a tmpfs such as /dev/shm) or in memory only. The file starts with a 64-byte
 * header: the magic {@code RTPMCNT1}, the block size, the block count, the writer's pid; block
 * {@code i} is at {@code 64 + i * BLOCK} rounded up to 512.
 */
final class CounterFile implements AutoCloseable {

    static final long MAGIC = 0x31544e434d505452L; // "RTPMCNT1", little-endian
    static final long HEADER = 512;

    private final Arena arena;
    private final MemorySegment segment;
    private final Path path;
    private final int capacity;
    private final int[] free;
    private int freeCount;

    private CounterFile(Arena arena, MemorySegment segment, Path path, int capacity) {
        this.arena = arena;
        this.segment = segment;
        this.path = path;
        this.capacity = capacity;
        this.free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
    }

    /**
     * @param dir the folder, or null for memory only
     * @param name the file's name in it
     * @param capacity blocks
     */
    static CounterFile create(Path dir, String name, int capacity) {
        long size = HEADER + (long) capacity * LegCounters.BLOCK;
        Arena arena = Arena.ofShared();
        try {
            MemorySegment s;
            Path path = null;
            if (dir == null) {
                s = arena.allocate(size, 4096);
            } else {
                Files.createDirectories(dir);
                path = dir.resolve(name);
                try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ,
                        StandardOpenOption.WRITE)) {
                    ch.truncate(0);
                    s = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
                }
            }
            s.set(ValueLayout.JAVA_LONG, 8, LegCounters.BLOCK);
            s.set(ValueLayout.JAVA_LONG, 16, capacity);
            s.set(ValueLayout.JAVA_LONG, 24, ProcessHandle.current().pid());
            s.set(ValueLayout.JAVA_LONG, 0, MAGIC);
            return new CounterFile(arena, s, path, capacity);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("create the engine's counter file " + name + " in " + dir
                    + ": give a writable folder on a tmpfs (e.g. /dev/shm/rtpm)", e);
        }
    }

    MemorySegment segment() {
        return segment;
    }

    /** @return a free block's offset, or -1 when all {@link #capacity} are live (owning worker only) */
    long allocate() {
        if (freeCount == 0) {
            return -1;
        }
        return HEADER + (long) free[--freeCount] * LegCounters.BLOCK;
    }

    /** Returns a block (owning worker only). */
    void free(long block) {
        LegCounters.close(segment, block);
        free[freeCount++] = (int) ((block - HEADER) / LegCounters.BLOCK);
    }

    int capacity() {
        return capacity;
    }

    /** Unmaps (after the worker has stopped) and deletes the file. */
    @Override
    public void close() {
        arena.close();
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // the counters are gone from memory either way; a stale file is harmless
            }
        }
    }
}
