"""Where a relay's slow packets come from, in time (started by `run trace`; diagnostics only).

One latency point as the full run measures it (a fresh relay, RATE pkt/s for SECS), with the sink
writing every packet's send and arrival time (SINK_TRACE) and, for the rtpm variants, the JVM
logging GC pauses, safepoints, JIT compilations and deoptimisations with wall-clock
milliseconds. Prints, per window of WINDOW ms from the first packet sent, the packets slower
than SLOW us, the window's p99 and max, what the JVM logged in that window (compilations of
rtpm's code and of the JDK's apart: a C2 compilation of any method takes a core of the two), the
times of rtpm's status lines, and with TRACE_THREADS=1 the CPU time the relay's threads other
than its relay thread ran in the window and how long the relay thread waited for a CPU while
runnable (schedstat of /proc/PID/task sampled every 5 ms: a compiler or GC thread busy beside
the relay shows; the sampling takes CPU itself, so it is off by default). Files are kept in the
output folder (trace-RELAY-*.txt/log).
"""

import argparse
import collections
import json
import os
import re
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import driver  # noqa: E402


def watch(path, stamps, stop):
    """Notes the wall-clock time each new line of path appears (rtpm's status lines; polled
    every 2 ms, so within ~2 ms)."""
    size = 0
    while not stop.is_set():
        try:
            n = os.path.getsize(path)
        except OSError:
            n = 0
        if n > size:
            stamps.append(time.time_ns())
            size = n
        time.sleep(0.002)


def thread_times(pid, names):
    """{thread name: [ns on a CPU, ns runnable but waiting for one]} of every thread of pid
    (/proc/PID/task/TID/schedstat; threads of the same name summed). names caches each tid's
    name across calls (one file read a thread and sample fewer)."""
    out = {}
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return out
    for tid in tids:
        try:
            if tid not in names:
                with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                    names[tid] = f.read().strip()
            name = names[tid]
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                run, wait = (int(v) for v in f.read().split()[:2])
        except (OSError, ValueError):
            continue
        t = out.setdefault(name, [0, 0])
        t[0] += run
        t[1] += wait
    return out


def sample_threads(pid, samples, stop):
    """Appends (wall ns, thread_times) every 5 ms until stop (or the process is gone)."""
    names = {}
    while not stop.is_set():
        t = thread_times(pid, names)
        if not t:
            return
        samples.append((time.time_ns(), t))
        time.sleep(0.005)


def thread_windows(samples, t0, window_ms, relay_prefix="rtpm-relay"):
    """{window: text}: how long the relay thread waited for a CPU while runnable in the window,
    and the threads of the same process that ran in it (ms, most first). The relay threads are
    rtpm's (named relay_prefix...) or, in a process without them (a C relay), every thread."""
    names = {n for _, t in samples for n in t}
    if not any(n.startswith(relay_prefix) for n in names):
        relay_prefix = ""
    relay_wait = collections.Counter()
    relay_run = collections.Counter()
    others = collections.defaultdict(collections.Counter)
    for (_, a), (ns, b) in zip(samples, samples[1:]):
        w = int((ns - t0) / 1e6 // window_ms)
        for name, (run, wait) in b.items():
            before = a.get(name, (0, 0))
            if name.startswith(relay_prefix):
                relay_wait[w] += (wait - before[1]) / 1e6
                relay_run[w] += (run - before[0]) / 1e6
            elif run > before[0]:
                others[w][name] += (run - before[0]) / 1e6
    out = {}
    for w in set(relay_wait) | set(others):
        parts = ["relay thread ran %.1f, waited for a CPU %.1f" % (relay_run[w], relay_wait[w])]
        top = [(n, ms) for n, ms in others[w].most_common(3) if ms >= 0.5]
        if top:
            parts.append("others ran " + ", ".join("%s %.1f" % t for t in top))
        out[w] = "; ".join(parts)
    return out


def windows(trace, jvm_log, window_ms, slow_us, lines=(), samples=()):
    rows = [tuple(map(int, l.split())) for l in open(trace)]
    t0 = min(r[1] for r in rows)
    bins = collections.defaultdict(list)
    for _, snd, rx in rows:
        bins[int((snd - t0) / 1e6 // window_ms)].append((rx - snd) / 1e3)
    events = collections.defaultdict(collections.Counter)
    sp_us = collections.Counter()
    if jvm_log and os.path.exists(jvm_log):
        for line in open(jvm_log):
            m = re.match(r"\[(\d+)ms\]\[\w+\s*\]\[([\w,]+)\s*\] ?(.*)", line)
            if not m:
                continue
            ms, tags, msg = int(m.group(1)), m.group(2), m.group(3)
            b = int((ms * 1e6 - t0) / 1e6 // window_ms)
            if tags.startswith("safepoint"):
                t = re.search(r"Total: (\d+) ns", msg)
                events[b]["safepoint"] += 1
                sp_us[b] += int(t.group(1)) / 1e3 if t else 0
            elif tags.startswith("gc") and "Pause" in msg:
                events[b]["gc pause"] += 1
            elif tags.startswith("jit"):
                # one line per compilation, when it is installed; "... 4 java.lang.Foo::bar ..."
                tier = re.search(r"\s([0-4])\s+([\w.$]+)::", msg)
                if tier:
                    events[b]["%s compiled (tier %s)" % (
                        "rtpm" if tier.group(2).startswith("io.rtpm") else "JDK",
                        "4" if tier.group(1) == "4" else "1-3")] += 1
            elif tags.startswith("deoptimization") and "io.rtpm" in msg:
                events[b]["rtpm deoptimised"] += 1
    for ns in lines:
        events[int((ns - t0) / 1e6 // window_ms)]["status line"] += 1
    for w, text in thread_windows(samples, t0, window_ms).items():
        events[w]["threads ms"] = text
    lat = sorted(v for vs in bins.values() for v in vs)
    print("%d packets, p99 %.0f us, %d slower than %.0f us" % (
        len(lat), lat[int(0.99 * len(lat))], sum(v > slow_us for v in lat), slow_us))
    print("window (ms from the first send) | packets | slower than %.0f us | p99 us | max us | "
          "JVM, that window" % slow_us)
    for b in sorted(bins):
        vs = sorted(bins[b])
        slow = sum(v > slow_us for v in vs)
        ev = dict(events.get(b, {}))
        if sp_us[b]:
            ev["safepoint us"] = round(sp_us[b])
        if slow or any(k not in ("safepoint", "threads ms") for k in ev):
            print("%6.0f | %6d | %6d | %8.0f | %8.0f | %s" % (
                b * window_ms, len(vs), slow, vs[int(0.99 * len(vs))], vs[-1], ev or ""))
    if len(samples) > 1:
        # per thread, the last sample that has it (threads end before the process does)
        first, last = samples[0][1], {}
        for _, t in samples:
            last.update(t)
        used = {n: ((r - first.get(n, (0, 0))[0]) / 1e6, (w - first.get(n, (0, 0))[1]) / 1e6)
                for n, (r, w) in last.items()}
        print("over the run, ms on a CPU (waiting for one) per thread of the relay process: "
              + ", ".join("%s %.0f (%.0f)" % (n, r, w)
                          for n, (r, w) in sorted(used.items(), key=lambda kv: -kv[1][0])
                          if r >= 1))
    return t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--relay", default="rtpm")
    ap.add_argument("--rate", type=int, default=100000)
    ap.add_argument("--secs", type=float, default=5.0)
    ap.add_argument("--window-ms", type=float, default=50)
    ap.add_argument("--slow-us", type=float, default=2000)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--java", required=True)
    ap.add_argument("--rtpm-path", required=True)
    ap.add_argument("--rtpm-opt", action="append", default=[], dest="rtpm_opts")
    ap.add_argument("--rtpm-jvm-opt", action="append", default=[], dest="rtpm_jvm_opts")
    ap.add_argument("--launcher-jvm-opt", action="append", default=[], dest="launcher_jvm_opts")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    tag = "%s-%d" % (a.relay, a.rate)
    trace = os.path.join(a.out, "trace-%s.txt" % tag)
    jvm_log = os.path.join(a.out, "trace-%s-jvm.log" % tag)
    os.environ["SINK_TRACE"] = trace  # the sink inherits it
    if a.relay in driver.RTPM_RELAYS:
        a.rtpm_jvm_opts = a.rtpm_jvm_opts + [
            "-Xlog:gc*,safepoint,jit+compilation=debug,deoptimization=debug:file=%s:"
            "timemillis,level,tags" % jvm_log]
    a.mode, a.parts = "full", "latency"
    b = driver.Bench(a)
    stamps, samples, stop = [], [], threading.Event()
    start_relay = b.start_relay

    def start_and_watch(name, rx, tx):
        got = start_relay(name, rx, tx)
        if name in driver.RTPM_RELAYS:
            threading.Thread(target=watch, args=(b.relay_out, stamps, stop), daemon=True).start()
        if got[1] and os.environ.get("TRACE_THREADS") == "1":
            threading.Thread(target=sample_threads, args=(got[1], samples, stop),
                             daemon=True).start()
        return got
    b.start_relay = start_and_watch
    try:
        r = b.point(a.relay, a.rate, int(a.rate * a.secs), "trace")
    finally:
        stop.set()
    json.dump(r, open(os.path.join(a.out, "trace-%s.json" % tag), "w"), indent=1)
    windows(trace, jvm_log if a.relay in driver.RTPM_RELAYS else None, a.window_ms, a.slow_us,
            stamps, samples)


if __name__ == "__main__":
    main()
