"""Turns the driver's relay-results.json into relay-results.md (tables, headline ratios) and
SVG plots, all in the same folder.

Usage: python3 report.py OUT_DIR [--machine TEXT]
Plots: relay-throughput.svg, relay-latency.svg, relay-warmup.svg (gnuplot; data files in a
temporary folder).
"""

import argparse
import json
import os
import subprocess
import tempfile

ORDER = ["direct", "c-mmsg", "c-ring", "rtpm", "rtpm-2t", "rtpm-c1", "rtpm-c1-aot", "rtpm-c2",
         "rtpm-cold", "nio", "socat", "rtpengine"]
LABEL = {
    "direct": "no relay (gen -> sink)",
    "c-mmsg": "C recvmmsg/sendmmsg, 1 thread",
    "c-ring": "C RX -> SPSC ring -> TX",
    "rtpm": "rtpm stream (user-space ring, 1 thread)",
    "rtpm-2t": "rtpm stream --threads 2",
    "rtpm-c1": "rtpm stream, JVM with C1 only",
    "rtpm-c1-aot": "rtpm stream, C1 only, AOT cache",
    "rtpm-c2": "rtpm stream, tiered JIT (C2), AOT cache",
    "rtpm-cold": "rtpm stream --warm-up 0",
    "nio": "Java NIO DatagramChannel",
    "socat": "socat",
    "rtpengine": "rtpengine (user space)",
}
RATES = [2000, 20000, 100000]


def fmt(v, nd=0):
    return "-" if v is None else ("{:,.%df}" % nd).format(v)


def ratio(a, b):
    return None if a is None or not b else a / b


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--machine", default="")
    a = ap.parse_args()
    r = json.load(open(os.path.join(a.out, "relay-results.json")))
    rel = r["relays"]
    names = [n for n in ORDER if n in rel and n != "rtpm-cold"]
    cs = [rel[n] for n in ("c-mmsg", "c-ring") if n in rel]
    best_burst = max((c.get("burst_pps") or 0 for c in cs), default=None)
    best_zero = max((c.get("zero_loss_pps") or 0 for c in cs), default=None)
    best_p99 = min((c["lat_20000"]["p99"] for c in cs if "lat_20000" in c), default=None)

    md = ["# Relay load benchmark: %s run" % r["mode"], "",
          "Started %s, finished %s. Load average (1, 5, 15 min) before: %s; after: %s." % (
              r["started"], r.get("finished", "?"), " ".join(r["loadavg_before"]),
              " ".join(r.get("loadavg_after", []))), ""]
    if a.machine:
        md += ["Machine: %s." % a.machine, ""]
    md += ["172-byte RTP packets on loopback; every figure from a freshly started relay. "
           "Ratios are to the best C relay of the same run.", "",
           "| relay | burst pkt/s | x best C | zero-loss pkt/s (< 0.01%) | x best C | "
           "CPU us/pkt at 20k pkt/s |", "|---|---|---|---|---|---|"]
    for n in names:
        s = rel[n]
        lat = s.get("lat_20000", {})
        capped = " (generator ceiling)" if s.get("zero_loss_capped") else ""
        md.append("| %s | %s | %s | %s%s | %s | %s |" % (
            LABEL[n], fmt(s.get("burst_pps")), fmt(ratio(s.get("burst_pps"), best_burst), 2),
            fmt(s.get("zero_loss_pps")), capped, fmt(ratio(s.get("zero_loss_pps"), best_zero), 2),
            fmt(lat.get("cpu_us_per_pkt"), 2)))
    for n, why in r.get("not_run", {}).items():
        md.append("| %s | not run: %s | | | | |" % (LABEL.get(n, n), why))
    md += ["", "One-way latency (us, exact percentiles of every packet) and loss at fixed rates:", "",
           "| relay | " + " | ".join("%dk p50 / p99 / p99.9 (loss)" % (x // 1000) for x in RATES) + " |",
           "|---|" + "---|" * len(RATES)]
    for n in names:
        cells = []
        for x in RATES:
            l = rel[n].get("lat_%d" % x)
            cells.append("-" if not l else "%s / %s / %s (%.2f%%)" % (
                fmt(l["p50"], 0), fmt(l["p99"], 0), fmt(l["p999"], 0), 100 * l["loss"]))
        md.append("| %s | %s |" % (LABEL[n], " | ".join(cells)))
    for n in ("rtpm", "rtpm-2t", "rtpm-c1", "rtpm-c1-aot", "rtpm-c2"):
        if n not in rel:
            continue
        s = rel[n]
        soc = rel.get("socat", {})
        md += ["", "Headline (%s, cold start):" % LABEL[n], "",
               "- burst throughput: %s x the best C relay; %s x socat" % (
                   fmt(ratio(s.get("burst_pps"), best_burst), 2),
                   fmt(ratio(s.get("burst_pps"), soc.get("burst_pps")), 2)),
               "- zero-loss rate: %s x the best C relay; %s x socat" % (
                   fmt(ratio(s.get("zero_loss_pps"), best_zero), 2),
                   fmt(ratio(s.get("zero_loss_pps"), soc.get("zero_loss_pps")), 2)),
               "- p99 at 20k pkt/s: %s x the best C relay's" % fmt(
                   ratio(s.get("lat_20000", {}).get("p99"), best_p99), 2)]
    lossy = [p for p in r["points"] if p.get("relay_drops") and p["kind"] in ("sweep", "latency")
             and p["loss"] > 0]
    if lossy:
        md += ["", "Where rtpm stream lost packets in the paced runs (its own counters, from a cold start):",
               "", "| relay | run | rate pkt/s | lost at the sink | relay socket drops | relay ring full |"
               " second 0: arrivals short of the rate |", "|---|---|---|---|---|---|---|"]
        for p in lossy:
            d = p["relay_drops"]
            first = next((x["n"] for x in p["per_second"] if x["s"] == 0), 0)
            secs = max(1, p["sent"] / max(1, p["rate"]))
            md.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                LABEL.get(p["relay"], p["relay"]), p["kind"], fmt(p["rate"]),
                fmt(p["sent"] - p["received"]), fmt(d["socket"]), fmt(d["ring_full"]),
                fmt(max(0, min(p["rate"], p["sent"] / secs) - first))))
    warm = [n for n in ORDER if n in rel and "warmup_5000" in rel[n]]
    if warm:
        # the last second holds only the stragglers of a run: not a second of traffic
        for n in warm:
            full = max(x["n"] for x in rel[n]["warmup_5000"])
            rel[n]["warmup_5000"] = [x for x in rel[n]["warmup_5000"] if x["n"] >= full / 2]
        secs = max(x["s"] for n in warm for x in rel[n]["warmup_5000"]) + 1
        md += ["", "Per second after the relay bound its port, 5,000 pkt/s (p99 / max, us):", "",
               "| relay | " + " | ".join("s%d" % i for i in range(secs)) + " |",
               "|---|" + "---|" * secs]
        for n in warm:
            by = {x["s"]: x for x in rel[n]["warmup_5000"]}
            md.append("| %s | %s |" % (LABEL[n], " | ".join(
                "%s / %s" % (fmt(by[i]["p99"], 0), fmt(by[i]["max"], 0)) if i in by else "-"
                for i in range(secs))))
    with open(os.path.join(a.out, "relay-results.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    with tempfile.TemporaryDirectory() as tmp:
        plots(a, r, names, tmp)


def gnuplot(script):
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


def plots(a, r, names, tmp):
    rel = r["relays"]
    out = a.out
    head = ("set terminal svg size 900,480 dynamic font 'sans,12' background '#ffffff'\n"
            "set style data histograms\nset style histogram clustered gap 1\n"
            "set style fill solid 0.8 border -1\nset grid ytics\nset key top right\n"
            "set xtics rotate by -20 noenhanced\n")
    dat = os.path.join(tmp, "throughput.dat")
    with open(dat, "w") as f:
        for n in names:
            s = rel[n]
            f.write('"%s" %d %d\n' % (LABEL[n], s.get("burst_pps") or 0, s.get("zero_loss_pps") or 0))
    gnuplot(head + "set output '%s'\nset title 'Relay throughput, 172-byte packets, loopback (%s run)'\n"
            "set ylabel 'packets/s'\nset format y '%%.0s%%c'\n"
            "plot '%s' using 2:xtic(1) title 'burst throughput', '' using 3 title "
            "'highest rate with < 0.01%% loss'\n" % (
                os.path.join(out, "relay-throughput.svg"), r["mode"], dat))
    if not any(rel[n].get("lat_%d" % x) for n in names for x in RATES):
        return  # a run without the latency part (PARTS)
    dat = os.path.join(tmp, "latency.dat")
    with open(dat, "w") as f:
        for n in names:
            f.write('"%s"' % LABEL[n])
            for x in RATES:
                l = rel[n].get("lat_%d" % x)
                f.write(" %g" % (l["p99"] if l else 0))
            f.write("\n")
    gnuplot(head + "set output '%s'\nset title 'One-way latency p99 at fixed rates (%s run)'\n"
            "set ylabel 'p99 latency, us (log)'\nset logscale y\n"
            "plot '%s' using 2:xtic(1) title '2k pkt/s', '' using 3 title '20k pkt/s', "
            "'' using 4 title '100k pkt/s'\n" % (
                os.path.join(out, "relay-latency.svg"), r["mode"], dat))
    warm = [n for n in ORDER if n in rel and "warmup_5000" in rel[n]]
    if warm:
        lines = []
        for n in warm:
            dat = os.path.join(tmp, "warmup-%s.dat" % n)
            with open(dat, "w") as f:
                for x in rel[n]["warmup_5000"]:
                    f.write("%d %g %g\n" % (x["s"], x["p99"], x["max"]))
            lines.append("'%s' using 1:2 with linespoints lw 2 title '%s p99'" % (dat, LABEL[n]))
        gnuplot("set terminal svg size 900,480 dynamic font 'sans,12' background '#ffffff'\n"
                "set output '%s'\nset title 'Cold start: p99 latency per second at 5,000 pkt/s "
                "(%s run)'\nset xlabel 'second after the relay bound its port'\n"
                "set ylabel 'p99 latency, us (log)'\nset logscale y\nset grid\nset key top right\n"
                "plot %s\n" % (os.path.join(out, "relay-warmup.svg"), r["mode"], ", ".join(lines)))


if __name__ == "__main__":
    main()
