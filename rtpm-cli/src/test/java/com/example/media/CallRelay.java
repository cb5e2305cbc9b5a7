package com.example.media;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;

import io.rtpm.engine.Call;
import io.rtpm.engine.CallSpec;
import io.rtpm.engine.EngineConfig;
import io.rtpm.engine.LegSpec;
import io.rtpm.engine.LegStats;
import io.rtpm.engine.MediaEngine;
import io.rtpm.engine.PayloadTypes;
import io.rtpm.ffm.Backend;
import io.rtpm.ffm.RingDevice;

/** Relays one two-way call between A and B, PCMU only: A's comfort noise (RFC 3389) is dropped. */
public final class CallRelay {

    private static final int PCMU = 0;

    public static LegStats relay(InetSocketAddress a, InetSocketAddress b, Duration time,
            Consumer<Call> started) throws InterruptedException {
        EngineConfig config = EngineConfig.builder(InetAddress.getLoopbackAddress())
                .workers(1).ports(30000, 30999)                 // RTP on even ports, RTCP + 1
                .rings(12, 10, 1500).build();                   // worker i on ring 12 + i
        try (RingDevice dev = RingDevice.open(Backend.AUTO);   // the module, else /dev/shm
             MediaEngine engine = MediaEngine.start(dev, config)) {
            engine.warmUp(Duration.ofSeconds(2));              // the JIT, before the first call
            Call call = engine.addCall(CallSpec.builder("call-1")
                    .leg(LegSpec.builder().remote(a).payloadTypes(PayloadTypes.of(PCMU)).build())
                    .leg(LegSpec.builder().remote(b).build()).build());
            started.accept(call);                               // its ports go into the SDPs
            Thread.sleep(time);
            return call.stats(0);                               // what came from A
        }
    }

    public static void main(String[] args) throws InterruptedException {
        LegStats s = relay(new InetSocketAddress("127.0.0.1", 5004),
                new InetSocketAddress("127.0.0.1", 5006), Duration.ofMinutes(1),
                call -> System.out.println("A sends to " + call.localRtp(0)
                        + ", B sends to " + call.localRtp(1)));
        System.out.println(s.rxPackets() + " packets from A, " + s.drops() + " dropped");
    }
}
