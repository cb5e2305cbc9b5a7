package io.rtpm.relay.internal;

import io.rtpm.ffm.internal.Net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A {@code struct mmsghdr[capacity]} for recvmmsg/sendmmsg, with one iovec, one name buffer and
 * one control buffer per entry, all in one segment of the owning I/O thread's confined arena.
 *
 * <p>The pointers between them are written once here; per call only the iovec base/length (the
 * slot the entry points at), the name length and the control length are reset: the kernel
 * overwrites them on receive (the pitfalls in shared/notes/relay-performance.md). Raw addresses
 * are stored as longs so the hot path never passes a segment of a shared arena.
 */
public final class MessageVector {

    /** struct msghdr (x86_64/aarch64 glibc): 56 bytes; explicit padding catches layout slips. */
    static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ADDRESS.withName("msg_name"),
            JAVA_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("msg_iov"),
            JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"),
            JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4));
    /** struct mmsghdr: the msghdr, then msg_len; 64 bytes. */
    static final StructLayout MMSGHDR = MemoryLayout.structLayout(
            MSGHDR.withName("msg_hdr"),
            JAVA_INT.withName("msg_len"),
            MemoryLayout.paddingLayout(4));

    private static final long ENTRY = MMSGHDR.byteSize();
    private static final long NAME = 0;
    private static final long NAMELEN = 8;
    private static final long IOV = 16;
    private static final long IOVLEN = 24;
    private static final long CONTROL = 32;
    private static final long CONTROLLEN = 40;
    private static final long FLAGS = 48;
    private static final long MSG_LEN = 56;

    private static final long IOVEC = 16;
    private static final long NAME_SPACE = 32;
    /** CMSG_SPACE(sizeof(uint32_t)) is 24 on LP64; 32 keeps entries aligned. */
    private static final long CONTROL_SPACE = 32;
    /** struct cmsghdr: cmsg_len (size_t), cmsg_level, cmsg_type; data at 16. */
    private static final long CMSG_DATA = 16;

    private final int capacity;
    private final MemorySegment vec;
    private final MemorySegment iov;
    private final MemorySegment names;
    private final MemorySegment controls;
    private final boolean withControl;

    /**
     * @param arena the I/O thread's arena
     * @param capacity entries
     * @param withControl whether entries get a control buffer (receive with SO_RXQ_OVFL)
     */
    public MessageVector(Arena arena, int capacity, boolean withControl) {
        if (MMSGHDR.byteSize() != 64 || MSGHDR.byteSize() != 56) {
            throw new IllegalStateException("struct mmsghdr is not 64 bytes here: rtpm needs LP64 Linux");
        }
        this.capacity = capacity;
        this.withControl = withControl;
        this.vec = arena.allocate(ENTRY * capacity, 8);
        this.iov = arena.allocate(IOVEC * capacity, 8);
        this.names = arena.allocate(NAME_SPACE * capacity, 8);
        this.controls = arena.allocate(CONTROL_SPACE * capacity, 8);
        for (int i = 0; i < capacity; i++) {
            long e = i * ENTRY;
            vec.set(JAVA_LONG, e + NAME, names.address() + i * NAME_SPACE);
            vec.set(JAVA_LONG, e + IOV, iov.address() + i * IOVEC);
            vec.set(JAVA_LONG, e + IOVLEN, 1);
            vec.set(JAVA_LONG, e + CONTROL, withControl ? controls.address() + i * CONTROL_SPACE : 0);
        }
    }

    /** @return entries */
    public int capacity() {
        return capacity;
    }

    /** @return the array to pass to recvmmsg/sendmmsg */
    public MemorySegment segment() {
        return vec;
    }

    /**
     * Points entry {@code i} at a buffer and resets what a receive overwrites.
     *
     * @param i the entry
     * @param address the buffer's native address
     * @param length its capacity (receive) or the datagram's length (send)
     */
    public void prepareReceive(int i, long address, int length) {
        long e = i * ENTRY;
        iov.set(JAVA_LONG, i * IOVEC, address);
        iov.set(JAVA_LONG, i * IOVEC + 8, length);
        vec.set(JAVA_INT, e + NAMELEN, (int) NAME_SPACE);
        vec.set(JAVA_LONG, e + CONTROLLEN, withControl ? CONTROL_SPACE : 0);
        vec.set(JAVA_INT, e + FLAGS, 0);
    }

    /**
     * Points entry {@code i} at a datagram to send to the name already written with
     * {@link #destination(int)}.
     *
     * @param i the entry
     * @param address the datagram's native address
     * @param length its length
     * @param nameLength the destination's socklen_t
     */
    public void prepareSend(int i, long address, int length, int nameLength) {
        long e = i * ENTRY;
        iov.set(JAVA_LONG, i * IOVEC, address);
        iov.set(JAVA_LONG, i * IOVEC + 8, length);
        vec.set(JAVA_INT, e + NAMELEN, nameLength);
        vec.set(JAVA_LONG, e + CONTROLLEN, 0);
        vec.set(JAVA_INT, e + FLAGS, 0);
    }

    /**
     * Points entry {@code i}'s name at a fixed destination instead of its own buffer.
     *
     * @param i the entry
     * @param nameAddress the native address of a sockaddr that outlives the call
     */
    public void name(int i, long nameAddress) {
        vec.set(JAVA_LONG, i * ENTRY + NAME, nameAddress);
    }

    /** @return the bytes received into entry {@code i} (msg_len) */
    public int length(int i) {
        return vec.get(JAVA_INT, i * ENTRY + MSG_LEN);
    }

    /** @return entry {@code i}'s msg_flags after a receive (MSG_TRUNC, MSG_CTRUNC) */
    public int flags(int i) {
        return vec.get(JAVA_INT, i * ENTRY + FLAGS);
    }

    /** @return the segment holding the names; entry {@code i}'s starts at {@link #nameOffset(int)} */
    public MemorySegment names() {
        return names;
    }

    /** @return where entry {@code i}'s received source address starts in {@link #names()} */
    public long nameOffset(int i) {
        return i * NAME_SPACE;
    }

    /**
     * The socket's drop counter delivered with entry {@code i} (SO_RXQ_OVFL), if any.
     *
     * @return the cumulative count of datagrams the socket dropped, or -1 when the entry carries none
     */
    public long overflowCount(int i) {
        if (!withControl) {
            return -1;
        }
        long controlLen = vec.get(JAVA_LONG, i * ENTRY + CONTROLLEN);
        long c = i * CONTROL_SPACE;
        if (controlLen < CMSG_DATA + 4
                || controls.get(JAVA_INT, c + 8) != Net.SOL_SOCKET
                || controls.get(JAVA_INT, c + 12) != Net.SO_RXQ_OVFL) {
            return -1;
        }
        return controls.get(JAVA_INT, c + CMSG_DATA) & 0xFFFF_FFFFL;
    }

    static {
        // a cheap guard that the field offsets above match the layout
        if (MMSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("msg_len")) != MSG_LEN
                || MSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("msg_flags")) != FLAGS
                || MSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("msg_controllen")) != CONTROLLEN) {
            throw new ExceptionInInitializerError("mmsghdr offsets disagree with the layout");
        }
    }

}
