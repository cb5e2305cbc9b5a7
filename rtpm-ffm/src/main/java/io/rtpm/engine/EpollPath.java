package io.rtpm.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.RtpmException;
import io.rtpm.ffm.Slot;
import io.rtpm.ffm.SlotBatch;
import io.rtpm.ffm.internal.Libc;
import io.rtpm.ffm.internal.Epoll;
import io.rtpm.relay.internal.MessageVector;
import io.rtpm.ffm.internal.Net;

/**
 * The epoll design: epoll_wait over the worker's sockets; for each ready socket one recvmmsg
 * straight into claimed ring slots; each datagram judged ({@link PacketJudge}) and, when it is
 * forwarded, tagged with its destination leg; once {@link EngineConfig#batch()} packets are
 * gathered across sockets (and at the end of every pass), one push and one pop of the ring and
 * the sends: one sendmmsg per run of packets for the same socket. With thousands of sockets at
 * 50 packets/s each, a ready socket holds about one packet, so this costs about two system calls
 * a packet; {@link UringPath} batches across sockets instead.
 *
 * <p>Slots that received nothing, or something not forwarded, stay claimed as spares, so the
 * ring's counters count only forwarded packets. With no free slot the datagrams are received
 * into scratch memory and counted as {@link DropCause#RING_FULL}, so the socket keeps draining.
 */
final class EpollPath implements IoPath {

    private static final int MAX_EVENTS = 256;

    private final Worker worker;
    private final RingSession session;
    private final PacketJudge judge;
    private final Destinations destinations;
    private final int batch;
    private final int slotCapacity;
    private final MemorySegment counters;
    private final MemorySegment cs;
    private final MemorySegment event;
    private final MemorySegment events;
    private final MemorySegment eight;
    private final int epfd;
    private final int eventFd;
    private final MessageVector rx;
    private final MessageVector tx;
    private final MemorySegment scratch;
    private final Slot[] spare;
    private int spareCount;
    private final SlotBatch claimed;
    private final SlotBatch pushed;
    private final SlotBatch popped;
    private int pendingRingDrops;

    EpollPath(Worker worker, RingSession session, Arena arena, int eventFd) {
        this.worker = worker;
        this.session = session;
        this.eventFd = eventFd;
        this.batch = worker.config.batch();
        this.slotCapacity = session.layout().maxPayload();
        this.counters = worker.counterSegment;
        this.cs = Net.newCapture(arena);
        this.event = arena.allocate(16, 8);
        this.events = arena.allocate(Epoll.EVENT_SIZE * MAX_EVENTS, 8);
        this.eight = arena.allocate(8, 8);
        int ep = Epoll.create(cs);
        if (ep < 0) {
            throw new RtpmException("create worker " + worker.index + "'s epoll set", -ep, "epoll_create1(2) failed");
        }
        this.epfd = ep;
        int r = Epoll.ctl(cs, event, epfd, Epoll.EPOLL_CTL_ADD, eventFd, Epoll.EPOLLIN, Worker.WAKE);
        if (r < 0) {
            Libc.close(ep);
            throw new RtpmException("add the wake-up eventfd to worker " + worker.index + "'s epoll set", -r,
                    "epoll_ctl(2) failed");
        }
        session.map();
        this.destinations = new Destinations(arena, worker.legs.length);
        this.judge = new PacketJudge(worker, destinations);
        this.rx = new MessageVector(arena, batch, true);
        this.tx = new MessageVector(arena, 2 * batch, false);
        this.scratch = arena.allocate((long) batch * slotCapacity, 64);
        this.spare = new Slot[batch];
        this.claimed = session.newBatch(batch);
        this.pushed = session.newBatch(2 * batch);
        this.popped = session.newBatch(2 * batch);
    }

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public Destinations destinations() {
        return destinations;
    }

    @Override
    public void register(LegState l) {
        add(l.ports.rtp().fd(), (long) l.slot << 1, l);
        if (!l.mux) {
            add(l.ports.rtcp().fd(), (long) l.slot << 1 | 1, l);
        }
    }

    private void add(int fd, long data, LegState l) {
        int r = Epoll.ctl(cs, event, epfd, Epoll.EPOLL_CTL_ADD, fd, Epoll.EPOLLIN, data);
        if (r < 0) {
            throw new RtpmException("add leg " + l.index + " of call " + l.call.id() + " to worker "
                    + worker.index + "'s epoll set", -r, "epoll_ctl(2) failed");
        }
    }

    @Override
    public void unregister(LegState l) {
        Epoll.ctl(cs, event, epfd, Epoll.EPOLL_CTL_DEL, l.ports.rtp().fd(), 0, 0);
        if (!l.mux) {
            Epoll.ctl(cs, event, epfd, Epoll.EPOLL_CTL_DEL, l.ports.rtcp().fd(), 0, 0);
        }
    }

    @Override
    public void pass(int timeoutMillis) {
        int n = Epoll.waitFast(epfd, events, MAX_EVENTS, timeoutMillis);
        long now = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long data = Epoll.data(events, i);
            if (data == Worker.WAKE) {
                Epoll.drain(eight, eventFd);
                continue;
            }
            LegState leg = worker.legs[(int) (data >>> 1)];
            if (leg != null) {
                receive(leg, (data & 1) != 0, now);
            }
        }
        flush();
    }

    /** Receives what a ready socket holds, up to one batch. */
    private void receive(LegState leg, boolean rtcpSocket, long now) {
        if (pushed.size() + batch > pushed.capacity()) {
            flush();
        }
        int fd = rtcpSocket ? leg.ports.rtcp().fd() : leg.ports.rtp().fd();
        if (spareCount <= batch / 2) {
            refill();
        }
        if (spareCount == 0) {
            drainIntoScratch(leg, fd);
            return;
        }
        final int k = spareCount;
        for (int j = 0; j < k; j++) {
            rx.prepareReceive(j, spare[j].payloadAddress(), slotCapacity);
        }
        int r = Net.recvmmsgFast(fd, rx.segment(), k, Net.MSG_DONTWAIT);
        if (r < 0) {
            r = Net.recvmmsg(cs, fd, rx.segment(), k, Net.MSG_DONTWAIT);
            if (r < 0) {
                if (-r != Net.EAGAIN && -r != Net.EINTR) {
                    judge.receiveError(leg, -r);
                }
                return;
            }
        }
        int kept = 0;
        MemorySegment names = rx.names();
        for (int j = 0; j < r; j++) {
            Slot s = spare[j];
            int len = rx.length(j);
            long tag = judge.judge(leg, rtcpSocket, s.payload(), 0, Math.min(len, slotCapacity),
                    (rx.flags(j) & Net.MSG_TRUNC) != 0 || len > slotCapacity, rx.overflowCount(j),
                    names, rx.nameOffset(j), now);
            if (tag >= 0) {
                s.length(len);
                s.userTag(tag);
                pushed.add(s);
            } else {
                spare[kept++] = s;
            }
        }
        for (int j = r; j < k; j++) {
            spare[kept++] = spare[j];
        }
        spareCount = kept;
    }

    private void refill() {
        int got = session.claim(claimed, batch - spareCount, pendingRingDrops);
        pendingRingDrops = 0;
        for (int i = 0; i < got; i++) {
            spare[spareCount++] = claimed.get(i);
        }
    }

    private void drainIntoScratch(LegState leg, int fd) {
        for (int j = 0; j < batch; j++) {
            rx.prepareReceive(j, scratch.address() + (long) j * slotCapacity, slotCapacity);
        }
        int r = Net.recvmmsgFast(fd, rx.segment(), batch, Net.MSG_DONTWAIT);
        if (r > 0) {
            LegCounters.add(counters, leg.block, LegCounters.RX_PACKETS, r);
            LegCounters.drop(counters, leg.block, DropCause.RING_FULL, r);
            pendingRingDrops += r;
        }
    }

    /** Pushes what was gathered, pops it back and sends it. */
    private void flush() {
        if (pushed.size() == 0) {
            return;
        }
        session.push(pushed);
        pushed.clear();
        int n = session.pop(popped, popped.capacity());
        send(n);
        session.release(popped);
    }

    private void send(int n) {
        int runFd = -1;
        LegState runLeg = null;
        int entries = 0;
        for (int i = 0; i < n; i++) {
            Slot s = popped.get(i);
            long tag = s.userTag();
            LegState to = judge.destination(worker.legs, tag);
            if (to == null) {
                continue;
            }
            boolean rtcp = (tag & PacketJudge.RTCP_BIT) != 0;
            boolean viaRtcp = rtcp && !to.mux;
            int fd = viaRtcp ? to.ports.rtcp().fd() : to.ports.rtp().fd();
            int nl = destinations.length(to.slot, viaRtcp);
            if (fd != runFd && entries > 0) {
                sendRun(runLeg, runFd, entries);
                entries = 0;
            }
            runFd = fd;
            runLeg = to;
            tx.name(entries, destinations.address(to.slot, viaRtcp));
            tx.prepareSend(entries, s.payloadAddress(), s.length(), nl);
            judge.sending(to, s.length(), rtcp);
            entries++;
        }
        if (entries > 0) {
            sendRun(runLeg, runFd, entries);
        }
    }

    private void sendRun(LegState leg, int fd, int entries) {
        int off = 0;
        while (off < entries) {
            MemorySegment v = off == 0 ? tx.segment() : tx.segment().asSlice(off * 64L);
            int r = Net.sendmmsgFast(fd, v, entries - off, Net.MSG_DONTWAIT);
            if (r < 0) {
                r = Net.sendmmsg(cs, fd, v, entries - off, Net.MSG_DONTWAIT);
                if (r < 0) {
                    judge.sendError(leg, entries - off, -r);
                    return;
                }
            }
            off += r;
        }
    }

    @Override
    public void close() {
        claimed.clear();
        for (int i = 0; i < spareCount; i++) {
            claimed.add(spare[i]);
        }
        spareCount = 0;
        if (claimed.size() > 0) {
            session.release(claimed);
        }
        Libc.close(epfd);
    }
}
