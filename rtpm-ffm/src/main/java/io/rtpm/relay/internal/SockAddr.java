package io.rtpm.relay.internal;

import io.rtpm.ffm.internal.Net;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * {@code struct sockaddr_in} / {@code sockaddr_in6} in native memory, and an allocation-free key
 * for comparing sources: every address is read as 16 bytes of IPv6 (IPv4 as {@code ::ffff:a.b.c.d},
 * which is also how a dual-stack IPv6 socket reports IPv4 peers) in two longs, plus the port.
 */
public final class SockAddr {

    /** Bytes of a sockaddr_in6, the larger of the two; name buffers are at least this big. */
    public static final int MAX_LEN = 28;
    /** Bytes of a sockaddr_in. */
    public static final int IN4_LEN = 16;

    private static final ValueLayout.OfShort BE16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** The high long of every IPv4-mapped address. */
    private static final long MAPPED_HI = 0L;
    private static final long MAPPED_LO_PREFIX = 0xFFFFL << 32;

    private SockAddr() {
    }

    /**
     * Writes {@code address} as the socket family wants it: an IPv6 socket gets IPv4 addresses
     * mapped.
     *
     * @return the length to pass as socklen_t
     */
    public static int write(MemorySegment to, InetSocketAddress address, int family) {
        to.fill((byte) 0);
        InetAddress a = address.getAddress();
        if (a == null) {
            throw new IllegalArgumentException("unresolved address " + address.getHostString()
                    + ": resolve it first");
        }
        if (family == Net.AF_INET) {
            if (!(a instanceof Inet4Address)) {
                throw new IllegalArgumentException(a.getHostAddress()
                        + " is IPv6 but the socket is IPv4: bind an IPv6 address (e.g. ::)");
            }
            to.set(ValueLayout.JAVA_SHORT, 0, (short) Net.AF_INET);
            to.set(BE16, 2, (short) address.getPort());
            MemorySegment.copy(a.getAddress(), 0, to, ValueLayout.JAVA_BYTE, 4, 4);
            return IN4_LEN;
        }
        to.set(ValueLayout.JAVA_SHORT, 0, (short) Net.AF_INET6);
        to.set(BE16, 2, (short) address.getPort());
        to.set(BE64, 8, hi(a));
        to.set(BE64, 16, lo(a));
        if (a instanceof Inet6Address v6) {
            to.set(ValueLayout.JAVA_INT, 24, v6.getScopeId());
        }
        return MAX_LEN;
    }

    /** @return the high 64 bits of the 16-byte (IPv4-mapped where needed) form of {@code a} */
    public static long hi(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return MAPPED_HI;
        }
        return MemorySegment.ofArray(b).get(BE64, 0);
    }

    /** @return the low 64 bits of the 16-byte (IPv4-mapped where needed) form of {@code a} */
    public static long lo(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return MAPPED_LO_PREFIX | (MemorySegment.ofArray(b).get(BE32, 0) & 0xFFFF_FFFFL);
        }
        return MemorySegment.ofArray(b).get(BE64, 8);
    }

    /** @return the high 64 bits of the source in a received name (allocation-free) */
    public static long hi(MemorySegment name, long at) {
        return name.get(ValueLayout.JAVA_SHORT, at) == Net.AF_INET ? MAPPED_HI : name.get(BE64, at + 8);
    }

    /** @return the low 64 bits of the source in a received name (allocation-free) */
    public static long lo(MemorySegment name, long at) {
        return name.get(ValueLayout.JAVA_SHORT, at) == Net.AF_INET
                ? MAPPED_LO_PREFIX | (name.get(BE32, at + 4) & 0xFFFF_FFFFL)
                : name.get(BE64, at + 16);
    }

    /** @return the port of a received name, 0..65535 */
    public static int port(MemorySegment name, long at) {
        return name.get(BE16, at + 2) & 0xFFFF;
    }

    /**
     * Rebuilds a Java address from a name (allocates: for reports, never per packet).
     *
     * @return the address and port
     */
    public static InetSocketAddress toInet(MemorySegment name, long at) {
        return toInet(hi(name, at), lo(name, at), port(name, at));
    }

    /**
     * Rebuilds a Java address from the key form (allocates: for reports).
     *
     * @return the address (plain IPv4 when it was mapped) and port
     */
    public static InetSocketAddress toInet(long hi, long lo, int port) {
        try {
            byte[] b;
            if (hi == MAPPED_HI && (lo >>> 32) == 0xFFFFL) {
                b = new byte[4];
                MemorySegment.ofArray(b).set(BE32, 0, (int) lo);
            } else {
                b = new byte[16];
                MemorySegment m = MemorySegment.ofArray(b);
                m.set(BE64, 0, hi);
                m.set(BE64, 8, lo);
            }
            return new InetSocketAddress(InetAddress.getByAddress(b), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes always make an address", e);
        }
    }
}
