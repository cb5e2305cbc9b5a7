package io.rtpm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.rtpm.ffm.RingDevice;
import io.rtpm.ffm.shm.ShmRingDevice;

/**
 * Every test of {@link MediaEngineTest} again on the io_uring design, and what only it has: a
 * provided-buffer ring that runs dry ends the multishot receives (ENOBUFS), and they are re-armed.
 */
class MediaEngineUringTest extends MediaEngineTest {

    @Override
    IoDesign design() {
        return IoDesign.IO_URING;
    }

    @Test
    void aDryBufferRingIsReArmedAndLosesNothing() throws Exception {
        Path dir = Files.createTempDirectory("rtpm-engine-dry-");
        // a ring of 4 slots: a burst of 200 datagrams runs the buffer ring dry many times over
        try (RingDevice dev = ShmRingDevice.open(dir);
                MediaEngine engine = MediaEngine.start(dev, EngineConfig.builder(LO).workers(1)
                        .ports(46400, 46499).ioDesign(IoDesign.IO_URING).rings(0, 2, 1500)
                        .socketBuffers(1 << 20, 0).build());
                Endpoint a = Endpoint.open(LO, 1); Endpoint b = Endpoint.open(LO, 2)) {
            b.rtp.setReceiveBufferSize(1 << 20);
            Call call = engine.addCall(CallSpec.builder("dry")
                    .leg(LegSpec.builder().remote(a.address()).learning(EndpointLearning.OFF).build())
                    .leg(LegSpec.builder().remote(b.address()).learning(EndpointLearning.OFF).build()).build());
            for (int i = 0; i < 200; i++) {
                a.sendRtp(call.localRtp(0), PCMU);
            }
            for (int i = 0; i < 200; i++) {
                DatagramPacket p = Endpoint.receive(b.rtp);
                assertEquals(172, p.getLength());
            }
            LegStats s = call.stats(0);
            assertEquals(200, s.rxPackets());
            assertEquals(0, s.drops(), s.toString());
            assertTrue(s.receiveRearms() > 0, "the burst should have run 4 buffers dry: " + s);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
