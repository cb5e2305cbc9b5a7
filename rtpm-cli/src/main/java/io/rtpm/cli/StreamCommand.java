package io.rtpm.cli;

import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.rtpm.ffm.RingConfig;
import io.rtpm.ffm.RingDevice;
import io.rtpm.ffm.RingStats;
import io.rtpm.ffm.RingStoppedException;
import io.rtpm.ffm.RtpmException;
import io.rtpm.relay.Relay;
import io.rtpm.relay.RelayConfig;
import io.rtpm.relay.RelayStats;
import io.rtpm.relay.RtcpMode;
import io.rtpm.relay.WaitStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rtpm stream}: relays RTP (and RTCP) from a UDP port to a destination through a ring,
 * configuring and starting the ring first when needed; a status line per second on a terminal,
 * NDJSON with --json, Prometheus metrics with --metrics-port, a summary on exit (Ctrl-C).
 */
@Command(name = "stream", mixinStandardHelpOptions = true, versionProvider = Rtpm.Version.class,
        description = {"Relay RTP received on --rx to --tx-host:--tx through a ring (RTCP on port + 1"
                + " both sides, unless --rtcp mux|off). Configures the ring with defaults when it is not"
                + " configured, and starts it. Stops on Ctrl-C (or after --duration) and prints a summary.",
            "Example: rtpm stream --rx 5004 --tx 5006 --tx-host 10.0.0.2 --rx-from 10.0.0.1 --json"})
final class StreamCommand implements Callable<Integer> {

    @Mixin
    RingOptions ring;

    @Option(names = "--rx", required = true, paramLabel = "PORT", converter = Addresses.Port.class,
            description = "Local UDP port to receive RTP on.")
    int rxPort;

    @Option(names = "--tx", required = true, paramLabel = "PORT", converter = Addresses.Port.class,
            description = "Destination UDP port for RTP.")
    int txPort;

    @Option(names = "--tx-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            converter = Addresses.Host.class, description = "Destination host (default: ${DEFAULT-VALUE}).")
    InetAddress txHost;

    @Option(names = "--bind", paramLabel = "ADDRESS", converter = Addresses.Host.class,
            description = "Local address to receive on (default: all, 0.0.0.0; :: with --ipv6).")
    InetAddress bind;

    @Option(names = "--ipv6", description = "Receive on all IPv6 (and IPv4) addresses: binds ::.")
    boolean ipv6;

    @Option(names = "--rx-from", paramLabel = "HOST[:PORT]", converter = Addresses.HostPort.class,
            description = "Accept only this source; others are counted and dropped.")
    InetSocketAddress rxFrom;

    @Option(names = "--latch", description = "Accept only the first source that sends valid RTP (symmetric RTP, NAT).")
    boolean latch;

    @Option(names = "--rtcp", paramLabel = "port+1|mux|off", defaultValue = "port+1",
            converter = RtcpModeConverter.class, description = "Where RTCP goes (default: ${DEFAULT-VALUE}).")
    RtcpMode rtcp;

    @Option(names = "--rcvbuf", paramLabel = "BYTES", defaultValue = "4194304",
            description = "SO_RCVBUF of the receive sockets, beyond net.core.rmem_max when root"
                    + " (default: ${DEFAULT-VALUE}: a 200 ms stall at 20,000 pkt/s; 0: system default).")
    int rcvbuf;

    @Option(names = "--sndbuf", paramLabel = "BYTES", defaultValue = "0",
            description = "SO_SNDBUF of the send socket (default: system).")
    int sndbuf;

    @Option(names = "--dscp", paramLabel = "0..63", defaultValue = "" + RelayConfig.DSCP_EF,
            description = "DSCP of sent packets (default: ${DEFAULT-VALUE}, EF).")
    int dscp;

    @Option(names = "--max-age", paramLabel = "MS", defaultValue = "0",
            description = "Drop packets older than MS milliseconds in the ring (counted expired; default: no limit).")
    long maxAgeMillis;

    @Option(names = "--order", paramLabel = "N", defaultValue = "" + ConfigureCommand.DEFAULT_ORDER,
            description = "If the ring is not configured: log2 of its slot count (default: ${DEFAULT-VALUE}).")
    int order;

    @Option(names = "--max-payload", paramLabel = "BYTES", defaultValue = "" + ConfigureCommand.DEFAULT_MAX_PAYLOAD,
            description = "If the ring is not configured: bytes per slot (default: ${DEFAULT-VALUE}).")
    int maxPayload;

    @Option(names = "--threads", paramLabel = "1|2", defaultValue = "" + RelayConfig.DEFAULT_THREADS,
            description = {"1 (default): one thread receives a batch, passes it through the ring and sends"
                    + " it (run to completion): carries more when cores are few or shared.",
                "2: an RX thread and a TX thread with the ring between them: when a slow hook or pacing"
                    + " must not hold up receiving (--max-age then drops what waited), or with a core"
                    + " for each thread (--cpu-rx, --cpu-tx)."})
    int threads;

    @Option(names = "--wait", paramLabel = "sleep|busy", defaultValue = "sleep",
            converter = WaitConverter.class,
            description = "How the relay threads wait for packets: sleep (default; no CPU when idle) or"
                    + " busy (spin: a core per thread at 100%% even when idle; only with cores to spare).")
    WaitStrategy waitStrategy;

    @Option(names = "--cpu-rx", paramLabel = "CPU", defaultValue = "-1",
            description = "Pin the RX thread (with --threads 1: the relay thread) to this CPU (default: not pinned).")
    int cpuRx;

    @Option(names = "--cpu-tx", paramLabel = "CPU", defaultValue = "-1",
            description = "Pin the TX thread of --threads 2 to this CPU (default: not pinned).")
    int cpuTx;

    @Option(names = "--warm-up", paramLabel = "PACKETS", defaultValue = "" + WARM_UP_PACKETS,
            description = "Before binding --rx, relay at least PACKETS packets through a private loopback"
                    + " relay, and more until the JIT is done with it, so that the first real packets"
                    + " find compiled code (default: ${DEFAULT-VALUE}; at most 5 s; 0: off).")
    int warmUp;

    @Option(names = "--json", description = "Write one JSON object per interval and a summary object (NDJSON).")
    boolean json;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1",
            description = "Seconds between status lines or JSON objects (default: ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Stop after SECONDS (default: run until Ctrl-C or rtpm stop).")
    Double duration;

    @Option(names = "--metrics-port", paramLabel = "PORT", converter = Addresses.Port.class,
            description = "Serve Prometheus metrics on http://--metrics-bind:PORT/metrics.")
    Integer metricsPort;

    @Option(names = "--metrics-bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            converter = Addresses.Host.class, description = "Address of the metrics server (default: ${DEFAULT-VALUE}).")
    InetAddress metricsBind;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Enough for C2 to compile the per-packet paths here (docs/perf/relay.md). */
    static final int WARM_UP_PACKETS = 20_000;
    private static final Duration WARM_UP_BUDGET = Duration.ofSeconds(5);
    /** How often the ring's state is read: bounds how late a stream sees {@code rtpm stop}. */
    static final long RING_CHECK_NANOS = 100_000_000L;

    /** Set when the ring was stopped under the relay (rtpm stop): exit {@link ExitCodes#RING_STOPPED}. */
    private boolean ringStopped;

    @Override
    public Integer call() {
        checkArguments();
        PrintWriter out = spec.commandLine().getOut();
        // with --json, stdout is pure NDJSON: what the relay says about itself goes to stderr
        PrintWriter info = json ? spec.commandLine().getErr() : out;
        InetAddress local = bind != null ? bind : Addresses.host(ipv6 ? "::" : "0.0.0.0");
        if (rxFrom != null && rxFrom.getAddress() instanceof Inet6Address && !(local instanceof Inet6Address)) {
            throw new CliException(ExitCodes.USAGE, "--rx-from " + rxFrom.getAddress().getHostAddress()
                    + " is IPv6: add --ipv6 (or --bind an IPv6 address)");
        }
        RelayConfig cfg = RelayConfig.builder(rxPort, new InetSocketAddress(txHost, txPort))
                .ring(ring.ring).bindAddress(local).rtcp(rtcp).rxFrom(rxFrom).latch(latch)
                .receiveBuffer(rcvbuf).sendBuffer(sndbuf).dscp(dscp)
                .maxAgeNanos(TimeUnit.MILLISECONDS.toNanos(maxAgeMillis))
                .waitStrategy(waitStrategy).pin(cpuRx, cpuTx).threads(threads).build();
        try (RingDevice dev = ring.open()) {
            String fallback = Describe.fallbackWarning(dev, ring.backend, ring.device);
            if (fallback != null) {
                spec.commandLine().getErr().println(fallback);
                spec.commandLine().getErr().flush();
            }
            prepareRing(dev, info);
            if (warmUp > 0) {
                long t0 = System.nanoTime();
                int n = Relay.warmUp(warmUp, WARM_UP_BUDGET, threads);
                info.println("warmed up: " + n + " packets through a loopback relay in "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms");
            }
            Relay relay = Relay.start(dev, cfg);
            try (MetricsServer metrics = metricsPort == null ? null
                    : new MetricsServer(new InetSocketAddress(metricsBind, metricsPort),
                            () -> Report.prometheus(relay.stats(), ring.ring))) {
                String from = rxFrom != null ? " from " + rxFrom : latch ? " (latching to the first source)" : "";
                String relaying = "relaying " + new InetSocketAddress(local, relay.rtpPort()) + from + " -> "
                        + cfg.txDestination() + " through ring " + ring.ring;
                info.println(relaying + "; RTCP " + rtcpText(relay) + "; SO_RCVBUF " + relay.receiveBufferBytes()
                        + " B; " + Describe.backendChoice(dev, ring.backend)
                        + (metrics != null ? "; metrics on http://" + metricsBind.getHostAddress() + ":"
                                + metrics.port() + "/metrics" : ""));
                warnClamped(spec.commandLine().getErr(), "--rcvbuf", rcvbuf, relay.receiveBufferBytes(),
                        "net.core.rmem_max");
                warnClamped(spec.commandLine().getErr(), "--sndbuf", sndbuf, relay.sendBufferBytes(),
                        "net.core.wmem_max");
                info.flush();
                ServiceNotify systemd = ServiceNotify.fromEnvironment(spec.commandLine().getErr());
                try (StopSignal signal = new StopSignal()) {
                    systemd.ready(relaying); // the ports are bound and the code is warm
                    RelayStats fin = run(dev, relay, out, signal);
                    systemd.stopping("drained; " + fin.txRtp() + " RTP packets relayed");
                    ringStopped |= relay.failure() instanceof RingStoppedException;
                    if (ringStopped) {
                        info.println("ring " + ring.ring + " was stopped (rtpm stop): what it held was"
                                + " sent; exiting with " + ExitCodes.RING_STOPPED);
                        info.flush();
                    }
                    if (json) {
                        out.println(Report.relay(fin, fin.txRtp() / Math.max(1e-9, fin.uptimeNanos() / 1e9), true));
                    } else {
                        Report.summary(fin).forEach(out::println);
                    }
                    out.flush();
                }
            } finally {
                relay.close();
            }
            Throwable f = relay.failure();
            if (ringStopped) {
                return ExitCodes.RING_STOPPED;
            }
            if (f != null) {
                String why = f.getMessage() != null ? f.getMessage() : f.toString();
                throw new CliException(f instanceof RtpmException ? ExitCodes.RING_ERROR : ExitCodes.SOFTWARE,
                        "the relay stopped: " + why, f);
            }
        }
        return ExitCodes.OK;
    }

    private void checkArguments() {
        if (dscp < 0 || dscp > 63) {
            throw new CliException(ExitCodes.USAGE, "--dscp " + dscp + " is not in 0..63");
        }
        if (rcvbuf < 0 || sndbuf < 0 || maxAgeMillis < 0) {
            throw new CliException(ExitCodes.USAGE, "--rcvbuf, --sndbuf and --max-age must not be negative");
        }
        if (!(interval >= 0.05 && interval <= 3600)) {
            throw new CliException(ExitCodes.USAGE, "--interval " + interval + " must be in 0.05..3600 seconds");
        }
        if (duration != null && !(duration > 0)) {
            throw new CliException(ExitCodes.USAGE, "--duration " + duration + " must be more than 0 seconds");
        }
        if (warmUp < 0) {
            throw new CliException(ExitCodes.USAGE, "--warm-up " + warmUp + " must be 0 (off) or more packets");
        }
        if (cpuRx < -1 || cpuRx > RelayConfig.MAX_CPU || cpuTx < -1 || cpuTx > RelayConfig.MAX_CPU) {
            throw new CliException(ExitCodes.USAGE, "--cpu-rx and --cpu-tx must be CPUs 0.." + RelayConfig.MAX_CPU);
        }
        if (threads != 1 && threads != 2) {
            throw new CliException(ExitCodes.USAGE, "--threads " + threads + " is not 1 or 2");
        }
        if (threads == 1 && cpuTx >= 0) {
            throw new CliException(ExitCodes.USAGE, "--cpu-tx pins the TX thread of --threads 2: with one"
                    + " thread use --cpu-rx");
        }
        if (rtcp == RtcpMode.PORT_PLUS_ONE && (rxPort == 65535 || txPort == 65535)) {
            throw new CliException(ExitCodes.USAGE, "RTCP on port + 1 needs ports below 65535: use --rtcp mux or off");
        }
    }

    /** Configures the ring with defaults when it has no memory, starts it when stopped, and says so. */
    private void prepareRing(RingDevice dev, PrintWriter out) {
        RingStats st = dev.stats(ring.ring);
        if (!st.configured()) {
            ConfigureCommand.checkLimits(dev.info(), order, maxPayload);
            RingConfig c = RingConfig.of(ring.ring, order, maxPayload);
            dev.configure(c);
            out.println("ring " + ring.ring + " was not configured: configured " + c.slotCount()
                    + " slots x " + maxPayload + " B (tail drop)");
        }
        if (!dev.stats(ring.ring).running()) {
            dev.start(ring.ring);
            out.println("ring " + ring.ring + " started");
        }
    }

    private static String rtcpText(Relay relay) {
        return switch (relay.config().rtcp()) {
            case PORT_PLUS_ONE -> "on " + relay.rtcpPort() + " -> " + (relay.config().txDestination().getPort() + 1);
            case MUX -> "muxed on the RTP ports";
            case OFF -> "not relayed";
        };
    }

    /**
     * Prints per interval until Ctrl-C, --duration, the relay stops, or the ring is stopped
     * ({@code rtpm stop}: seen within {@link #RING_CHECK_NANOS}, also when no packet flows and the
     * relay itself would not notice); returns the final stats.
     */
    private RelayStats run(RingDevice dev, Relay relay, PrintWriter out, StopSignal signal) {
        boolean terminal = !json && System.console() != null && System.console().isTerminal();
        boolean statusShown = false;
        long start = System.nanoTime();
        long end = duration != null ? start + (long) (duration * 1e9) : Long.MAX_VALUE;
        long step = (long) (interval * 1e9);
        long next = start + step;
        long lastTx = 0;
        long lastAt = start;
        while (relay.isRunning()) {
            long before = System.nanoTime();
            if (signal.await(Math.min(Math.min(next, end), before + RING_CHECK_NANOS) - before)) {
                break;
            }
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            if (!ringRunning(dev)) {
                ringStopped = true;
                break;
            }
            if (now < next) {
                continue;
            }
            next += step;
            RelayStats s = relay.stats();
            double pps = (s.txRtp() - lastTx) / ((now - lastAt) / 1e9);
            lastTx = s.txRtp();
            lastAt = now;
            if (json) {
                out.println(Report.relay(s, pps, false));
                out.flush();
            } else if (terminal) {
                out.print("\r" + Report.statusLine(s, pps) + "\033[K");
                out.flush();
                statusShown = true;
            }
        }
        RelayStats fin = relay.stop(Duration.ofSeconds(2));
        if (statusShown) {
            out.println();
        }
        return fin;
    }

    /**
     * Says on stderr when the kernel gave a socket less buffer than asked: without CAP_NET_ADMIN
     * it clamps SO_RCVBUF/SO_SNDBUF to the sysctl's maximum silently, and a relay then drops
     * bursts that the asked-for size would have held.
     */
    private static void warnClamped(PrintWriter err, String option, int asked, int got, String sysctl) {
        if (asked > 0 && got >= 0 && got < asked) {
            err.println("warning: " + option + " " + asked + ": the kernel gave " + got + " bytes (" + sysctl
                    + "): raise " + sysctl + " (sysctl -w " + sysctl + "=" + asked + "), or run with"
                    + " CAP_NET_ADMIN (AmbientCapabilities=CAP_NET_ADMIN in the unit)");
            err.flush();
        }
    }

    /** @return false once the ring is stopped (or unconfigured); a failed read counts as running */
    private boolean ringRunning(RingDevice dev) {
        try {
            return dev.stats(ring.ring).running();
        } catch (RtpmException e) {
            return true; // the relay's own failure, if any, says what is wrong
        }
    }

    /** sleep, busy. */
    static final class WaitConverter implements CommandLine.ITypeConverter<WaitStrategy> {
        @Override
        public WaitStrategy convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "sleep" -> WaitStrategy.SLEEP;
                case "busy" -> WaitStrategy.BUSY;
                default -> throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a wait strategy: use sleep or busy");
            };
        }
    }
}
