#!/usr/bin/env python3
"""Turns a JMH JSON result (-rf json) of io.rtpm.bench.ring and io.rtpm.bench.rtp into the
markdown tables of docs/perf/micro.md (stdout) and a bar chart (SVG, no plotting library needed).

Usage: micro-report.py RESULT.json CHART.svg
"""
import json
import math
import sys


def short(bench):
    cls, method = bench.split(".")[-2:]
    return cls, method


def metric(r, name):
    m = r.get("secondaryMetrics", {}).get(name)
    return None if m is None else m["score"]


def fmt_rate(v):
    return "-" if v is None else f"{v:,.0f}"


def fmt_bytes(v):
    return "-" if v is None else f"{v:.3f}"


def main(src, svg):
    results = json.load(open(src))
    rows = {}
    for r in results:
        cls, method = short(r["benchmark"])
        params = r.get("params") or {}
        key = method + "".join(f" ({k}={v})" for k, v in sorted(params.items()))
        rows[(cls, key)] = r

    out = []
    round_trip = {k: r for (c, k), r in rows.items() if c == "RoundTripBench"}
    spsc = {k: r for (c, k), r in rows.items() if c == "SpscBench"}
    rate = lambda r: r and r["primaryMetric"]["score"]
    popped = lambda r: r and metric(r, "popped")
    ring_table(out, round_trip, rate,
               "One thread: claim, write, push, pop, read, release (packets/s)")
    ring_table(out, spsc, popped,
               "Producer thread + consumer thread (packets/s popped; no waiting, busy retries)")
    w = spsc.get("rtpmAwait")
    if w:
        out.insert(len(out) - 1, f"| rtpm, sleeping waits (2-slot ring, await before every step) | "
                   f"{fmt_rate(metric(w, 'popped'))} | - | {fmt_bytes(metric(w, 'gc.alloc.rate.norm'))} | - |")
    rtp = {(c, k): r for (c, k), r in rows.items() if c in ("RtpParseBench", "StatsBench")}
    if rtp:
        out.append("### RTP stack (operations/s, one packet each)\n")
        out.append("| benchmark | ops/s | B/op |")
        out.append("|---|---|---|")
        for (c, k), r in sorted(rtp.items()):
            out.append(f"| {c}.{k} | {fmt_rate(r['primaryMetric']['score'])} | "
                       f"{fmt_bytes(metric(r, 'gc.alloc.rate.norm'))} |")
        out.append("")
    print("\n".join(out))

    bars = []
    for ring in ("rtpm", "agrona", "jctools"):
        for shape in ("Single", "Batch"):
            r = round_trip.get(ring + shape)
            if r:
                bars.append((f"one thread, {ring} {shape.lower()}", r["primaryMetric"]["score"]))
    for ring in ("rtpm", "agrona", "jctools"):
        for shape in ("Single", "Batch"):
            r = spsc.get(ring + shape)
            if r and metric(r, "popped"):
                bars.append((f"two threads, {ring} {shape.lower()}", metric(r, "popped")))
    write_svg(svg, bars)


def ring_table(out, rows, value, title):
    """One table: a row per ring, single and batch, with the gc profiler's B/op."""
    if not rows:
        return
    out.append(f"### {title}\n")
    out.append("| ring | single | batch (32) | B/op single | B/op batch |")
    out.append("|---|---|---|---|---|")
    for ring in ("rtpm", "agrona", "jctools"):
        s, b = rows.get(ring + "Single"), rows.get(ring + "Batch")
        if s or b:
            out.append(f"| {ring} | {fmt_rate(value(s))} | {fmt_rate(value(b))} | "
                       f"{fmt_bytes(s and metric(s, 'gc.alloc.rate.norm'))} | "
                       f"{fmt_bytes(b and metric(b, 'gc.alloc.rate.norm'))} |")
    out.append("")


def write_svg(path, bars):
    """Horizontal bars on a log scale: the rates span two orders of magnitude."""
    if not bars:
        return
    left, width, row = 230, 460, 22
    lo = 10 ** math.floor(math.log10(min(v for _, v in bars)))
    hi = 10 ** math.ceil(math.log10(max(v for _, v in bars)))
    scale = lambda v: left + width * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
    h = 40 + row * len(bars) + 30
    s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 120}" height="{h}" '
         'font-family="sans-serif" font-size="12">',
         f'<text x="{left}" y="18" font-weight="bold">packets/s, log scale (rtpm-bench io.rtpm.bench.ring)</text>']
    for i, (label, v) in enumerate(bars):
        y = 30 + i * row
        colour = "#d9534f" if "rtpm" in label else "#5b8def" if "agrona" in label else "#5cb85c"
        s.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{label}</text>')
        s.append(f'<rect x="{left}" y="{y + 3}" width="{scale(v) - left:.1f}" height="{row - 6}" fill="{colour}"/>')
        s.append(f'<text x="{scale(v) + 4:.1f}" y="{y + 14}">{v / 1e6:.2f} M</text>')
    y = 30 + len(bars) * row + 4
    d = lo
    while d <= hi:
        s.append(f'<line x1="{scale(d):.1f}" y1="30" x2="{scale(d):.1f}" y2="{y}" stroke="#ccc"/>')
        s.append(f'<text x="{scale(d):.1f}" y="{y + 14}" text-anchor="middle">{d:,.0f}</text>')
        d *= 10
    s.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(s) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: micro-report.py RESULT.json CHART.svg")
    main(sys.argv[1], sys.argv[2])
