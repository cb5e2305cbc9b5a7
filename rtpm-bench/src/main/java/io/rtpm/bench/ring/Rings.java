package io.rtpm.bench.ring;

import io.rtpm.ffm.Backend;
import io.rtpm.ffm.RingConfig;
import io.rtpm.ffm.RingDevice;
import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.Role;
import io.rtpm.ffm.shm.ShmRingDevice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jctools.queues.SpscArrayQueue;

/**
 * The three rings under test, built alike: 1024 packets of {@link Payload#SIZE} bytes.
 *
 * <ul>
 * <li>rtpm: the user-space ring ({@link Backend#SHM}) in a private directory under /dev/shm,
 *     order 10, max payload 172, through the public {@link RingSession} API.</li>
 * <li>Agrona {@link OneToOneRingBuffer}: 256 KiB of records (a 172-byte message takes 184 bytes
 *     with its header, so about 1400 fit).</li>
 * <li>JCTools {@link SpscArrayQueue}: 1024 native 172-byte slots handed round through two
 *     queues, READY and FREE, which is what claim/push/pop/release do.</li>
 * </ul>
 */
final class Rings {

    /** Slots (and the JCTools queues' capacity): 2^ORDER. */
    static final int ORDER = 10;
    /** Packets per batch call in the batch benchmarks. */
    static final int BATCH = 32;

    private Rings() {
    }

    /** A user-space rtpm ring in its own directory, with a producer and a consumer session. */
    static final class Rtpm implements AutoCloseable {
        final Path dir;
        final RingDevice device;
        final RingSession producer;
        final RingSession consumer;

        /**
         * @param order log2 of the slot count
         */
        Rtpm(int order) {
            try {
                dir = Files.createTempDirectory(Path.of("/dev/shm"), "rtpm-bench-");
            } catch (IOException e) {
                throw new UncheckedIOException("make a ring directory under /dev/shm (is it mounted?)", e);
            }
            device = ShmRingDevice.open(dir);
            device.configure(RingConfig.of(0, order, Payload.SIZE));
            device.start(0);
            producer = device.attach(0, Role.PRODUCER);
            consumer = device.attach(0, Role.CONSUMER);
            producer.map();
            consumer.map();
        }

        @Override
        public void close() {
            producer.close();
            consumer.close();
            device.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException("remove " + dir, e);
            }
        }
    }

    /** Agrona: one ring buffer in native memory, with a segment view for {@link Payload}. */
    static final class Agrona {
        final OneToOneRingBuffer ring;
        /** The same memory as the ring buffer: a record's index is its offset here. */
        final MemorySegment mem;

        /**
         * @param arena where the buffer lives
         */
        Agrona(Arena arena) {
            int capacity = 256 * 1024;
            mem = arena.allocate(capacity + RingBufferDescriptor.TRAILER_LENGTH, 128);
            ring = new OneToOneRingBuffer(new UnsafeBuffer(mem.address(), (int) mem.byteSize()));
        }
    }

    /** JCTools: native slots cycled through a READY and a FREE single-producer queue. */
    static final class Jctools {
        final SpscArrayQueue<MemorySegment> ready = new SpscArrayQueue<>(1 << ORDER);
        final SpscArrayQueue<MemorySegment> free = new SpscArrayQueue<>(1 << ORDER);

        /**
         * @param arena where the slots live
         */
        Jctools(Arena arena) {
            MemorySegment mem = arena.allocate((long) Payload.SIZE << ORDER, 64);
            for (int i = 0; i < 1 << ORDER; i++) {
                free.offer(mem.asSlice((long) i * Payload.SIZE, Payload.SIZE));
            }
        }
    }
}
