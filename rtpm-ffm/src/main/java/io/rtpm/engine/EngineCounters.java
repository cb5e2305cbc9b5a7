package io.rtpm.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A read-only view of one engine worker's counter file, for another process ({@code rtpm stats},
 * a metrics exporter): it maps the file and reads the live legs' words with acquire loads,
 * without a lock and without disturbing the worker. A leg replaced while it is read is read again
 * (its generation changed). The engine writes the files when
 * {@link EngineConfig#countersDirectory()} is set: {@code worker-N.counters}.
 */
public final class EngineCounters implements AutoCloseable {

    private final Arena arena;
    private final MemorySegment segment;
    private final int capacity;
    private final long pid;

    private EngineCounters(Arena arena, MemorySegment segment) {
        this.arena = arena;
        this.segment = segment;
        this.capacity = (int) segment.get(ValueLayout.JAVA_LONG, 16);
        this.pid = segment.get(ValueLayout.JAVA_LONG, 24);
    }

    /**
     * Maps a counter file read-only.
     *
     * @param file a {@code worker-N.counters} file
     * @return the view
     * @throws UncheckedIOException when it cannot be read
     * @throws IllegalArgumentException when it is not an rtpm counter file of this layout
     */
    public static EngineCounters open(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < CounterFile.HEADER) {
                throw new IllegalArgumentException(file + " is " + size + " bytes: not an rtpm counter file");
            }
            MemorySegment s = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            if (s.get(ValueLayout.JAVA_LONG, 0) != CounterFile.MAGIC
                    || s.get(ValueLayout.JAVA_LONG, 8) != LegCounters.BLOCK
                    || CounterFile.HEADER + s.get(ValueLayout.JAVA_LONG, 16) * LegCounters.BLOCK > size) {
                throw new IllegalArgumentException(file + " is not an rtpm counter file of this version"
                        + " (magic RTPMCNT1, " + LegCounters.BLOCK + "-byte blocks): is the engine of another rtpm?");
            }
            EngineCounters c = new EngineCounters(arena, s);
            arena = null;
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException("read the engine's counter file " + file, e);
        } finally {
            if (arena != null) {
                arena.close();
            }
        }
    }

    /** One live leg's counters, with its label ({@code callId/leg}). */
    public record Leg(String label, LegStats stats) {
    }

    /** @return the pid of the engine that writes the file */
    public long pid() {
        return pid;
    }

    /** @return every live leg now (allocates the snapshot) */
    public List<Leg> legs() {
        List<Leg> out = new ArrayList<>();
        for (int i = 0; i < capacity; i++) {
            long b = CounterFile.HEADER + (long) i * LegCounters.BLOCK;
            if (LegCounters.get(segment, b, LegCounters.STATE) != 1) {
                continue;
            }
            long g;
            String label;
            LegStats st;
            do {
                g = LegCounters.get(segment, b, LegCounters.GENERATION);
                int n = Math.min(LegCounters.LABEL_MAX, Math.max(0,
                        segment.get(ValueLayout.JAVA_INT, b + LegCounters.LABEL_LENGTH)));
                byte[] bytes = new byte[n];
                MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, b + LegCounters.LABEL, bytes, 0, n);
                label = new String(bytes, StandardCharsets.UTF_8);
                st = LegStats.read(segment, b);
            } while (LegCounters.get(segment, b, LegCounters.GENERATION) != g);
            if (LegCounters.get(segment, b, LegCounters.STATE) == 1) {
                out.add(new Leg(label, st));
            }
        }
        return out;
    }

    @Override
    public void close() {
        arena.close();
    }
}
