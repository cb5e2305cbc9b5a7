package io.rtpm.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import io.rtpm.ffm.RingConfig;
import io.rtpm.ffm.RingDevice;
import io.rtpm.ffm.shm.ShmRingDevice;

/**
 * Relays packets through a private relay (a throwaway user-space ring and a loopback socket
 * pair) so that the JIT has compiled the relay's paths, and every FFM downcall has been linked,
 * before the real relay binds its ports. Measured (docs/perf/relay.md): without it, the first
 * second of a cold `rtpm stream` had a p99 of hundreds of milliseconds; the first packets wait
 * for class loading, downcall linking and the interpreter, while C2 competes for the cores.
 *
 * <p>Mostly single packets, as at voice rates (the per-packet paths get compiled), with some
 * bursts so that full batches run too; one RTCP packet in 64.
 */
final class WarmUp {

    private static final int[] BURSTS = {1, 1, 2, 1, 4, 1, 8, 32};
    private static final int SIZE = 172;

    private WarmUp() {
    }

    static int run(int packets, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        InetAddress lo = InetAddress.getLoopbackAddress();
        Path dir = null;
        try {
            Path shm = Path.of("/dev/shm");
            dir = Files.createTempDirectory(Files.isDirectory(shm) && Files.isWritable(shm) ? shm
                    : Path.of(System.getProperty("java.io.tmpdir")), "rtpm-warmup-");
            try (RingDevice dev = ShmRingDevice.open(dir);
                    DatagramSocket sink = new DatagramSocket(new InetSocketAddress(lo, 0));
                    DatagramSocket src = new DatagramSocket(new InetSocketAddress(lo, 0))) {
                dev.configure(RingConfig.of(0, 8, 256));
                dev.start(0);
                sink.setSoTimeout(100);
                RelayConfig cfg = RelayConfig.builder(0, (InetSocketAddress) sink.getLocalSocketAddress())
                        .bindAddress(lo).rtcp(RtcpMode.MUX).dscp(0).build();
                try (Relay relay = Relay.start(dev, cfg)) {
                    return pump(relay, src, sink, new InetSocketAddress(lo, relay.rtpPort()), packets,
                            deadline);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("warm up the relay on loopback: " + e.getMessage()
                    + " (start without the warm-up: rtpm stream --warm-up 0)", e);
        } finally {
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    private static int pump(Relay relay, DatagramSocket src, DatagramSocket sink,
            InetSocketAddress to, int packets, long deadline) throws IOException {
        byte[] rtp = new byte[SIZE];
        rtp[0] = (byte) 0x80; // V=2, PT 0
        rtp[8] = 'W';
        byte[] rtcp = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 'W'}; // an empty receiver report
        DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
        int relayed = 0;
        int seq = 0;
        for (int round = 0; relayed < packets && System.nanoTime() < deadline && relay.isRunning(); round++) {
            int burst = BURSTS[round % BURSTS.length];
            for (int i = 0; i < burst; i++, seq++) {
                if ((seq & 63) == 63) {
                    src.send(new DatagramPacket(rtcp, rtcp.length, to));
                    continue;
                }
                rtp[2] = (byte) (seq >> 8);
                rtp[3] = (byte) seq;
                int ts = seq * 160;
                rtp[4] = (byte) (ts >> 24);
                rtp[5] = (byte) (ts >> 16);
                rtp[6] = (byte) (ts >> 8);
                rtp[7] = (byte) ts;
                src.send(new DatagramPacket(rtp, rtp.length, to));
            }
            for (int i = 0; i < burst; i++) {
                try {
                    sink.receive(in);
                    relayed++;
                } catch (SocketTimeoutException e) {
                    break; // lost on a busy host: send on
                }
            }
        }
        return relayed;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a leftover file in a temp directory harms nothing
                }
            });
        } catch (IOException e) {
            // as above
        }
    }
}
