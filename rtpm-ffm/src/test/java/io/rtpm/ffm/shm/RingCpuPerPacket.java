package io.rtpm.ffm.shm;

import io.rtpm.ffm.RingConfig;
import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.Role;
import io.rtpm.ffm.Slot;
import io.rtpm.ffm.SlotBatch;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteOrder;

/**
 * Not a test: a measuring tool for docs/perf/relay.md ("Session 5: per-packet user time"). One
 * thread runs what a relay does to the user-space ring per batch (claim, write a 172-byte RTP
 * packet's header, push, pop, release) and prints the thread's CPU time per packet for each
 * round: CPU time, not wall time, so that other work on the host moves it less.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp rtpm-ffm/target/classes:rtpm-ffm/target/test-classes \
 *     io.rtpm.ffm.shm.RingCpuPerPacket [batch=32] [packets per round=2000000] [rounds=5]
 * </pre>
 */
public final class RingCpuPerPacket {

    private static final ValueLayout.OfShort BE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE_INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private RingCpuPerPacket() {
    }

    /**
     * @param args batch size, packets per round, rounds
     */
    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        long packets = args.length > 1 ? Long.parseLong(args[1]) : 2_000_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        try (ShmDir dir = new ShmDir(); ShmRingDevice dev = ShmRingDevice.open(dir.path)) {
            dev.configure(RingConfig.of(0, 10, 1500));
            dev.start(0);
            try (RingSession s = dev.attach(0, Role.PRODUCER, Role.CONSUMER)) {
                SlotBatch claimed = s.newBatch(batch);
                SlotBatch popped = s.newBatch(batch);
                int seq = 0;
                for (int r = 0; r < rounds; r++) {
                    long cpu = bean.getCurrentThreadCpuTime();
                    for (long n = 0; n < packets; n += batch) {
                        int k = s.claim(claimed, batch, 0);
                        for (int i = 0; i < k; i++) {
                            Slot slot = claimed.get(i);
                            MemorySegment p = slot.payload();
                            p.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x80);
                            p.set(ValueLayout.JAVA_BYTE, 1, (byte) 0);
                            p.set(BE_SHORT, 2, (short) seq++);
                            p.set(BE_INT, 4, seq * 160);
                            p.set(BE_INT, 8, 0x52544d42);
                            slot.length(172);
                        }
                        s.push(claimed);
                        s.pop(popped, batch);
                        s.release(popped);
                    }
                    cpu = bean.getCurrentThreadCpuTime() - cpu;
                    System.out.printf("round %d: %.1f ns CPU per packet%n", r, cpu / (double) packets);
                }
                System.out.println(dev.stats(0));
            }
        }
    }
}
