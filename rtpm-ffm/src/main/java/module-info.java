/**
 * rtpm-ffm: drive the rtp_mgr kernel ring (or its user-space twin) from Java through FFM, with a
 * pure-Java RTP/RTCP stack and an embeddable relay engine.
 *
 * <p>Needs native access: {@code --enable-native-access=io.rtpm.ffm} (see README.md).
 */
module io.rtpm.ffm {
    exports io.rtpm.ffm;
    exports io.rtpm.rtp;
    exports io.rtpm.rtp.rtcp;
    exports io.rtpm.rtp.stats;
    exports io.rtpm.relay;
    exports io.rtpm.engine;
    exports io.rtpm.srtp;

    // the relay's warm-up waits until the JIT has gone quiet (CompilationMXBean)
    requires java.management;
}
