package io.rtpm.engine;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A test peer: an RTP socket and the RTCP socket on the port above it, on real UDP, sending
 * well-formed RTP (its own SSRC and sequence) and RTCP receiver reports.
 */
final class Endpoint implements AutoCloseable {

    final DatagramSocket rtp;
    final DatagramSocket rtcp;
    final int ssrc;
    private int seq = 1000;
    private int timestamp = 160_000;

    private Endpoint(DatagramSocket rtp, DatagramSocket rtcp, int ssrc) {
        this.rtp = rtp;
        this.rtcp = rtcp;
        this.ssrc = ssrc;
    }

    /** An endpoint on {@code address} with a free even/odd port pair. */
    static Endpoint open(InetAddress address, int ssrc) throws IOException {
        for (int tries = 0; tries < 50; tries++) {
            DatagramSocket a = new DatagramSocket(new InetSocketAddress(address, 0));
            if ((a.getLocalPort() & 1) != 0 || a.getLocalPort() == 65534) {
                a.close();
                continue;
            }
            try {
                DatagramSocket b = new DatagramSocket(new InetSocketAddress(address, a.getLocalPort() + 1));
                a.setSoTimeout(2000);
                b.setSoTimeout(2000);
                return new Endpoint(a, b, ssrc);
            } catch (IOException busy) {
                a.close();
            }
        }
        throw new IOException("no free port pair on " + address);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) rtp.getLocalSocketAddress();
    }

    /** An RTP packet of this endpoint: 12-byte header, {@code payload} bytes, the given type. */
    byte[] nextRtp(int payloadType, int payload) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload);
        b.put((byte) 0x80).put((byte) payloadType).putShort((short) seq++).putInt(timestamp).putInt(ssrc);
        timestamp += 160;
        for (int i = 0; i < payload; i++) {
            b.put((byte) (i + seq));
        }
        return b.array();
    }

    /** An RTCP receiver report with no blocks (RFC 3550 6.4.2). */
    byte[] rtcpReport() {
        return ByteBuffer.allocate(8).put((byte) 0x80).put((byte) 201).putShort((short) 1).putInt(ssrc).array();
    }

    void sendRtp(InetSocketAddress to, int payloadType) throws IOException {
        byte[] p = nextRtp(payloadType, 160);
        rtp.send(new DatagramPacket(p, p.length, to));
    }

    void sendRtcp(InetSocketAddress to) throws IOException {
        byte[] p = rtcpReport();
        rtcp.send(new DatagramPacket(p, p.length, to));
    }

    /** Receives one datagram; fails the test after 2 s. */
    static DatagramPacket receive(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        s.setSoTimeout(2000);
        s.receive(p);
        return p;
    }

    /** @return whether nothing arrives within {@code millis} */
    static boolean quiet(DatagramSocket s, int millis) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        s.setSoTimeout(millis);
        try {
            s.receive(p);
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        }
    }

    static byte[] bytes(DatagramPacket p) {
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    @Override
    public void close() {
        rtp.close();
        rtcp.close();
    }
}
