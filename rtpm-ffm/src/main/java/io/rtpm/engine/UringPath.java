package io.rtpm.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.RtpmException;
import io.rtpm.ffm.Slot;
import io.rtpm.ffm.SlotBatch;
import io.rtpm.ffm.internal.Epoll;
import io.rtpm.ffm.internal.IoUring;
import io.rtpm.ffm.internal.Net;

/**
 * The io_uring design: one multishot RECVMSG per socket, all sharing one provided-buffer ring
 * whose buffers are the worker's own ring slots (claimed, handed to the kernel, and pushed to the
 * ring as they come back full); one SENDMSG per forwarded packet, from the destination leg's
 * socket; and every submission and completion of a pass in one {@code io_uring_enter}. So the
 * system calls are per pass, not per socket: the batching across sockets that epoll cannot do.
 *
 * <p>A received slot holds {@code io_uring_recvmsg_out} (16 bytes), the source name (32) and the
 * control message (24, SO_RXQ_OVFL) before the datagram, which lands at {@link #HEADROOM}; it is
 * pushed with that headroom and sent from past it. A slot's way: claimed (FILLING) and provided;
 * received; pushed (READY) and popped (CONSUMED); sent; released (FREE) when the send completes,
 * then claimed again. Datagrams not forwarded give their slot straight back to the buffer ring.
 * When the buffer ring runs dry a multishot receive ends with ENOBUFS; its socket is re-armed once
 * slots are provided again (the data waits in the socket meanwhile), and the re-arm is counted.
 */
final class UringPath implements IoPath {

    /** Bytes before the datagram in a received slot: recvmsg_out, name, control. */
    static final int HEADROOM = 16 + 32 + 24;
    private static final int NAME_SPACE = 32;
    private static final int CONTROL_SPACE = 24;
    private static final long OP_RECV = 1L << 62;
    private static final long OP_SEND = 2L << 62;
    private static final long OP_WAKE = 3L << 62;
    private static final int EPOCH_MASK = 0x3FFF_FFFF;
    /** Per slot index: msghdr (56), iovec (16), destination name (32). */
    private static final long SEND_STRIDE = 104;
    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();

    private final Worker worker;
    private final RingSession session;
    private final PacketJudge judge;
    private final Destinations destinations;
    private final MemorySegment counters;
    private final IoUring ring;
    private final int eventFd;
    private final int slotCapacity;
    private final MemorySegment recvMsg;
    private final MemorySegment sends;
    private final MemorySegment eight;
    private final MemorySegment buffers;
    private final int bufferMask;
    private short bufferTail;
    private final Slot[] byIndex;
    private final boolean[] held;
    private final int[] sendLeg;
    private final int[] epoch;
    private final boolean[] armed;
    private final int[] dry;
    private int dryCount;
    private int provided;
    private final SlotBatch claimed;
    private final SlotBatch pushed;
    private final SlotBatch popped;
    private final SlotBatch done;
    private int pendingRingDrops;

    UringPath(Worker worker, RingSession session, Arena arena, int eventFd) {
        this.worker = worker;
        this.session = session;
        this.eventFd = eventFd;
        this.counters = worker.counterSegment;
        this.slotCapacity = session.layout().maxPayload();
        if (slotCapacity < HEADROOM + 172) {
            throw new RtpmException("run worker " + worker.index + " on io_uring", 0, "ring "
                    + session.ringId() + "'s slots hold " + slotCapacity + " bytes; io_uring needs "
                    + HEADROOM + " of headroom besides the datagram: reconfigure it larger");
        }
        int slots = session.layout().slotCount();
        this.ring = IoUring.open(4096, 65536, arena);
        session.map();
        this.destinations = new Destinations(arena, worker.legs.length);
        this.judge = new PacketJudge(worker, destinations);
        int entries = Integer.highestOneBit(Math.min(32768, Math.max(2, slots)));
        this.buffers = arena.allocate(16L * entries, 4096);
        this.bufferMask = entries - 1;
        int r = ring.registerBufferRing(buffers, entries, 0);
        if (r < 0) {
            ring.close();
            throw new RtpmException("register worker " + worker.index + "'s provided-buffer ring", -r,
                    "IORING_REGISTER_PBUF_RING failed (needs Linux 5.19)");
        }
        this.recvMsg = arena.allocate(56, 8);
        recvMsg.set(ValueLayout.JAVA_INT, 8, NAME_SPACE);
        recvMsg.set(ValueLayout.JAVA_LONG, 40, CONTROL_SPACE);
        this.sends = arena.allocate(SEND_STRIDE * slots, 8);
        for (int i = 0; i < slots; i++) {
            long m = sends.address() + SEND_STRIDE * i;
            sends.set(ValueLayout.JAVA_LONG, SEND_STRIDE * i, m + 72);      // msg_name
            sends.set(ValueLayout.JAVA_LONG, SEND_STRIDE * i + 16, m + 56); // msg_iov
            sends.set(ValueLayout.JAVA_LONG, SEND_STRIDE * i + 24, 1);      // msg_iovlen
        }
        this.eight = arena.allocate(8, 8);
        this.byIndex = new Slot[slots];
        this.held = new boolean[slots];
        this.sendLeg = new int[slots];
        int legs = worker.legs.length;
        this.epoch = new int[legs];
        this.armed = new boolean[legs * 2];
        this.dry = new int[legs * 2];
        this.claimed = session.newBatch(Math.min(256, slots));
        this.pushed = session.newBatch(Math.min(256, slots));
        this.popped = session.newBatch(Math.min(256, slots));
        this.done = session.newBatch(Math.min(256, slots));
        armWake();
        refill();
    }

    @Override
    public String name() {
        return "io_uring";
    }

    @Override
    public Destinations destinations() {
        return destinations;
    }

    private void armWake() {
        long at = ring.nextSqe();
        ring.prep(at, IoUring.OP_POLL_ADD, eventFd, 0, IoUring.POLL_ADD_MULTI, OP_WAKE);
        ring.opFlags(at, Epoll.EPOLLIN);
    }

    private long recvData(int slot, boolean rtcp) {
        return OP_RECV | (long) (epoch[slot] & EPOCH_MASK) << 32 | (long) slot << 1 | (rtcp ? 1 : 0);
    }

    private void arm(LegState l, boolean rtcp) {
        long at = ring.nextSqe();
        int fd = rtcp ? l.ports.rtcp().fd() : l.ports.rtp().fd();
        ring.prep(at, IoUring.OP_RECVMSG, fd, recvMsg.address(), 1, recvData(l.slot, rtcp));
        ring.ioprio(at, IoUring.RECV_MULTISHOT);
        ring.flags(at, IoUring.SQE_BUFFER_SELECT);
        ring.bufferGroup(at, 0);
        armed[l.slot * 2 + (rtcp ? 1 : 0)] = true;
    }

    @Override
    public void register(LegState l) {
        epoch[l.slot]++;
        arm(l, false);
        if (!l.mux) {
            arm(l, true);
        }
    }

    @Override
    public void unregister(LegState l) {
        for (int k = 0; k < (l.mux ? 1 : 2); k++) {
            boolean rtcp = k == 1;
            if (armed[l.slot * 2 + k]) {
                long at = ring.nextSqe();
                ring.prep(at, IoUring.OP_ASYNC_CANCEL, -1, recvData(l.slot, rtcp), 0, 0);
                armed[l.slot * 2 + k] = false;
            }
        }
        ring.submit(); // before the sockets close: the requests hold their files (and ports)
    }

    @Override
    public void pass(int timeoutMillis) {
        refill();
        rearmDry();
        ring.submitAndWait(timeoutMillis);
        long now = System.nanoTime();
        MemorySegment cq = ring.cq();
        int head = ring.cqHead();
        for (int tail = ring.cqTail(); head != tail; tail = ring.cqTail()) {
            while (head != tail) {
                long at = ring.cqeOffset(head);
                long ud = cq.get(ValueLayout.JAVA_LONG, at);
                int res = cq.get(ValueLayout.JAVA_INT, at + 8);
                int flags = cq.get(ValueLayout.JAVA_INT, at + 12);
                head++;
                long op = ud & (3L << 62);
                if (op == OP_RECV) {
                    received(ud, res, flags, now);
                } else if (op == OP_SEND) {
                    sent(ud, res);
                } else if (op == OP_WAKE) {
                    Epoll.drain(eight, eventFd);
                    if ((flags & IoUring.CQE_F_MORE) == 0) {
                        armWake();
                    }
                }
                if (pushed.size() == pushed.capacity()) {
                    flush();
                }
                if (done.size() == done.capacity()) {
                    releaseDone();
                }
            }
            ring.cqAdvance(head);
        }
        ring.cqAdvance(head);
        flush();
        releaseDone();
    }

    private void received(long ud, int res, int flags, long now) {
        int slot = (int) (ud & 0xFFFF_FFFFL) >>> 1;
        boolean rtcp = (ud & 1) != 0;
        LegState leg = slot < worker.legs.length ? worker.legs[slot] : null;
        boolean current = leg != null && (epoch[slot] & EPOCH_MASK) == (int) (ud >>> 32 & EPOCH_MASK);
        if ((flags & IoUring.CQE_F_BUFFER) != 0) {
            int bid = flags >>> 16;
            Slot s = bid < byIndex.length ? byIndex[bid] : null;
            if (s == null || !held[bid]) {
                return; // not a buffer of ours: nothing to give back
            }
            provided--;
            if (!current || res < HEADROOM) {
                provide(s);
            } else {
                onDatagram(leg, rtcp, s, res, now);
            }
        } else if (res < 0 && current && -res != IoUring.ECANCELED && -res != IoUring.ENOBUFS) {
            judge.receiveError(leg, -res);
        }
        if ((flags & IoUring.CQE_F_MORE) == 0 && current && armed[slot * 2 + (rtcp ? 1 : 0)]) {
            armed[slot * 2 + (rtcp ? 1 : 0)] = false;
            if (-res == IoUring.ENOBUFS) {
                LegCounters.add(counters, leg.block, LegCounters.RECEIVE_REARMS, 1);
            }
            if (-res == IoUring.ENOBUFS || provided == 0) {
                dry[dryCount++] = slot << 1 | (rtcp ? 1 : 0);
            } else if (-res != IoUring.ECANCELED) {
                arm(leg, rtcp);
            }
        }
    }

    private void onDatagram(LegState leg, boolean rtcp, Slot s, int res, long now) {
        MemorySegment p = s.payload();
        int payloadLength = p.get(ValueLayout.JAVA_INT, 8);
        int msgFlags = p.get(ValueLayout.JAVA_INT, 12);
        int len = Math.min(res - HEADROOM, payloadLength);
        long overflow = -1;
        int controlLength = p.get(ValueLayout.JAVA_INT, 4);
        long c = 16 + NAME_SPACE;
        if (controlLength >= 20 && p.get(ValueLayout.JAVA_INT, c + 8) == Net.SOL_SOCKET
                && p.get(ValueLayout.JAVA_INT, c + 12) == Net.SO_RXQ_OVFL) {
            overflow = p.get(ValueLayout.JAVA_INT, c + 16) & 0xFFFF_FFFFL;
        }
        boolean truncated = (msgFlags & Net.MSG_TRUNC) != 0 || payloadLength > res - HEADROOM;
        long tag = judge.judge(leg, rtcp, p, HEADROOM, len, truncated, overflow, p, 16, now);
        if (tag >= 0) {
            held[s.index()] = false;
            s.length(HEADROOM + len);
            s.userTag(tag);
            pushed.add(s);
        } else {
            provide(s);
        }
    }

    private void sent(long ud, int res) {
        int idx = (int) (ud & 0xFFFF_FFFFL);
        if (idx >= byIndex.length || byIndex[idx] == null) {
            return;
        }
        if (res < 0) {
            LegState to = worker.legs[sendLeg[idx]];
            if (to != null) {
                judge.sendError(to, 1, -res);
            }
        }
        done.add(byIndex[idx]);
    }

    /** Pushes what came in, pops it back and queues its sends. */
    private void flush() {
        if (pushed.size() == 0) {
            return;
        }
        session.push(pushed);
        pushed.clear();
        int n = session.pop(popped, popped.capacity());
        for (int i = 0; i < n; i++) {
            Slot s = popped.get(i);
            long tag = s.userTag();
            LegState to = judge.destination(worker.legs, tag);
            if (to == null) {
                addDone(s);
                continue;
            }
            int slot = to.slot;
            boolean rtcp = (tag & PacketJudge.RTCP_BIT) != 0;
            boolean viaRtcp = rtcp && !to.mux;
            int nl = destinations.length(slot, viaRtcp);
            int idx = s.index();
            long m = SEND_STRIDE * idx;
            MemorySegment.copy(destinations.segment(), Destinations.offset(slot, viaRtcp), sends, m + 72, 28);
            sends.set(ValueLayout.JAVA_INT, m + 8, nl);
            sends.set(ValueLayout.JAVA_LONG, m + 56, s.payloadAddress() + HEADROOM);
            int len = s.length() - HEADROOM;
            sends.set(ValueLayout.JAVA_LONG, m + 64, len);
            sendLeg[idx] = slot;
            long at = ring.nextSqe();
            ring.prep(at, IoUring.OP_SENDMSG, viaRtcp ? to.ports.rtcp().fd() : to.ports.rtp().fd(),
                    sends.address() + m, 1, OP_SEND | idx);
            judge.sending(to, len, rtcp);
        }
    }

    private void addDone(Slot s) {
        if (done.size() == done.capacity()) {
            releaseDone();
        }
        done.add(s);
    }

    private void releaseDone() {
        if (done.size() > 0) {
            session.release(done);
            done.clear();
        }
    }

    /** Claims free slots and hands them to the kernel as receive buffers. */
    private void refill() {
        int room = bufferMask + 1 - provided;
        boolean added = false;
        while (room > 0) {
            int got = session.claim(claimed, Math.min(room, claimed.capacity()), pendingRingDrops);
            pendingRingDrops = 0;
            for (int i = 0; i < got; i++) {
                Slot s = claimed.get(i);
                byIndex[s.index()] = s;
                put(s);
            }
            added |= got > 0;
            room -= got;
            if (got < claimed.capacity()) {
                break;
            }
        }
        if (added) {
            publish();
        }
    }

    private void provide(Slot s) {
        put(s);
        publish();
    }

    private void put(Slot s) {
        long e = 16L * (bufferTail & bufferMask);
        buffers.set(ValueLayout.JAVA_LONG, e, s.payloadAddress());
        buffers.set(ValueLayout.JAVA_INT, e + 8, slotCapacity);
        buffers.set(ValueLayout.JAVA_SHORT, e + 12, (short) s.index());
        bufferTail++;
        held[s.index()] = true;
        provided++;
    }

    private void publish() {
        SHORT.setRelease(buffers, 14L, bufferTail); // the ring's tail shares entry 0's last 2 bytes
    }

    private void rearmDry() {
        if (dryCount == 0 || provided == 0) {
            return;
        }
        for (int i = 0; i < dryCount; i++) {
            int slot = dry[i] >>> 1;
            boolean rtcp = (dry[i] & 1) != 0;
            LegState l = worker.legs[slot];
            if (l != null && !armed[slot * 2 + (rtcp ? 1 : 0)]) {
                arm(l, rtcp);
            }
        }
        dryCount = 0;
    }

    @Override
    public void close() {
        ring.close(); // ends every request; the kernel lets go of the provided buffers
        releaseDone();
        done.clear();
        for (int i = 0; i < byIndex.length; i++) {
            if (held[i]) {
                held[i] = false;
                if (done.size() == done.capacity()) {
                    releaseDone();
                }
                done.add(byIndex[i]);
            }
        }
        releaseDone();
    }
}
