package io.rtpm.engine;

import java.net.Inet6Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.rtpm.ffm.Backend;
import io.rtpm.ffm.RingConfig;
import io.rtpm.ffm.RingDevice;
import io.rtpm.ffm.RingLayout;
import io.rtpm.ffm.RingStats;
import io.rtpm.ffm.RtpmException;
import io.rtpm.ffm.internal.Epoll;
import io.rtpm.ffm.internal.IoUring;

/**
 * The media engine: many calls, each with two (or more) legs, relayed by a fixed pool of worker
 * threads. Every leg binds its own RTP port (and RTCP port, RTP + 1, unless rtcp-mux) from the
 * configured range; what arrives on one leg's port leaves from its peer leg's port to the peer's
 * endpoint (symmetric RTP, RFC 4961), so NATs and latching SBCs work. Each worker owns a share of
 * the calls, their sockets and its own ring ({@code firstRing + i}); one packet never changes
 * thread and never takes a lock.
 *
 * <pre>{@code
 * try (RingDevice dev = RingDevice.open(Backend.AUTO);
 *      MediaEngine engine = MediaEngine.start(dev, EngineConfig.builder(localAddress).build())) {
 *     Call call = engine.addCall(CallSpec.builder(callId)
 *             .leg(LegSpec.builder().remote(aFromSdp).build())
 *             .leg(LegSpec.builder().remote(bFromSdp).build()).build());
 *     InetSocketAddress forA = call.localRtp(0), forB = call.localRtp(1); // into the SDPs
 *     ...
 *     call.remove();
 * }
 * }</pre>
 *
 * <p>Thread-safe: calls are added, changed and removed from any thread; each change is applied
 * by the call's worker between two batches, so other calls lose no packet and no time.
 */
public final class MediaEngine implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.rtpm.engine");

    private final EngineConfig config;
    private final RingDevice device;
    private final PortAllocator ports;
    private final Worker[] workers;
    private final ConcurrentHashMap<String, Call> calls = new ConcurrentHashMap<>();
    private final long fileLimit;
    private final IoDesign design;
    private volatile Throwable failure;
    private volatile boolean closed;

    private MediaEngine(RingDevice device, EngineConfig config, long fileLimit, IoDesign design) {
        this.design = design;
        this.device = device;
        this.config = config;
        this.ports = new PortAllocator(config);
        this.workers = new Worker[config.workers()];
        this.fileLimit = fileLimit;
    }

    /**
     * Starts the workers: configures each worker's ring if it is not (RTP tracking off: the engine
     * tracks per leg and SSRC), starts it, and raises RLIMIT_NOFILE to what the port range needs
     * (two descriptors a leg without rtcp-mux, four a call).
     *
     * @param device the ring device (kernel or user-space backend)
     * @param config how to run
     * @return the running engine
     * @throws RtpmException when a ring is configured with RTP tracking on, or cannot be set up
     */
    public static MediaEngine start(RingDevice device, EngineConfig config) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(config, "config");
        long needed = 2L * Math.min((long) config.workers() * config.legsPerWorker(),
                config.portMax() - config.portMin() + 1L) + 256;
        long limit = Epoll.raiseFileLimit(needed);
        if (limit < needed) {
            long hard = Epoll.hardFileLimit();
            LOG.log(System.Logger.Level.WARNING, "the file-descriptor limit is " + limit + " (hard limit "
                    + hard + "), below the " + needed + " the port range needs (2 a leg, 4 a call without"
                    + " rtcp-mux): at most ~" + Math.max(0, (limit - 256) / 4) + " calls; raise the hard"
                    + " limit (LimitNOFILE= in the systemd unit, ulimit -Hn)");
        }
        IoDesign design = config.ioDesign();
        if (design != IoDesign.EPOLL) {
            boolean uring = IoUring.available();
            if (!uring && design == IoDesign.IO_URING) {
                throw new RtpmException("start the engine on io_uring", 0, "this process may not use io_uring"
                        + " (no kernel support, seccomp, or kernel.io_uring_disabled): choose epoll or auto");
            }
            if (!uring) {
                LOG.log(System.Logger.Level.WARNING, "io_uring is not available to this process (no kernel"
                        + " support, seccomp, or kernel.io_uring_disabled): the engine runs on epoll");
            }
            design = uring ? IoDesign.IO_URING : IoDesign.EPOLL;
        }
        LOG.log(System.Logger.Level.INFO, "media engine: " + config.workers() + " workers on " + design
                + ", rings from " + config.firstRing() + " (" + device.backend() + ")");
        MediaEngine e = new MediaEngine(device, config, limit, design);
        for (int i = 0; i < config.workers(); i++) {
            prepareRing(device, config, config.firstRing() + i);
        }
        try {
            for (int i = 0; i < e.workers.length; i++) {
                e.workers[i] = new Worker(e, device, config, i, design);
                e.workers[i].start();
            }
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
        return e;
    }

    private static void prepareRing(RingDevice device, EngineConfig config, int ring) {
        RingStats st = device.stats(ring);
        if (!st.configured()) {
            device.configure(RingConfig.of(ring, config.ringOrder(), config.maxPayload() + UringPath.HEADROOM)
                    .withRtpTracking(false));
        } else {
            RingLayout l = device.layout(ring);
            if (l.rtpTracking()) {
                throw new RtpmException("use ring " + ring + " for the engine", 0, "it is configured with"
                        + " RTP tracking, which means nothing with many legs on one ring: unconfigure it"
                        + " (rtpm configure --ring " + ring + " --no-rtp-tracking) or choose other rings");
            }
            if (l.maxPayload() < 172) {
                throw new RtpmException("use ring " + ring + " for the engine", 0, "its slots hold "
                        + l.maxPayload() + " bytes, less than one G.711 packet: reconfigure it");
            }
        }
        if (!device.stats(ring).running()) {
            device.start(ring);
        }
    }

    /**
     * Adds a call: binds every leg's ports, then makes it live on the worker with the fewest legs.
     *
     * @param spec the call
     * @return its handle (its legs' local ports go into the SDPs)
     * @throws IllegalArgumentException when a call of that id exists
     * @throws PortRangeExhaustedException when the port range has no free pair; nothing is kept
     * @throws RtpmException when a socket cannot be set up; nothing is kept
     */
    public Call addCall(CallSpec spec) {
        checkOpen();
        Worker w = workers[0];
        for (Worker x : workers) {
            if (x.legCount.get() < w.legCount.get()) {
                w = x;
            }
        }
        Call call = new Call(spec.id(), w, spec.legs().size(), spec.awaitingAnswer());
        if (calls.putIfAbsent(spec.id(), call) != null) {
            throw new IllegalArgumentException("call " + spec.id() + " exists: remove it first or choose another id");
        }
        boolean ipv6 = config.localAddress() instanceof Inet6Address;
        int made = 0;
        try {
            for (int i = 0; i < call.legs.length; i++) {
                LegSpec ls = spec.legs().get(i);
                PortAllocator.Ports p = ports.allocate(ls.rtcpMux(), "call " + spec.id() + " leg " + i);
                call.legs[i] = new LegState(call, i, p, ls, ipv6);
                made++;
            }
            Worker target = w;
            w.call(() -> target.add(call), "add call " + spec.id());
            return call;
        } catch (RuntimeException ex) {
            for (int i = 0; i < made; i++) {
                LegState l = call.legs[i];
                if (l.slot < 0) {
                    l.ports.close();
                    ports.release(l.ports.rtp().localPort());
                }
            }
            calls.remove(spec.id(), call);
            throw ex;
        }
    }

    /**
     * Warms the engine up before its first real call: a few loopback calls per worker carry
     * traffic until the JIT is done with rtpm's code, on the workers, rings and I/O design that
     * will carry the real calls, then are removed (docs/perf/cold-start.md says why).
     *
     * @param budget the most time to take (typically 2-5 s)
     * @return packets relayed
     */
    public int warmUp(Duration budget) {
        checkOpen();
        int n = EngineWarmUp.run(this, config.localAddress(), 20_000, budget);
        if (n == 0) {
            throw new RtpmException("warm up the media engine", 0, "no warm-up packet came back through the "
                    + design + " design on " + device.backend() + " rings within " + budget.toMillis()
                    + " ms: the engine cannot relay here (a worker failure: " + failure + ")");
        }
        return n;
    }

    /** @return the running call of that id, or null */
    public Call call(String id) {
        return calls.get(id);
    }

    /** @return the running calls (a copy) */
    public Collection<Call> calls() {
        return List.copyOf(calls.values());
    }

    /** @return how many calls run */
    public int callCount() {
        return calls.size();
    }

    /** @return port pairs in use (legs) */
    public int portPairsInUse() {
        return ports.inUse();
    }

    /** @return the I/O design its workers run ({@link IoDesign#AUTO} resolved) */
    public IoDesign design() {
        return design;
    }

    /** @return the backend its rings run on */
    public Backend backend() {
        return device.backend();
    }

    /** @return the soft RLIMIT_NOFILE the engine runs with */
    public long fileLimit() {
        return fileLimit;
    }

    /** @return the worker threads */
    public int workers() {
        return workers.length;
    }

    /** @return why a worker stopped, or null while all run */
    public Throwable failure() {
        return failure;
    }

    /**
     * Stops the workers; every call ends with {@link CallEndReason#ENGINE_STOPPED}, every socket
     * closes. The rings stay configured and running. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Worker w : workers) {
            if (w != null) {
                w.stop();
            }
        }
    }

    PortAllocator ports() {
        return ports;
    }

    void ended(Call call) {
        calls.remove(call.id(), call);
    }

    void workerFailed(Worker w, Throwable t) {
        failure = t;
        LOG.log(System.Logger.Level.ERROR, "engine worker " + w.index + " stopped; its calls end", t);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the engine is closed: start a new one");
        }
        Throwable f = failure;
        if (f != null) {
            throw new RtpmException("add a call", 0, "a worker has failed (" + f + "): restart the engine", f);
        }
    }

    /** @return every worker's view, for tests and tools (a copy) */
    List<Worker> workerList() {
        return new ArrayList<>(List.of(workers));
    }
}
