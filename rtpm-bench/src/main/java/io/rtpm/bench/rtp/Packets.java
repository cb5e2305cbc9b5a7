package io.rtpm.bench.rtp;

import io.rtpm.rtp.RtpGenerator;
import io.rtpm.rtp.RtpStreamConfig;
import io.rtpm.rtp.RtpWriter;
import io.rtpm.rtp.rtcp.RtcpWriter;
import io.rtpm.rtp.rtcp.SdesItems;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Packet sets for the benchmarks: many distinct packets in native memory, like ring slots. */
final class Packets {

    /** Slot stride: packets start at unaligned offsets inside 2 KiB slots, as in a ring. */
    static final int SLOT = 2048;

    private Packets() {
    }

    /**
     * {@code count} PCMU packets (172 bytes) at slot offsets {@code i * SLOT + 2}.
     *
     * @param arena where to allocate
     * @param count how many
     * @param withExtension true to add an RFC 8285 one-byte extension (audio level, 2 elements)
     * @param lengths receives each packet's length
     * @return the memory
     */
    static MemorySegment rtp(Arena arena, int count, boolean withExtension, int[] lengths) {
        final MemorySegment seg = arena.allocate((long) SLOT * count, 64);
        final RtpGenerator gen = new RtpGenerator(RtpStreamConfig.pcmu20ms(0x5EED, 65000, 0));
        final RtpWriter w = new RtpWriter();
        final MemorySegment payload = arena.allocate(160);
        for (int i = 0; i < count; i++) {
            final long at = (long) i * SLOT + 2;
            if (withExtension) {
                w.wrap(seg, at, SLOT - 2)
                        .header(false, 0, gen.nextSequenceNumber(), gen.nextTimestamp(), 0x5EED)
                        .beginExtension(false)
                        .addElement(1, new byte[] {(byte) 0x80 | 30})
                        .addElement(3, new byte[] {1, 2, 3})
                        .endExtension()
                        .payload(payload, 0, 160);
                lengths[i] = w.finish();
                gen.next(arena.allocate(SLOT), 0, SLOT); // advance sequence and timestamp
            } else {
                lengths[i] = gen.next(seg, at, SLOT - 2);
            }
        }
        return seg;
    }

    /**
     * {@code count} compound RTCP packets: SR with one report block, SDES CNAME, at slot offsets.
     *
     * @param arena where to allocate
     * @param count how many
     * @param lengths receives each packet's length
     * @return the memory
     */
    static MemorySegment rtcp(Arena arena, int count, int[] lengths) {
        final MemorySegment seg = arena.allocate((long) SLOT * count, 64);
        final RtcpWriter w = new RtcpWriter();
        for (int i = 0; i < count; i++) {
            lengths[i] = w.wrap(seg, (long) i * SLOT + 2, SLOT - 2)
                    .senderReport(0x5EED, 0xE000_0000_0000_0000L + i, i * 160, i, i * 160)
                    .addReportBlock(0xBEEF, 3, 17, 70000 + i, 12, 0x12345678, 65536)
                    .sdes().addSdesChunk(0x5EED).addSdesItem(SdesItems.CNAME, "bench@rtpm")
                    .finish();
        }
        return seg;
    }
}
