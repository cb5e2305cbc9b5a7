package io.rtpm.rtp;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The classic pcap file format (not pcapng), enough for the fixtures: reads Ethernet or raw IPv4
 * captures of UDP, and writes raw IPv4/UDP datagrams with chosen timestamps.
 */
public final class Pcap {

    /** LINKTYPE_ETHERNET. */
    static final int ETHERNET = 1;
    /** LINKTYPE_RAW: each record starts with the IPv4 header. */
    static final int RAW = 101;

    private static final ValueLayout.OfInt LE_INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * One UDP datagram of a capture.
     *
     * @param frame 1-based frame number, as tshark counts
     * @param timeNanos capture time
     * @param srcPort UDP source port
     * @param dstPort UDP destination port
     * @param file the whole file's bytes
     * @param offset where the UDP payload starts in {@code file}
     * @param length the UDP payload's length
     */
    public record Udp(int frame, long timeNanos, int srcPort, int dstPort, MemorySegment file,
            long offset, int length) {

        /**
         * The payload, copied into a segment of exactly its size (reads past it throw).
         *
         * @return the payload
         */
        public MemorySegment payload() {
            return MemorySegment.ofArray(file.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    private Pcap() {
    }

    /**
     * Reads the UDP/IPv4 datagrams of a classic little-endian pcap file.
     *
     * @param path the file
     * @return every UDP datagram, in capture order (frames that are not UDP/IPv4 are skipped)
     * @throws IOException if the file cannot be read
     */
    public static List<Udp> readUdp(Path path) throws IOException {
        final MemorySegment f = MemorySegment.ofArray(Files.readAllBytes(path));
        final int magic = f.get(LE_INT, 0);
        final boolean nanos = magic == 0xa1b23c4d;
        if (magic != 0xa1b2c3d4 && !nanos) {
            throw new IOException(path + " is not a little-endian classic pcap file (pcapng?):"
                    + " capture with tshark -F pcap");
        }
        final int linkType = f.get(LE_INT, 20);
        final List<Udp> out = new ArrayList<>();
        long pos = 24;
        int frame = 0;
        while (pos + 16 <= f.byteSize()) {
            frame++;
            final long sec = Integer.toUnsignedLong(f.get(LE_INT, pos));
            final long frac = Integer.toUnsignedLong(f.get(LE_INT, pos + 4));
            final int caplen = f.get(LE_INT, pos + 8);
            final long data = pos + 16;
            pos = data + caplen;
            long ip = data;
            if (linkType == ETHERNET) {
                if (Wire.u16(f, data + 12) != 0x0800) {
                    continue;
                }
                ip = data + 14;
            } else if (linkType != RAW && linkType != 228) {
                throw new IOException("link type " + linkType + " of " + path + " is not supported");
            }
            if (Wire.u8(f, ip) >>> 4 != 4 || Wire.u8(f, ip + 9) != 17) {
                continue;
            }
            final long udp = ip + 4L * (Wire.u8(f, ip) & 0x0F);
            final int udpLen = Wire.u16(f, udp + 4);
            out.add(new Udp(frame, sec * 1_000_000_000L + frac * (nanos ? 1 : 1000),
                    Wire.u16(f, udp), Wire.u16(f, udp + 2), f, udp + 8, udpLen - 8));
        }
        return out;
    }

    /** Writes a raw-IPv4 pcap of UDP datagrams from 127.0.0.1 to 127.0.0.1. */
    public static final class Writer {
        private final MemorySegment buf;
        private long pos;

        /**
         * Starts a file in memory.
         *
         * @param capacity bytes to reserve
         */
        public Writer(int capacity) {
            buf = MemorySegment.ofArray(new byte[capacity]);
            buf.set(LE_INT, 0, 0xa1b23c4d); // nanosecond timestamps
            Wire.putU16(buf, 4, 0x0200); // version 2.4, little-endian
            Wire.putU16(buf, 6, 0x0400);
            buf.set(LE_INT, 16, 65535);
            buf.set(LE_INT, 20, RAW);
            pos = 24;
        }

        /**
         * Appends one datagram.
         *
         * @param timeNanos its capture time
         * @param srcPort UDP source port
         * @param dstPort UDP destination port
         * @param payload the UDP payload
         * @param offset where it starts
         * @param length its length
         */
        public void add(long timeNanos, int srcPort, int dstPort, MemorySegment payload,
                long offset, int length) {
            final int total = 20 + 8 + length;
            buf.set(LE_INT, pos, (int) (timeNanos / 1_000_000_000L));
            buf.set(LE_INT, pos + 4, (int) (timeNanos % 1_000_000_000L));
            buf.set(LE_INT, pos + 8, total);
            buf.set(LE_INT, pos + 12, total);
            final long ip = pos + 16;
            Wire.putU8(buf, ip, 0x45);
            Wire.putU8(buf, ip + 1, 0);
            Wire.putU16(buf, ip + 2, total);
            Wire.putU16(buf, ip + 4, 0); // identification
            Wire.putU16(buf, ip + 6, 0x4000); // don't fragment
            Wire.putU8(buf, ip + 8, 64);
            Wire.putU8(buf, ip + 9, 17);
            Wire.putU16(buf, ip + 10, 0);
            Wire.putI32(buf, ip + 12, 0x7F000001);
            Wire.putI32(buf, ip + 16, 0x7F000001);
            int sum = 0;
            for (int i = 0; i < 20; i += 2) {
                sum += Wire.u16(buf, ip + i);
            }
            sum = (sum & 0xFFFF) + (sum >>> 16);
            sum = (sum & 0xFFFF) + (sum >>> 16);
            Wire.putU16(buf, ip + 10, ~sum);
            final long udp = ip + 20;
            Wire.putU16(buf, udp, srcPort);
            Wire.putU16(buf, udp + 2, dstPort);
            Wire.putU16(buf, udp + 4, 8 + length);
            Wire.putU16(buf, udp + 6, 0); // no checksum: allowed over IPv4
            MemorySegment.copy(payload, offset, buf, udp + 8, length);
            pos = udp + 8 + length;
        }

        /**
         * Writes the file.
         *
         * @param path where
         * @throws IOException if it cannot be written
         */
        public void write(Path path) throws IOException {
            Files.write(path, buf.asSlice(0, pos).toArray(ValueLayout.JAVA_BYTE));
        }
    }
}
