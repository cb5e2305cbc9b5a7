package io.rtpm.bench.rtp;

import io.rtpm.rtp.ExtensionElements;
import io.rtpm.rtp.PacketKind;
import io.rtpm.rtp.RtpCheck;
import io.rtpm.rtp.RtpPacket;
import io.rtpm.rtp.rtcp.RtcpCheck;
import io.rtpm.rtp.rtcp.RtcpCompound;
import io.rtpm.rtp.rtcp.RtcpPacket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Parse plus validate, one packet per operation (so ops/s is packets/s on one core), over 1024
 * distinct packets in native memory at unaligned offsets, as they sit in ring slots.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RtpParseBench {

    private static final int N = 1024;

    private Arena arena;
    private MemorySegment plain;
    private MemorySegment extended;
    private MemorySegment rtcp;
    private final int[] plainLen = new int[N];
    private final int[] extLen = new int[N];
    private final int[] rtcpLen = new int[N];
    private final RtpPacket packet = new RtpPacket();
    private final ExtensionElements elements = new ExtensionElements();
    private final RtcpCompound compound = new RtcpCompound();
    private int i;

    /** Builds the packets. */
    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofConfined();
        plain = Packets.rtp(arena, N, false, plainLen);
        extended = Packets.rtp(arena, N, true, extLen);
        rtcp = Packets.rtcp(arena, N, rtcpLen);
    }

    /** Frees the packets. */
    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /**
     * Demultiplex (RFC 5761), validate, read the fixed header: what a relay does per packet.
     *
     * @return a value of the fields read
     */
    @Benchmark
    public long rtpValidateAndReadHeader() {
        final int k = i++ & (N - 1);
        final long at = (long) k * Packets.SLOT + 2;
        if (PacketKind.classify(plain, at, plainLen[k]) != PacketKind.RTP) {
            return -1;
        }
        final RtpPacket p = packet.wrap(plain, at, plainLen[k]);
        if (p.validate() != RtpCheck.OK) {
            return -2;
        }
        return p.sequenceNumber() + p.timestamp() + p.ssrc() + p.payloadType() + p.payloadLength();
    }

    /**
     * Validate and find one RFC 8285 one-byte element (audio level).
     *
     * @return the element's first byte
     */
    @Benchmark
    public long rtpValidateAndFindExtension() {
        final int k = i++ & (N - 1);
        final RtpPacket p = packet.wrap(extended, (long) k * Packets.SLOT + 2, extLen[k]);
        if (p.validate() != RtpCheck.OK || !elements.find(p, 1)) {
            return -1;
        }
        return elements.dataByte(0) + p.sequenceNumber();
    }

    /**
     * Validate a compound RTCP packet (A.2) and read every report block.
     *
     * @return a value of the fields read
     */
    @Benchmark
    public long rtcpValidateAndIterate() {
        final int k = i++ & (N - 1);
        final long at = (long) k * Packets.SLOT + 2;
        if (RtcpCompound.validate(rtcp, at, rtcpLen[k], true) != RtcpCheck.OK) {
            return -1;
        }
        long sum = 0;
        for (compound.wrap(rtcp, at, rtcpLen[k]); compound.next(); ) {
            final RtcpPacket p = compound.packet();
            if (p.packetType() == RtcpPacket.SR) {
                sum += p.ntpTimestamp();
                for (int b = 0; b < p.count(); b++) {
                    sum += p.extendedHighestSequence(b) + p.cumulativeLost(b) + p.jitter(b);
                }
            }
        }
        return sum;
    }
}
