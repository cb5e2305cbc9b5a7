"""Turns the driver's relay-results.json into relay-results.md (tables, headline ratios) and
SVG plots, all in the same folder.

Usage: python3 report.py OUT_DIR [--machine TEXT]
A run of several rounds (run's REPEAT) is reported as the median of the rounds with the min-max
range; a ratio to the best C relay (or to socat) is taken within each round, then its median.
Plots: relay-throughput.svg, relay-latency.svg, relay-warmup.svg (gnuplot; data files in a
temporary folder).
"""

import argparse
import json
import os
import statistics
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


def agg(values, nd=0):
    """One figure over the rounds: the value itself from one round, else its median and the
    min-max range."""
    v = [x for x in values if x is not None]
    if not v:
        return "-"
    if len(v) == 1:
        return fmt(v[0], nd)
    return "%s (%s-%s)" % (fmt(statistics.median(v), nd), fmt(min(v), nd), fmt(max(v), nd))


def spread(values):
    """(median, min, max) of the values that are there, or None."""
    v = [x for x in values if x is not None]
    return (statistics.median(v), min(v), max(v)) if v else None


def rounds_of(r):
    """The rounds of a run; a file from before --repeat is one round."""
    return r.get("rounds") or [dict(round=1, relays=r["relays"], started=r["started"],
                                    finished=r.get("finished", "?"),
                                    loadavg_before=r["loadavg_before"],
                                    loadavg_after=r.get("loadavg_after", []))]


def best_c(rel):
    """The best C relay's figures within one round: the reference of that round's ratios."""
    cs = [rel[n] for n in ("c-mmsg", "c-ring") if n in rel]
    return dict(
        burst=max((c.get("burst_pps") or 0 for c in cs), default=None),
        zero=max((c.get("zero_loss_pps") or 0 for c in cs), default=None),
        p99=min((c["lat_20000"]["p99"] for c in cs if "lat_20000" in c), default=None))


def figure(s, key):
    if key == "burst":
        return s.get("burst_pps")
    if key == "zero":
        return s.get("zero_loss_pps")
    if key == "cpu":
        return s.get("lat_20000", {}).get("cpu_us_per_pkt")
    if key.startswith("lat_"):  # lat_<rate>_<p50|p99|p999|loss>
        _, rate, q = key.split("_")
        return s.get("lat_" + rate, {}).get(q)
    raise ValueError(key)


def per_round(rounds, name, key):
    """The figure of relay name in every round it ran (None where it has none)."""
    return [figure(rd["relays"][name], key) for rd in rounds if name in rd["relays"]]


def round_ratios(rounds, name, key, to="c"):
    """Ratios of name's figure to the best C relay's (or socat's) of the same round: pairs from
    one round share its host conditions, so the ratio is taken per round, then its median."""
    out = []
    for rd in rounds:
        rel = rd["relays"]
        if name not in rel:
            continue
        if to == "socat":
            ref = figure(rel["socat"], key) if "socat" in rel else None
        else:
            ref = best_c(rel)["p99" if key == "lat_20000_p99" else key]
        out.append(ratio(figure(rel[name], key), ref))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--machine", default="")
    a = ap.parse_args()
    r = json.load(open(os.path.join(a.out, "relay-results.json")))
    rounds = rounds_of(r)
    multi = len(rounds) > 1
    ran = set(n for rd in rounds for n in rd["relays"])
    names = [n for n in ORDER if n in ran and n != "rtpm-cold"]
    nrounds = {n: sum(n in rd["relays"] for rd in rounds) for n in ORDER}

    if multi:
        md = ["# Relay load benchmark: %s run, %d rounds (medians)" % (r["mode"], len(rounds)), "",
              "Started %s, finished %s. Load average (1, 5, 15 min) before: %s; after: %s." % (
                  r["started"], r.get("finished", "?"), " ".join(r["loadavg_before"]),
                  " ".join(r.get("loadavg_after", []))), ""]
        md += ["Rounds (every relay a fresh process per measurement; the order shuffled per "
               "round with the seed shown):", ""]
        for rd in rounds:
            md.append("- round %d (seed %s): %s-%s, load %s -> %s; order %s" % (
                rd["round"], r["seed"] + rd["round"], rd["started"][11:19],
                rd["finished"][11:19], rd["loadavg_before"][0],
                (rd.get("loadavg_after") or ["?"])[0], ", ".join(rd["order"])))
        md.append("")
    else:
        md = ["# Relay load benchmark: %s run" % r["mode"], "",
              "Started %s, finished %s. Load average (1, 5, 15 min) before: %s; after: %s." % (
                  r["started"], r.get("finished", "?"), " ".join(r["loadavg_before"]),
                  " ".join(r.get("loadavg_after", []))), ""]
    if a.machine:
        md += ["Machine: %s." % a.machine, ""]
    md += ["172-byte RTP packets on loopback; every figure from a freshly started relay. "
           "Ratios are to the best C relay of the same run%s." % (
               " and round, taken per round; each cell is the median of the rounds with the "
               "min-max range in brackets" if multi else ""), ""]
    md += ["| relay |%s burst pkt/s | x best C | zero-loss pkt/s (< 0.01%%) | x best C | "
           "CPU us/pkt at 20k pkt/s |" % (" rounds |" if multi else ""),
           "|---|%s---|---|---|---|---|" % ("---|" if multi else "")]
    for n in names:
        capped = " (generator ceiling)" if any(
            rd["relays"][n].get("zero_loss_capped") for rd in rounds if n in rd["relays"]) else ""
        md.append("| %s |%s %s | %s | %s%s | %s | %s |" % (
            LABEL[n], " %d |" % nrounds[n] if multi else "",
            agg(per_round(rounds, n, "burst")), agg(round_ratios(rounds, n, "burst"), 2),
            agg(per_round(rounds, n, "zero")), capped, agg(round_ratios(rounds, n, "zero"), 2),
            agg(per_round(rounds, n, "cpu"), 2)))
    for n, why in r.get("not_run", {}).items():
        md.append("| %s | not run: %s | | | | |%s" % (LABEL.get(n, n), why, " |" if multi else ""))
    if multi:
        for x in RATES:
            md += ["", "One-way latency at %s pkt/s (us, exact percentiles of every packet; median "
                   "(min-max) of the rounds) and loss:" % fmt(x), "",
                   "| relay | p50 | p99 | p99.9 | loss % |", "|---|---|---|---|---|"]
            for n in names:
                if not any(per_round(rounds, n, "lat_%d_p99" % x)):
                    continue
                md.append("| %s | %s | %s | %s | %s |" % (
                    LABEL[n], agg(per_round(rounds, n, "lat_%d_p50" % x)),
                    agg(per_round(rounds, n, "lat_%d_p99" % x)),
                    agg(per_round(rounds, n, "lat_%d_p999" % x)),
                    agg([None if v is None else 100 * v
                         for v in per_round(rounds, n, "lat_%d_loss" % x)], 2)))
    else:
        rel = rounds[0]["relays"]
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
        if n not in ran:
            continue

        def line(key, to="c"):
            v = round_ratios(rounds, n, key, to)
            if not multi or all(x is None for x in v):
                return fmt(v[0], 2)
            return "%s (rounds: %s)" % (agg(v, 2), ", ".join(fmt(x, 2) for x in v))
        md += ["", "Headline (%s, cold start%s):" % (
                   LABEL[n], ", ratios of the same round, median of %d" % nrounds[n]
                   if multi else ""), "",
               "- burst throughput: %s x the best C relay; %s x socat" % (
                   line("burst"), line("burst", "socat")),
               "- zero-loss rate: %s x the best C relay; %s x socat" % (
                   line("zero"), line("zero", "socat")),
               "- p99 at 20k pkt/s: %s x the best C relay's" % line("lat_20000_p99")]
    if "rtpm" in ran:
        targets = [("burst throughput >= 0.8x the best C relay", "burst", "c", lambda v: v >= 0.8),
                   ("zero-loss rate >= 0.8x the best C relay", "zero", "c", lambda v: v >= 0.8),
                   ("p99 at 20k pkt/s <= 1.5x the best C relay's", "lat_20000_p99", "c",
                    lambda v: v <= 1.5),
                   ("burst >= 2x socat", "burst", "socat", lambda v: v >= 2),
                   ("zero-loss rate >= 2x socat", "zero", "socat", lambda v: v >= 2)]
        md += ["", "Targets of issue 6 section 4 (rtpm stream's defaults, %s):" % (
                   "the median of the per-round ratios decides" if multi
                   else "one run: this decides nothing"), "",
               "| target | median ratio (min-max) | rounds meeting it | met |" if multi
               else "| target | measured | met |", "|---|---|---|%s" % ("---|" if multi else "")]
        for what, key, to, ok in targets:
            v = [x for x in round_ratios(rounds, "rtpm", key, to) if x is not None]
            med = statistics.median(v) if v else None
            met = "-" if med is None else ("yes" if ok(med) else "no")
            if multi:
                md.append("| %s | %s | %d of %d | %s |" % (what, agg(v, 2), sum(map(ok, v)),
                                                          len(v), met))
            else:
                md.append("| %s | %s | %s |" % (what, fmt(med, 2), met))
    lossy = [p for p in r["points"] if p.get("relay_drops") and p["kind"] in ("sweep", "latency")
             and p["loss"] > 0]
    if lossy:
        md += ["", "Where rtpm stream lost packets in the paced runs (its own counters, from a cold start):",
               "", "| relay |%s run | rate pkt/s | lost at the sink | relay socket drops | relay ring full |"
               " second 0: arrivals short of the rate |" % (" round |" if multi else ""),
               "|---|%s---|---|---|---|---|---|" % ("---|" if multi else "")]
        for p in lossy:
            d = p["relay_drops"]
            first = next((x["n"] for x in p["per_second"] if x["s"] == 0), 0)
            secs = max(1, p["sent"] / max(1, p["rate"]))
            md.append("| %s |%s %s | %s | %s | %s | %s | %s |" % (
                LABEL.get(p["relay"], p["relay"]), " %s |" % p.get("round", 1) if multi else "",
                p["kind"], fmt(p["rate"]),
                fmt(p["sent"] - p["received"]), fmt(d["socket"]), fmt(d["ring_full"]),
                fmt(max(0, min(p["rate"], p["sent"] / secs) - first))))
    warm = warmup(rounds)
    if warm:
        secs = max(s for n in warm for s in warm[n]) + 1
        md += ["", "Per second after the relay bound its port, 5,000 pkt/s (p99 / max, us%s):" % (
                   "; medians of the rounds" if multi else ""), "",
               "| relay | " + " | ".join("s%d" % i for i in range(secs)) + " |",
               "|---|" + "---|" * secs]
        for n in warm:
            by = warm[n]
            md.append("| %s | %s |" % (LABEL[n], " | ".join(
                "%s / %s" % (fmt(by[i]["p99"][0], 0), fmt(by[i]["max"][0], 0)) if i in by else "-"
                for i in range(secs))))
    with open(os.path.join(a.out, "relay-results.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    with tempfile.TemporaryDirectory() as tmp:
        plots(a, r, rounds, names, warm, tmp)


def warmup(rounds):
    """Per relay, per second from the bind: (median, min, max) of p99 and of max over the rounds."""
    out = {}
    for n in ORDER:
        series = [rd["relays"][n]["warmup_5000"] for rd in rounds
                  if "warmup_5000" in rd["relays"].get(n, {})]
        if not series:
            continue
        by = {}
        for ser in series:
            # the last second holds only the stragglers of a run: not a second of traffic
            full = max(x["n"] for x in ser)
            for x in ser:
                if x["n"] >= full / 2:
                    by.setdefault(x["s"], []).append(x)
        out[n] = {s: dict(p99=spread([x["p99"] for x in xs]), max=spread([x["max"] for x in xs]))
                  for s, xs in sorted(by.items())}
    return out


def gnuplot(script):
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


def plots(a, r, rounds, names, warm, tmp):
    out = a.out
    multi = len(rounds) > 1
    what = "%s run%s" % (r["mode"], ", medians of %d rounds, min-max bars" % len(rounds)
                         if multi else "")
    head = ("set terminal svg size 900,480 dynamic font 'sans,12' background '#ffffff'\n"
            "set style data histograms\nset style histogram %s gap 1\n"
            "set style fill solid 0.8 border -1\nset grid ytics\nset key top right\n"
            "set xtics rotate by -20 noenhanced\n" % ("errorbars lw 1" if multi else "clustered"))

    def cols(n, key):
        v = spread(per_round(rounds, n, key)) or (0, 0, 0)
        return " %g %g %g" % v if multi else " %g" % v[0]

    def use(i):  # gnuplot columns of the i-th figure (from 0)
        return "%d:%d:%d" % (2 + 3 * i, 3 + 3 * i, 4 + 3 * i) if multi else "%d" % (2 + i)

    dat = os.path.join(tmp, "throughput.dat")
    with open(dat, "w") as f:
        for n in names:
            f.write('"%s"%s%s\n' % (LABEL[n], cols(n, "burst"), cols(n, "zero")))
    gnuplot(head + "set output '%s'\nset title 'Relay throughput, 172-byte packets, loopback (%s)'\n"
            "set ylabel 'packets/s'\nset format y '%%.0s%%c'\n"
            "plot '%s' using %s:xtic(1) title 'burst throughput', '' using %s title "
            "'highest rate with < 0.01%% loss'\n" % (
                os.path.join(out, "relay-throughput.svg"), what, dat, use(0), use(1)))
    if not any(per_round(rounds, n, "lat_%d_p99" % x) for n in names for x in RATES):
        return  # a run without the latency part (PARTS)
    dat = os.path.join(tmp, "latency.dat")
    with open(dat, "w") as f:
        for n in names:
            f.write('"%s"%s\n' % (LABEL[n], "".join(cols(n, "lat_%d_p99" % x) for x in RATES)))
    gnuplot(head + "set output '%s'\nset title 'One-way latency p99 at fixed rates (%s)'\n"
            "set ylabel 'p99 latency, us (log)'\nset logscale y\n"
            "plot '%s' using %s:xtic(1) title '2k pkt/s', '' using %s title '20k pkt/s', "
            "'' using %s title '100k pkt/s'\n" % (
                os.path.join(out, "relay-latency.svg"), what, dat, use(0), use(1), use(2)))
    if warm:
        lines = []
        for n in warm:
            dat = os.path.join(tmp, "warmup-%s.dat" % n)
            with open(dat, "w") as f:
                for s, x in warm[n].items():
                    f.write("%d %g %g %g\n" % ((s,) + x["p99"]))
            lines.append("'%s' using 1:2%s with %s lw 2 title '%s p99'" % (
                dat, ":3:4" if multi else "", "yerrorlines" if multi else "linespoints", LABEL[n]))
        gnuplot("set terminal svg size 900,480 dynamic font 'sans,12' background '#ffffff'\n"
                "set output '%s'\nset title 'Cold start: p99 latency per second at 5,000 pkt/s "
                "(%s)'\nset xlabel 'second after the relay bound its port'\n"
                "set ylabel 'p99 latency, us (log)'\nset logscale y\nset grid\nset key top right\n"
                "plot %s\n" % (os.path.join(out, "relay-warmup.svg"), what, ", ".join(lines)))


if __name__ == "__main__":
    main()
