package io.rtpm.bench.srtp;

import io.rtpm.rtp.Wire;
import io.rtpm.srtp.SrtpMasterKey;
import io.rtpm.srtp.SrtpPolicy;
import io.rtpm.srtp.SrtpSession;
import io.rtpm.srtp.SrtpSuite;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * {@link SrtpBench}'s two shapes timed in this thread's CPU time rather than wall time, as the
 * libsrtp2 peer's bench mode times itself: on a shared host a thread waiting for a core does not
 * count, so the two stay comparable when other work runs. Not JMH: a warm-up of
 * {@code 2 * count} packets per suite and shape, then {@code count} timed.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp rtpm-bench/target/benchmarks.jar io.rtpm.bench.srtp.SrtpCpuTime 1000000</pre>
 */
public final class SrtpCpuTime {

    private static final int LENGTH = 172;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SrtpCpuTime() {
    }

    /**
     * Prints one line per suite and GCM engine.
     *
     * @param args the packets timed per shape (default 1000000)
     */
    public static void main(String[] args) {
        long count = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        for (SrtpSuite suite : SrtpSuite.values()) {
            run(suite, SrtpPolicy.GcmEngine.LIBCRYPTO, count);
            if (suite.aead()) {
                run(suite, SrtpPolicy.GcmEngine.JCE, count);
            }
        }
    }

    private static void run(SrtpSuite suite, SrtpPolicy.GcmEngine engine, long count) {
        byte[] k = new byte[suite.keyLength() + suite.saltLength()];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (i * 37);
        }
        SrtpPolicy policy = SrtpPolicy.of(suite, SrtpMasterKey.ofConcatenated(suite, k)).withGcmEngine(engine);
        try (Arena arena = Arena.ofConfined(); SrtpSession tx = SrtpSession.create(policy);
             SrtpSession tx2 = SrtpSession.create(policy); SrtpSession rx = SrtpSession.create(policy)) {
            MemorySegment slot = arena.allocate(2 + 256);
            MemorySegment template = arena.allocate(LENGTH);
            template.fill((byte) 0xAB);
            Wire.putU8(template, 0, 0x80);
            Wire.putI32(template, 8, 0x11111111);
            long sink = loop(tx, null, slot, template, 0, 2 * count) + loop(tx2, rx, slot, template, 0, 2 * count);
            long t0 = THREADS.getCurrentThreadCpuTime();
            sink += loop(tx, null, slot, template, 2 * count, count);
            long t1 = THREADS.getCurrentThreadCpuTime();
            sink += loop(tx2, rx, slot, template, 2 * count, count);
            long t2 = THREADS.getCurrentThreadCpuTime();
            double protect = (double) (t1 - t0) / count;
            double roundTrip = (double) (t2 - t1) / count;
            if (sink != 3 * count * LENGTH + 6 * count * (LENGTH + suite.rtpTagLength())) {
                throw new IllegalStateException(suite + ": a packet failed: " + rx.counters());
            }
            System.out.printf("%s%s size=%d count=%d cpu protect_ns=%.1f protect_unprotect_ns=%.1f"
                            + " protect_per_s=%.0f protect_unprotect_per_s=%.0f%n",
                    suite, suite.aead() && engine == SrtpPolicy.GcmEngine.JCE ? "/JCE" : "", LENGTH, count,
                    protect, roundTrip, 1e9 / protect, 1e9 / roundTrip);
        }
    }

    /** Writes and protects (and unprotects, with {@code rx}) packets {@code from..from+n}; returns the lengths' sum. */
    private static long loop(SrtpSession tx, SrtpSession rx, MemorySegment slot, MemorySegment template,
                             long from, long n) {
        long sum = 0;
        for (long i = from; i < from + n; i++) {
            MemorySegment.copy(template, 0, slot, 2, LENGTH);
            Wire.putU16(slot, 4, (int) i);
            int p = tx.protectRtp(slot, 2, LENGTH, 256);
            sum += rx == null ? p : p + rx.unprotectRtp(slot, 2, p);
        }
        return sum;
    }
}
