package io.rtpm.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.rtpm.ffm.RingStats;
import io.rtpm.relay.RelayStats;
import io.rtpm.relay.SourceReport;

/** How stats are printed: text, one JSON object (NDJSON), a status line, Prometheus text. */
final class Report {

    private Report() {
    }

    static Json ring(RingStats s) {
        return Json.object().put("ring", s.ringId()).put("configured", s.configured())
                .put("running", s.running()).put("slots", s.slotCount()).put("pushed", s.pushed())
                .put("popped", s.popped()).put("released", s.released()).put("bytes_in", s.bytesIn())
                .put("bytes_out", s.bytesOut()).put("overruns", s.overruns()).put("drops", s.drops())
                .put("head_drops", s.headDrops()).put("flushed", s.flushed())
                .put("reclaimed", s.reclaimed()).put("aborted", s.aborted())
                .put("underruns", s.underruns()).put("rtp_lost", s.rtpLost())
                .put("rtp_duplicates", s.rtpDuplicates()).put("rtp_reorders", s.rtpReorders())
                .put("rtp_resets", s.rtpResets()).put("rtp_not_rtp", s.rtpNotRtp())
                .put("invalid", s.invalid()).put("free", s.free()).put("filling", s.filling())
                .put("ready", s.ready()).put("in_flight", s.inFlight())
                .put("rtp_ssrc", String.format("%08x", s.rtpSsrc())).put("sessions", s.sessions())
                .put("mappings", s.mappings());
    }

    /**
     * A ring's state as {@code rtpm stats --json} prints it, with the backend: what configure,
     * start and stop print with {@code --json} after they acted.
     */
    static Json ringState(io.rtpm.ffm.RingDevice dev, int ringId) {
        return ring(dev.stats(ringId)).put("backend", dev.backend().name().toLowerCase(java.util.Locale.ROOT));
    }

    static List<String> ringText(RingStats s) {
        List<String> l = new ArrayList<>();
        if (!s.configured()) {
            l.add("ring " + s.ringId() + ": not configured (rtpm configure, or rtpm stream)");
            return l;
        }
        l.add("ring " + s.ringId() + ": " + (s.running() ? "running" : "stopped") + ", " + s.slotCount()
                + " slots (free " + s.free() + ", filling " + s.filling() + ", ready " + s.ready()
                + ", in flight " + s.inFlight() + "), " + s.sessions() + " sessions");
        l.add(String.format(Locale.ROOT, "  packets  pushed %d  popped %d  released %d  bytes in %d out %d",
                s.pushed(), s.popped(), s.released(), s.bytesIn(), s.bytesOut()));
        l.add(String.format(Locale.ROOT, "  loss     overruns %d  drops %d  head drops %d  flushed %d"
                + "  reclaimed %d  aborted %d  underruns %d  invalid %d", s.overruns(), s.drops(),
                s.headDrops(), s.flushed(), s.reclaimed(), s.aborted(), s.underruns(), s.invalid()));
        l.add(String.format(Locale.ROOT, "  rtp      ssrc %08x  lost %d  duplicates %d  reorders %d"
                + "  resets %d  not rtp %d", s.rtpSsrc(), s.rtpLost(), s.rtpDuplicates(),
                s.rtpReorders(), s.rtpResets(), s.rtpNotRtp()));
        return l;
    }

    static Json source(SourceReport s) {
        return Json.object().put("ssrc", s.ssrcHex()).put("received", s.received())
                .put("expected", s.expected()).put("lost", s.lost()).put("duplicates", s.duplicates())
                .put("reordered", s.reordered()).put("jitter", s.jitter())
                .put("jitter_ms", s.jitterMillis());
    }

    static Json relay(RelayStats s, double pps, boolean summary) {
        List<Json> sources = new ArrayList<>();
        for (SourceReport r : s.sources()) {
            sources.add(source(r));
        }
        return Json.object().put("type", summary ? "summary" : "interval")
                .put("uptime_s", s.uptimeNanos() / 1e9).put("pps", pps)
                .put("rx_rtp", s.rxRtp()).put("rx_rtcp", s.rxRtcp()).put("rx_bytes", s.rxBytes())
                .put("tx_rtp", s.txRtp()).put("tx_rtcp", s.txRtcp()).put("tx_bytes", s.txBytes())
                .put("filtered", s.filtered()).put("invalid", s.invalid())
                .put("truncated", s.truncated()).put("ring_full", s.ringFull())
                .put("socket_drops", s.socketDrops()).put("expired", s.expired())
                .put("send_errors", s.sendErrors()).put("rtp_lost", s.rtpLost())
                .put("jitter_ms", s.maxJitterMillis())
                .put("latched", s.latchedSource() != null ? s.latchedSource().toString() : null)
                .put("sources", sources).put("ring_stats", ring(s.ring()));
    }

    static String statusLine(RelayStats s, double pps) {
        return String.format(Locale.ROOT, "%7.0f pkt/s  rx %d  tx %d  rtcp %d/%d  drops %d  lost %d"
                + "  jitter %.2f ms  ring %d/%d", pps, s.rxRtp(), s.txRtp(), s.rxRtcp(), s.txRtcp(),
                s.dropped(), s.rtpLost(), s.maxJitterMillis(), s.ring().ready(), s.ring().slotCount());
    }

    static List<String> summary(RelayStats s) {
        List<String> l = new ArrayList<>();
        double secs = s.uptimeNanos() / 1e9;
        l.add(String.format(Locale.ROOT, "relayed %d RTP + %d RTCP packets (%s) in %.1f s",
                s.txRtp(), s.txRtcp(), Describe.bytes(s.txBytes()), secs));
        l.add(String.format(Locale.ROOT, "received %d RTP + %d RTCP; dropped: filtered %d, invalid %d,"
                + " truncated %d, ring full %d, socket %d, expired %d, send errors %d", s.rxRtp(),
                s.rxRtcp(), s.filtered(), s.invalid(), s.truncated(), s.ringFull(), s.socketDrops(),
                s.expired(), s.sendErrors()));
        for (SourceReport r : s.sources()) {
            l.add(String.format(Locale.ROOT, "ssrc %s: received %d, lost %d, duplicates %d,"
                    + " reordered %d, jitter %.2f ms", r.ssrcHex(), r.received(), Math.max(0, r.lost()),
                    r.duplicates(), r.reordered(), r.jitterMillis()));
        }
        return l;
    }

    /** The Prometheus text exposition format (version 0.0.4). */
    static String prometheus(RelayStats s, int ring) {
        StringBuilder b = new StringBuilder();
        String lbl = "{ring=\"" + ring + "\"}";
        counter(b, "rtpm_rx_packets_total", "Packets received and pushed into the ring.",
                "{ring=\"" + ring + "\",kind=\"rtp\"}", s.rxRtp());
        b.append("rtpm_rx_packets_total{ring=\"").append(ring).append("\",kind=\"rtcp\"} ")
                .append(s.rxRtcp()).append('\n');
        counter(b, "rtpm_tx_packets_total", "Packets sent.", "{ring=\"" + ring + "\",kind=\"rtp\"}", s.txRtp());
        b.append("rtpm_tx_packets_total{ring=\"").append(ring).append("\",kind=\"rtcp\"} ")
                .append(s.txRtcp()).append('\n');
        counter(b, "rtpm_rx_bytes_total", "Bytes received.", lbl, s.rxBytes());
        counter(b, "rtpm_tx_bytes_total", "Bytes sent.", lbl, s.txBytes());
        b.append("# HELP rtpm_dropped_packets_total Packets not relayed, by reason.\n");
        b.append("# TYPE rtpm_dropped_packets_total counter\n");
        long[] v = {s.filtered(), s.invalid(), s.truncated(), s.ringFull(), s.socketDrops(),
            s.expired(), s.hookDropped(), s.hookErrors(), s.sendErrors()};
        String[] reason = {"filtered", "invalid", "truncated", "ring_full", "socket_buffer",
            "expired", "hook", "hook_error", "send_error"};
        for (int i = 0; i < v.length; i++) {
            b.append("rtpm_dropped_packets_total{ring=\"").append(ring).append("\",reason=\"")
                    .append(reason[i]).append("\"} ").append(v[i]).append('\n');
        }
        counter(b, "rtpm_ring_pushed_total", "Slots pushed into the ring.", lbl, s.ring().pushed());
        counter(b, "rtpm_ring_overruns_total", "Claims that found the ring full.", lbl, s.ring().overruns());
        gauge(b, "rtpm_ring_ready_slots", "Slots waiting to be sent.", lbl, s.ring().ready());
        b.append("# HELP rtpm_rtp_lost_packets RTP packets lost per source (RFC 3550 A.3).\n");
        b.append("# TYPE rtpm_rtp_lost_packets gauge\n");
        for (SourceReport r : s.sources()) {
            b.append("rtpm_rtp_lost_packets{ring=\"").append(ring).append("\",ssrc=\"")
                    .append(r.ssrcHex()).append("\"} ").append(Math.max(0, r.lost())).append('\n');
        }
        b.append("# HELP rtpm_rtp_jitter_seconds Interarrival jitter per source (RFC 3550 A.8).\n");
        b.append("# TYPE rtpm_rtp_jitter_seconds gauge\n");
        for (SourceReport r : s.sources()) {
            b.append("rtpm_rtp_jitter_seconds{ring=\"").append(ring).append("\",ssrc=\"")
                    .append(r.ssrcHex()).append("\"} ")
                    .append(r.clockRate() > 0 ? r.jitterMillis() / 1000.0 : 0).append('\n');
        }
        return b.toString();
    }

    private static void counter(StringBuilder b, String name, String help, String labels, long v) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" counter\n");
        b.append(name).append(labels).append(' ').append(v).append('\n');
    }

    private static void gauge(StringBuilder b, String name, String help, String labels, long v) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
        b.append(name).append(labels).append(' ').append(v).append('\n');
    }
}
