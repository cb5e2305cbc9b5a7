package com.example.media;

import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.time.Duration;

import io.rtpm.ffm.Backend;
import io.rtpm.ffm.RingConfig;
import io.rtpm.ffm.RingDevice;
import io.rtpm.relay.PacketHook;
import io.rtpm.relay.Relay;
import io.rtpm.relay.RelayConfig;
import io.rtpm.relay.RelayStats;

/** Relays one call's RTP and RTCP through ring 0, without its comfort noise (RFC 3389). */
public final class CallRelay {

    private static final int COMFORT_NOISE = 13;

    public static RelayStats relay(int rxPort, InetSocketAddress to, Duration time)
            throws InterruptedException {
        try (RingDevice dev = RingDevice.open(Backend.AUTO)) { // the module, else /dev/shm
            if (!dev.stats(0).configured()) {
                dev.configure(RingConfig.of(0, 10, 1500));     // 1024 slots of 1500 bytes
            }
            dev.start(0);
            RelayConfig cfg = RelayConfig.builder(rxPort, to)  // RTCP: both ports + 1
                    .hook((packet, length, rtcp) -> !rtcp      // sending side, zero-copy view
                            && (packet.get(ValueLayout.JAVA_BYTE, 1) & 0x7F) == COMFORT_NOISE
                            ? PacketHook.DROP : length)
                    .build();
            try (Relay relay = Relay.start(dev, cfg)) {
                Thread.sleep(time);
                return relay.stop(Duration.ofSeconds(2));     // drains the ring
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        RelayStats s = relay(5004, new InetSocketAddress("127.0.0.1", 5006),
                Duration.ofMinutes(1));
        System.out.println(s.txRtp() + " RTP packets relayed, " + s.rtpLost() + " lost, "
                + s.hookDropped() + " comfort noise packets dropped");
    }
}
