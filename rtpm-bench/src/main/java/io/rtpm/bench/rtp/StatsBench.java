package io.rtpm.bench.rtp;

import io.rtpm.rtp.PayloadClockRates;
import io.rtpm.rtp.RtpPacket;
import io.rtpm.rtp.stats.ReceiverStatistics;
import io.rtpm.rtp.stats.SourceStatistics;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The per-packet receiver statistics update (RFC 3550 A.1 sequence validation, A.8 jitter,
 * duplicate/reorder window) through the per-SSRC table, one packet per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StatsBench {

    /** How many SSRCs the packets are spread over. */
    @Param({"1", "64"})
    public int sources;

    private static final int N = 1024;

    private Arena arena;
    private MemorySegment packets;
    private final int[] lengths = new int[N];
    private final RtpPacket packet = new RtpPacket();
    private ReceiverStatistics stats;
    private int i;
    private long now;

    /** Builds packets and an empty table. */
    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofConfined();
        packets = Packets.rtp(arena, N, false, lengths);
        stats = new ReceiverStatistics(PayloadClockRates.rfc3551(), 128);
    }

    /** Frees the packets. */
    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /**
     * Parse the header fields and update the source's statistics; every source sees an
     * in-order stream with a 20 ms, +-1 ms arrival pattern.
     *
     * @return the source's jitter
     */
    @Benchmark
    public long parseAndUpdate() {
        final int n = i++;
        final int k = n & (N - 1);
        final RtpPacket p = packet.wrap(packets, (long) k * Packets.SLOT + 2, lengths[k]);
        final int source = n % sources;
        final int seq = n / sources;
        now += 20_000_000L / sources + (n & 1) * 1_000_000L - 500_000L;
        final SourceStatistics s = stats.onRtp(p.ssrc() + source, seq & 0xFFFF, seq * 160,
                p.payloadType(), now);
        return s.jitter();
    }
}
