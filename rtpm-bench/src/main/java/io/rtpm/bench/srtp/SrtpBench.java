package io.rtpm.bench.srtp;

import io.rtpm.rtp.Wire;
import io.rtpm.srtp.SrtpMasterKey;
import io.rtpm.srtp.SrtpPolicy;
import io.rtpm.srtp.SrtpSession;
import io.rtpm.srtp.SrtpSuite;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * SRTP per suite on a 172-byte RTP packet (12-byte header, 160 bytes of PCMU: 20 ms), one
 * packet per operation in native memory at an unaligned offset, as in a ring slot. Each
 * operation first writes the plain packet (its sequence number counting up, so no index
 * repeats), as the C bench of libsrtp2 does (rtpm-ffm/src/test/c/srtp-peer, bench mode).
 *
 * <p>{@code protect} protects it; {@code protectUnprotect} protects it and unprotects it again
 * through a receiving session (unprotect alone needs a fresh protected packet each time, so it
 * is measured as the difference). The {@code /JCE} variants run the GCM suites on the JDK's
 * AES/GCM instead of libcrypto.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SrtpBench {

    private static final int LENGTH = 172;

    /** The suite, and {@code /JCE} for the JDK's GCM. */
    @Param({"AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32", "AES_256_CM_HMAC_SHA1_80",
        "AEAD_AES_128_GCM", "AEAD_AES_256_GCM", "AEAD_AES_128_GCM/JCE", "AEAD_AES_256_GCM/JCE"})
    public String variant;

    private Arena arena;
    private MemorySegment slot;
    private MemorySegment template;
    private SrtpSession tx;
    private SrtpSession rx;
    private int seq;

    /** Makes the sessions and the packet. */
    @Setup(Level.Trial)
    public void setUp() {
        String[] v = variant.split("/");
        SrtpSuite suite = SrtpSuite.valueOf(v[0]);
        byte[] k = new byte[suite.keyLength() + suite.saltLength()];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (i * 37);
        }
        SrtpPolicy policy = SrtpPolicy.of(suite, SrtpMasterKey.ofConcatenated(suite, k));
        if (v.length > 1) {
            policy = policy.withGcmEngine(SrtpPolicy.GcmEngine.JCE);
        }
        tx = SrtpSession.create(policy);
        rx = SrtpSession.create(policy);
        arena = Arena.ofConfined();
        slot = arena.allocate(2 + 256);
        template = arena.allocate(LENGTH);
        template.fill((byte) 0xAB);
        Wire.putU8(template, 0, 0x80);
        Wire.putI32(template, 8, 0x11111111);
    }

    /** Frees the sessions and memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        tx.close();
        rx.close();
        arena.close();
    }

    private void writePlain() {
        MemorySegment.copy(template, 0, slot, 2, LENGTH);
        Wire.putU16(slot, 4, seq++);
    }

    /** @return the SRTP packet's length */
    @Benchmark
    public int protect() {
        writePlain();
        return tx.protectRtp(slot, 2, LENGTH, 256);
    }

    /** @return the RTP packet's length after the round trip */
    @Benchmark
    public int protectUnprotect() {
        writePlain();
        return rx.unprotectRtp(slot, 2, tx.protectRtp(slot, 2, LENGTH, 256));
    }
}
