package io.rtpm.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.rtpm.ffm.RingDevice;
import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.RtpmException;
import io.rtpm.ffm.Role;
import io.rtpm.ffm.internal.Libc;
import io.rtpm.ffm.internal.Epoll;
import io.rtpm.ffm.internal.Net;
import io.rtpm.rtp.PacketKind;

/**
 * One worker thread of the engine: it owns a share of the legs, their sockets, one epoll set and
 * one ring, and carries every packet of its legs from receive to send on its own thread, with no
 * lock and no hand-off. Changes from other threads arrive as commands ({@link #call}), which it
 * runs between batches; an eventfd in its epoll set wakes it for them.
 *
 * <p>The loop: commands; one pass of its I/O design ({@link EpollPath} or {@link UringPath}),
 * which waits for traffic or a wake-up for at most one timer tick and forwards what came; the
 * timers (rtpengine's timeouts) every 100 ms.
 */
final class Worker {

    /** The wake-up eventfd's tag in the I/O path's wait set; legs use {@code slot << 1 | rtcp}. */
    static final long WAKE = -1L;
    private static final long TICK_NANOS = 100_000_000L;
    private static final int TICK_MILLIS = 100;

    final int index;
    final EngineConfig config;
    final EngineListener listener;
    final AtomicInteger legCount = new AtomicInteger();
    private final MediaEngine engine;
    private final RingDevice device;
    private final int ringId;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final IoDesign design;
    private final int eventFd;
    private final CounterFile counters;
    final MemorySegment counterSegment;
    private final Thread thread;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private volatile boolean stopRequested;

    // the worker thread's own
    final LegState[] legs;
    private final int[] freeSlots;
    private int freeCount;
    private Call[] calls = new Call[64];
    private int callCount;
    private long nextTick;
    IoPath path;
    private boolean pathOpen;

    Worker(MediaEngine engine, RingDevice device, EngineConfig config, int index, IoDesign design) {
        this.engine = engine;
        this.device = device;
        this.config = config;
        this.listener = config.listener();
        this.index = index;
        this.ringId = config.firstRing() + index;
        this.design = design;
        int capacity = config.legsPerWorker();
        this.legs = new LegState[capacity];
        this.freeSlots = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            freeSlots[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
        try (Arena arena = Arena.ofConfined()) {
            int ev = Epoll.eventfd(Net.newCapture(arena));
            if (ev < 0) {
                throw new RtpmException("create worker " + index + "'s wake-up eventfd", -ev, "eventfd(2) failed");
            }
            this.eventFd = ev;
        }
        this.counters = CounterFile.create(config.countersDirectory(), "worker-" + index + ".counters", capacity);
        this.counterSegment = counters.segment();
        this.thread = Thread.ofPlatform().name("rtpm-engine-" + index).daemon(true).unstarted(this::run);
    }

    InetAddress localAddress() {
        return config.localAddress();
    }

    /** Starts the thread and waits until it has attached its ring. */
    void start() {
        thread.start();
        try {
            started.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re
                    : new RtpmException("start worker " + index, 0, String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new RtpmException("start worker " + index, 0, "its thread did not attach ring " + ringId + " in 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RtpmException("start worker " + index, 0, "interrupted");
        }
    }

    private void run() {
        try (Arena arena = Arena.ofConfined();
                RingSession session = device.attach(ringId, EnumSet.of(Role.PRODUCER, Role.CONSUMER))) {
            path = design == IoDesign.IO_URING ? new UringPath(this, session, arena, eventFd)
                    : new EpollPath(this, session, arena, eventFd);
            pathOpen = true;
            if (config.cpu(index) >= 0) {
                int r = Net.pinCurrentThread(config.cpu(index));
                if (r < 0) {
                    throw new RtpmException("pin worker " + index + " to CPU " + config.cpu(index), -r,
                            "sched_setaffinity(2) failed: is that CPU online and allowed?");
                }
            }
            started.complete(null);
            nextTick = System.nanoTime() + TICK_NANOS;
            while (!stopRequested) {
                runCommands();
                path.pass(TICK_MILLIS);
                long now = System.nanoTime();
                if (now - nextTick >= 0) {
                    tick(now);
                    nextTick = now + TICK_NANOS;
                }
            }
            endAll();
            runCommands();
            pathOpen = false;
            path.close();
        } catch (RuntimeException | Error e) {
            if (!started.isDone()) {
                started.completeExceptionally(e);
            } else {
                engine.workerFailed(this, e);
            }
        } finally {
            if (callCount > 0) {
                endAll(); // the loop failed: the path may be gone, its sockets still close
            }
            Runnable c;
            while ((c = commands.poll()) != null) {
                c.run(); // their futures complete; the calls they name are gone
            }
        }
    }

    private void endAll() {
        for (int i = callCount - 1; i >= 0; i--) {
            try {
                end(calls[i], CallEndReason.ENGINE_STOPPED);
            } catch (RuntimeException e) {
                // keep closing the others
            }
        }
    }

    private void runCommands() {
        Runnable c;
        while ((c = commands.poll()) != null) {
            c.run();
        }
    }

    /**
     * Runs {@code action} on the worker and waits for it.
     *
     * @throws RtpmException when the worker has stopped or does not answer in 5 s
     */
    void call(Runnable action, String what) {
        if (Thread.currentThread() == thread) {
            action.run();
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        commands.add(() -> {
            try {
                action.run();
                done.complete(null);
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        });
        wake();
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re
                    : new RtpmException(what, 0, String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new RtpmException(what, 0, "worker " + index + (thread.isAlive()
                    ? " did not answer in 5 s" : " has stopped"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RtpmException(what, 0, "interrupted");
        }
    }

    private void wake() {
        try (Arena arena = Arena.ofConfined()) {
            Epoll.signal(Net.newCapture(arena), arena.allocate(8, 8), eventFd);
        }
    }

    /** Makes a call's legs live (worker thread). */
    void add(Call call) {
        if (freeCount < call.legs.length) {
            throw new RtpmException("add call " + call.id(), 0, "worker " + index + " carries "
                    + (legs.length - freeCount) + " legs, its most (legsPerWorker): raise it or add workers");
        }
        long now = System.nanoTime();
        int done = 0;
        try {
            for (LegState l : call.legs) {
                int slot = freeSlots[--freeCount];
                l.slot = slot;
                l.block = counters.allocate();
                LegCounters.open(counterSegment, l.block, l.label);
                l.generation = LegCounters.get(counterSegment, l.block, LegCounters.GENERATION);
                legs[slot] = l;
                done++;
                path.register(l);
            }
        } catch (RuntimeException e) {
            for (int i = 0; i < done; i++) {
                release(call.legs[i]);
            }
            throw e;
        }
        for (LegState l : call.legs) {
            l.peer = call.legs[peerOf(l.spec, l.index, call.legs.length)];
            applyRemote(l, l.spec, now);
            l.applyFilters(l.spec);
            l.lastRxNanos = now;
        }
        if (callCount == calls.length) {
            calls = java.util.Arrays.copyOf(calls, calls.length * 2);
        }
        call.position = callCount;
        calls[callCount++] = call;
        legCount.addAndGet(call.legs.length);
    }

    private static int peerOf(LegSpec spec, int leg, int count) {
        if (spec.peer() >= 0) {
            return spec.peer();
        }
        int p = leg ^ 1;
        return p < count ? p : leg; // a lone last leg of an odd call is its own peer: nothing is sent
    }

    /** Sets where a leg sends to from its spec, and restarts learning (worker thread). */
    void applyRemote(LegState l, LegSpec s, long now) {
        long window = config.learningDelay().toNanos();
        var remote = s.remote();
        if (remote != null) {
            long hi = io.rtpm.relay.internal.SockAddr.hi(remote.getAddress());
            long lo = io.rtpm.relay.internal.SockAddr.lo(remote.getAddress());
            l.rtpLatch.reset(s.learning(), s.strictSource(), s.mediaHandover(), window, true, hi, lo,
                    remote.getPort(), now);
            var rtcp = s.rtcpRemote() != null ? s.rtcpRemote()
                    : new java.net.InetSocketAddress(remote.getAddress(), l.mux ? remote.getPort() : remote.getPort() + 1);
            l.rtcpLatch.reset(s.learning(), s.strictSource(), s.mediaHandover(), window, true,
                    io.rtpm.relay.internal.SockAddr.hi(rtcp.getAddress()),
                    io.rtpm.relay.internal.SockAddr.lo(rtcp.getAddress()), rtcp.getPort(), now);
            l.rtcpLearned = s.rtcpRemote() != null;
        } else {
            l.rtpLatch.reset(s.learning(), s.strictSource(), s.mediaHandover(), window, false, 0, 0, 0, now);
            l.rtcpLatch.reset(s.learning(), s.strictSource(), s.mediaHandover(), window, false, 0, 0, 0, now);
            l.rtcpLearned = false;
        }
        path.destinations().write(l);
    }

    /** Applies an update (worker thread). */
    void update(Call call, int leg, LegSpec spec) {
        if (call.ended != null) {
            throw new IllegalStateException("call " + call.id() + " has ended (" + call.ended + "): add it anew");
        }
        LegState l = call.legs[leg];
        LegSpec old = l.spec;
        l.spec = spec;
        if (!java.util.Objects.equals(old.remote(), spec.remote())
                || !java.util.Objects.equals(old.rtcpRemote(), spec.rtcpRemote())
                || old.learning() != spec.learning()) {
            applyRemote(l, spec, System.nanoTime());
        }
        l.applyFilters(spec);
        l.peer = call.legs[peerOf(spec, leg, call.legs.length)];
    }

    /** Ends a call (worker thread): closes its legs, tells the owner. Idempotent. */
    void end(Call call, CallEndReason reason) {
        if (call.ended != null) {
            return;
        }
        call.ended = reason;
        for (LegState l : call.legs) {
            release(l);
        }
        int p = call.position;
        if (p >= 0 && p < callCount && calls[p] == call) {
            Call last = calls[--callCount];
            calls[p] = last;
            last.position = p;
            calls[callCount] = null;
        }
        legCount.addAndGet(-call.legs.length);
        engine.ended(call);
        try {
            listener.onCallEnded(call, reason);
        } catch (RuntimeException e) {
            // the owner's bug must not stop the worker
        }
    }

    private void release(LegState l) {
        if (l.slot < 0) {
            return;
        }
        if (path != null && pathOpen) {
            path.unregister(l);
        }
        l.finalStats = LegStats.read(counterSegment, l.block);
        legs[l.slot] = null;
        freeSlots[freeCount++] = l.slot;
        counters.free(l.block);
        l.slot = -1;
        l.ports.close();
        engine.ports().release(l.ports.rtp().localPort());
    }

    /** The timers: rtpengine's timeouts, per call (worker thread; allocation-free). */
    private void tick(long now) {
        long timeout = config.timeout().toNanos();
        long silent = config.silentTimeout().toNanos();
        long fin = config.finalTimeout().toNanos();
        long offer = config.offerTimeout().toNanos();
        for (int i = callCount - 1; i >= 0; i--) {
            Call c = calls[i];
            long last = 0;
            boolean held = true;
            for (LegState l : c.legs) {
                last = Math.max(last, l.lastRxNanos);
                held &= !l.sending;
            }
            CallEndReason why = null;
            if (fin > 0 && now - c.createdNanos >= fin) {
                why = CallEndReason.FINAL_TIMEOUT;
            } else if (c.awaitingAnswer && offer > 0 && now - c.createdNanos >= offer) {
                why = CallEndReason.OFFER_TIMEOUT;
            } else if (held ? silent > 0 && now - last >= silent : timeout > 0 && now - last >= timeout) {
                why = held ? CallEndReason.SILENT_TIMEOUT : CallEndReason.TIMEOUT;
            }
            if (why != null) {
                end(c, why);
            }
        }
    }

    LegStats stats(LegState l) {
        LegStats f = l.finalStats;
        if (f != null) {
            return f;
        }
        long block = l.block;
        if (block < 0) {
            // added but not yet live, or racing its end: ask the worker
            LegStats[] out = new LegStats[1];
            call(() -> out[0] = l.finalStats != null ? l.finalStats
                    : l.block >= 0 ? LegStats.read(counterSegment, l.block) : null, "read leg stats");
            return out[0];
        }
        LegStats s = LegStats.read(counterSegment, block);
        return l.finalStats != null ? l.finalStats : s;
    }

    /** Asks the thread to stop and waits for it; its calls end with ENGINE_STOPPED. */
    void stop() {
        stopRequested = true;
        wake();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Libc.close(eventFd);
        counters.close();
    }
}
