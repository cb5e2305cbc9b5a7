#!/usr/bin/env python3
"""calls-load's driver: for a relay definition (a command that sets up N calls and writes the
calls file, README.md), runs gen and sink against it and judges or reports the run.

Modes (see README.md): point (one measurement), bisect (the largest N carried with 0 loss and
p99 <= 5 ms, to +-50 calls, per thread count, plus the fixed points), check (the exact smoke
check: exit 1 unless every counter agrees)."""
import argparse
import json
import os
import shlex
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# Built-in relay definitions: a command template. Placeholders: {bin} (the C tools), {here}
# (this folder), {calls}, {threads}, {pin} ("--pin" or ""), {calls_file}, {stats_file},
# {endpoint_port}, {port_base} (the first of the relay's own ports), {port_max} (port_base +
# 11999), {ng_port}, {work} (the point's own folder). The command writes {calls_file} (renamed
# into place when complete), runs until SIGTERM, and may write {stats_file} before it exits.
RELAYS = {
    "direct": None,  # no relay: each endpoint sends straight to its peer (the tools' floor)
    "c-epoll": "{bin}/epoll_relay --calls {calls} --threads {threads} {pin} --port-base {port_base}"
               " --endpoint-port {endpoint_port} --calls-file {calls_file} --stats-file {stats_file}",
    "c-uring": "{bin}/uring_relay --calls {calls} --threads {threads} {pin} --port-base {port_base}"
               " --endpoint-port {endpoint_port} --calls-file {calls_file} --stats-file {stats_file}",
    # the rtpm media engine (rtpm-bench's EngineCalls): AUTO design (io_uring where allowed), then each
    "engine": "{here}/engine --calls {calls} --workers {threads} {pin} --design auto"
              " --endpoint-port {endpoint_port} --calls-file {calls_file} --stats-file {stats_file}",
    "engine-epoll": "{here}/engine --calls {calls} --workers {threads} {pin} --design epoll"
                    " --endpoint-port {endpoint_port} --calls-file {calls_file} --stats-file {stats_file}",
    "engine-uring": "{here}/engine --calls {calls} --workers {threads} {pin} --design io_uring"
                    " --endpoint-port {endpoint_port} --calls-file {calls_file} --stats-file {stats_file}",
    "rtpengine": "python3 {here}/rtpengine_calls.py --calls {calls} --threads {threads}"
                 " --endpoint-port {endpoint_port} --port-min {port_base}"
                 " --port-max {port_max} --ng-port {ng_port} --calls-file {calls_file}"
                 " --stats-file {stats_file} --log {work}/rtpengine.log",
}
P99_LIMIT_US = 5000.0
# A point whose generator fell behind (ended more than 0.1 s after its last packet was due) or
# sent more than 10% of its batches late (> 1 ms) did not offer the load it claims: not carried.
BEHIND_LIMIT_S = 0.1
LATE_LIMIT = 0.10


def log(*a):
    print("calls-load:", *a, file=sys.stderr, flush=True)


def cpu_ticks(pid):
    """utime + stime of every thread of pid so far, in clock ticks (/proc/PID/stat)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def cpu_pressure():
    """The share of the last 10 s in which some task waited for a CPU (/proc/pressure/cpu)."""
    try:
        with open("/proc/pressure/cpu") as f:
            return float(f.readline().split()[1].split("=")[1])
    except (OSError, IndexError, ValueError):
        return None


def wait_rusage(p, timeout):
    """Waits for p (killing it after timeout s); returns its user + system CPU seconds."""
    deadline = time.time() + timeout
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            p.returncode = os.waitstatus_to_exitcode(status)
            return ru.ru_utime + ru.ru_stime
        if time.time() > deadline:
            p.kill()
        time.sleep(0.02)


def reap(pid):
    """The relay's measured process (the calls file's '# pid', started by the relay's wrapper)
    must be gone before the next point: a leftover rtpengine would serve it. SIGKILL after
    10 s."""
    for _ in range(100):
        try:
            with open("/proc/%d/stat" % pid) as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return
        except OSError:
            return
        time.sleep(0.1)
    log("pid %d outlived its relay's wrapper by 10 s: SIGKILL" % pid)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def bound_udp_ports():
    """Every local UDP port some socket is bound to (/proc/net/udp, IPv4)."""
    out = set()
    with open("/proc/net/udp") as f:
        next(f)
        for line in f:
            out.add(int(line.split()[1].rsplit(":", 1)[1], 16))
    return out


def read_tsv(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        head = f.readline().rstrip("\n").split("\t")
        return [dict(zip(head, line.rstrip("\n").split("\t"))) for line in f if line.strip()]


class Point:
    """One measurement: a fresh relay with N calls, gen and sink for SECS seconds."""

    def __init__(self, a, relay, calls, threads, secs, work):
        self.a, self.relay, self.calls, self.threads, self.secs = a, relay, calls, threads, secs
        self.work = work
        os.makedirs(work, exist_ok=True)
        self.calls_file = os.path.join(work, "calls")
        self.stats_file = os.path.join(work, "relay-stats.tsv")

    def write_direct(self):
        with open(self.calls_file, "w") as f:
            f.write("# direct: no relay, each endpoint sends to its peer\n")
            for i in range(self.calls):
                a = "127.2.%d.%d:%d" % (i >> 8, i & 255, self.a.endpoint_port)
                b = "127.3.%d.%d:%d" % (i >> 8, i & 255, self.a.endpoint_port)
                f.write("%d %s %s %s %s\n" % (i, a, b, b, a))

    def start_relay(self):
        template = self.a.defs[self.relay]
        if template is None:
            self.write_direct()
            return None
        cmd = shlex.split(template.format(
            bin=self.a.bin, here=HERE, calls=self.calls, threads=self.threads,
            pin="--pin" if self.a.pin else "", calls_file=self.calls_file,
            stats_file=self.stats_file, endpoint_port=self.a.endpoint_port,
            port_base=self.a.port_base, port_max=self.a.port_base + 11999,
            ng_port=self.a.ng_port, work=self.work))
        self.cmd = cmd
        out = open(os.path.join(self.work, "relay.log"), "w")
        # its own process group (stopped as one), but our session: with autogroup scheduling a
        # session is one group, and the relay must share the CPU as gen and sink do
        p = subprocess.Popen(cmd, stdout=out, stderr=out, process_group=0)
        limit = self.a.start_timeout + self.calls / 100
        deadline = time.time() + limit
        while not os.path.exists(self.calls_file):
            if p.poll() is not None:
                raise RuntimeError("relay %s exited (%d) before writing the calls file: %s"
                                   % (self.relay, p.returncode, self.tail("relay.log")))
            if time.time() > deadline:
                self.stop_relay(p)
                raise RuntimeError("relay %s wrote no calls file within %d s: %s"
                                   % (self.relay, limit, self.tail("relay.log")))
            time.sleep(0.05)
        return p

    def tail(self, name):
        try:
            with open(os.path.join(self.work, name)) as f:
                return " | ".join(f.read().strip().splitlines()[-3:])
        except OSError:
            return ""

    def stop_relay(self, p):
        """SIGTERM to the relay's process group (a wrapper's children too)."""
        if p is None:
            return
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            p.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
        # what the group's other processes need to end after the leader
        for _ in range(50):
            try:
                os.killpg(p.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        os.killpg(p.pid, signal.SIGKILL)

    def wait_ports_free(self):
        """The next point's relay binds the same ports: wait (up to 10 s) until no socket holds
        this one's relay sides. An io_uring relay's sockets outlive its process while the
        kernel tears the ring down (measured: the next uring_relay's bind of 127.0.0.1:12000
        failed with EADDRINUSE twice in a row)."""
        ports = set()
        with open(self.calls_file) as f:
            for line in f:
                if not line.startswith("#") and line.strip():
                    for field in line.split()[3:5]:
                        ports.add(int(field.rsplit(":", 1)[1]))
        for _ in range(100):
            if not ports & bound_udp_ports():
                return
            time.sleep(0.1)
        log("relay ports still bound 10 s after the relay stopped: %s"
            % sorted(ports & bound_udp_ports())[:5])

    def cpu_pid(self, p):
        """The process whose CPU is the relay's: the calls file's '# pid N', else the command."""
        with open(self.calls_file) as f:
            for line in f:
                if line.startswith("# pid "):
                    return int(line.split()[2])
                if not line.startswith("#"):
                    break
        return p.pid if p else None

    def run(self):
        b, secs = self.a.bin, self.secs
        r = {"relay": self.relay, "calls": self.calls, "threads": self.threads,
             "pin": self.a.pin, "secs": secs, "rtcp": self.a.rtcp,
             "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
             "loadavg": open("/proc/loadavg").read().split()[0],
             "cpu_pressure_avg10": cpu_pressure()}
        p = self.start_relay()
        cpid = None
        try:
            cpid = self.cpu_pid(p)
            rtcp = ["--rtcp"] if self.a.rtcp else []
            gen_counts = os.path.join(self.work, "gen.tsv")
            prefix = os.path.join(self.work, "sink")
            sink = subprocess.Popen([b + "/sink", self.calls_file, str(secs), gen_counts, prefix]
                                    + rtcp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True)
            ready = sink.stderr.readline()
            if "ready" not in ready:
                raise RuntimeError("sink did not start: " + ready + sink.stderr.read())
            c0 = cpu_ticks(cpid) if cpid else None
            t0 = time.time()
            gen = subprocess.Popen([b + "/gen", self.calls_file, str(secs), gen_counts] + rtcp,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            r["gen_cpu_s"] = wait_rusage(gen, secs + 30)
            c1 = cpu_ticks(cpid) if cpid else None
            wall = time.time() - t0
            r["sink_cpu_s"] = wait_rusage(sink, secs + 30)
            gout, gerr = gen.stdout.read(), gen.stderr.read()
            sout, serr = sink.stdout.read(), sink.stderr.read()
            if gen.returncode or not gout.strip():
                raise RuntimeError("gen failed (%s): %s" % (gen.returncode, gerr.strip()))
            if not sout.strip():
                raise RuntimeError("sink failed (%s): %s" % (sink.returncode, serr.strip()))
            r["gen"] = json.loads(gout.strip().splitlines()[-1])
            r["sink"] = json.loads(sout.strip().splitlines()[-1])
            if c0 is not None and c1 is not None:
                tck = os.sysconf("SC_CLK_TCK")
                r["relay_cpu_s"] = (c1 - c0) / tck
                r["relay_cpu_pct"] = 100.0 * (c1 - c0) / tck / wall
                got = r["sink"]["received"]
                r["cpu_us_per_pkt"] = 1e6 * (c1 - c0) / tck / got if got else None
        finally:
            self.stop_relay(p)
            if p is not None and cpid and cpid != p.pid:
                reap(cpid)
            if p is not None:
                self.wait_ports_free()
        if p is not None:
            r["relay_exit"] = p.returncode
            r["relay_log"] = self.tail("relay.log")
        self.judge(r)
        return r

    def judge(self, r):
        s, g = r["sink"], r["gen"]
        why = []
        if s["lost"]:
            why.append("lost %d" % s["lost"])
        for k in ("sink_drops", "wrong_src", "misrouted"):
            if s[k]:
                why.append("%s %d" % (k, s[k]))
        if s["lat_us"]["p99"] > P99_LIMIT_US:
            why.append("p99 %.1f ms" % (s["lat_us"]["p99"] / 1000))
        if g["secs"] > r["secs"] + BEHIND_LIMIT_S:
            why.append("generator fell behind (%.2f s for %g s of packets)" % (g["secs"], r["secs"]))
        elif g["batches"] and g["late_batches"] > LATE_LIMIT * g["batches"]:
            why.append("generator late (%d of %d batches)" % (g["late_batches"], g["batches"]))
        r["carried"] = not why
        r["why"] = ", ".join(why)


def sched_policy():
    """How the driver, and so every process it starts, is scheduled (chrt/nice are inherited)."""
    pol = os.sched_getscheduler(0)
    names = {os.SCHED_OTHER: "SCHED_OTHER", os.SCHED_FIFO: "SCHED_FIFO", os.SCHED_RR: "SCHED_RR",
             os.SCHED_BATCH: "SCHED_BATCH", os.SCHED_IDLE: "SCHED_IDLE"}
    if pol in (os.SCHED_FIFO, os.SCHED_RR):
        return "%s %d" % (names[pol], os.sched_getparam(0).sched_priority)
    try:
        group = open("/proc/self/autogroup").read().strip()
    except OSError:
        group = "no autogroup"
    return "%s nice %d, %s" % (names.get(pol, str(pol)), os.nice(0), group)


def line(r):
    s = r["sink"]
    return ("%-9s %2d thr %5d calls: %s  p50 %.2f p99 %.2f max %.1f ms, lost %d, cpu %.2f us/pkt"
            " (%.0f%%), gen late %d/%d%s"
            % (r["relay"], r["threads"], r["calls"], "carried" if r["carried"] else "NOT carried",
               s["lat_us"]["p50"] / 1000, s["lat_us"]["p99"] / 1000, s["lat_us"]["max"] / 1000,
               s["lost"], r.get("cpu_us_per_pkt") or 0, r.get("relay_cpu_pct") or 0,
               r["gen"]["late_batches"], r["gen"]["batches"],
               "" if r["carried"] else " (" + r["why"] + ")"))


class Runner:
    def __init__(self, a):
        self.a = a
        self.n = 0
        self.results = []

    def point(self, relay, calls, threads, secs):
        self.n += 1
        work = os.path.join(self.a.work, "%03d-%s-%dt-%d" % (self.n, relay, threads, calls))
        try:
            r = Point(self.a, relay, calls, threads, secs, work).run()
        except RuntimeError as e:
            r = {"relay": relay, "calls": calls, "threads": threads, "secs": secs,
                 "error": str(e), "carried": False, "why": str(e)}
            log("%s %d thr %d calls: not run: %s" % (relay, threads, calls, e))
            self.save(r)
            return r
        log(line(r))
        self.save(r)
        return r

    def save(self, r):
        self.results.append(r)
        with open(os.path.join(self.a.out, "calls-results.json"), "w") as f:
            json.dump({"command": self.a.command, "machine": self.a.machine,
                       "sched": sched_policy(), "points": self.results}, f, indent=1)

    def bisect(self, relay, threads):
        """The fixed points, then bisection between the largest carried and the smallest not
        carried until they are <= 100 calls apart (the answer to +-50)."""
        done = {}
        for n in self.a.points:
            done[n] = self.point(relay, n, threads, self.a.seconds)["carried"]
        hi = min([n for n in done if not done[n]], default=None)
        while hi is None and max(done) < self.a.max_calls:
            n = min(max(done) * 2, self.a.max_calls)
            done[n] = self.point(relay, n, threads, self.a.seconds)["carried"]
            hi = n if not done[n] else None
        lo = max([n for n in done if done[n] and (hi is None or n < hi)], default=0)
        while hi is not None and hi - lo > 100:
            mid = (lo + hi) // 2 // 25 * 25
            if self.point(relay, mid, threads, self.a.seconds)["carried"]:
                lo = mid
            else:
                hi = mid
        res = {"relay": relay, "threads": threads, "max_calls": lo, "first_not_carried": hi,
               "bisect": True}
        log("%s %d thread(s): carried %d calls, not %s (0 loss, p99 <= 5 ms)"
            % (relay, threads, lo, hi))
        self.save(res)
        return res


def check(a, runner):
    """The smoke check: 0 loss, every stream's counters equal between gen, the relay's own
    counters (when it writes them) and the sink, every packet from the right port."""
    r = runner.point(a.relay[0], a.calls, a.threads[0], a.seconds)
    if "error" in r:
        print("check: FAIL: " + r["error"])
        return 1
    s, g, fails = r["sink"], r["gen"], []
    for k in ("lost", "streams_with_loss", "dups", "wrong_src", "misrouted", "bad_rtp", "beyond",
              "stray", "send_errors", "sink_drops"):
        if s[k]:
            fails.append("%s %d" % (k, s[k]))
    if not s["gen_counts"]:
        fails.append("the sink never saw gen's counts")
    if g["errors"] or g["sent"] != g["due"]:
        fails.append("gen sent %d of %d packets due (%d errors)" % (g["sent"], g["due"], g["errors"]))
    if a.rtcp and (s["rtcp_received"] != s["rtcp_sent"] or s["rtcp_wrong_src"] or not s["rtcp_sent"]):
        fails.append("RTCP: %d sent, %d received, %d from a wrong source"
                     % (s["rtcp_sent"], s["rtcp_received"], s["rtcp_wrong_src"]))
    work = os.path.join(a.work, sorted(os.listdir(a.work))[-1])
    sink_rows = read_tsv(os.path.join(work, "sink.tsv")) or []
    gen_rows = read_tsv(os.path.join(work, "gen.tsv")) or []
    relay_rows = read_tsv(os.path.join(work, "relay-stats.tsv"))
    if len(sink_rows) != 2 * a.calls or len(gen_rows) != 2 * a.calls:
        fails.append("per-stream rows: gen %d, sink %d, want %d"
                     % (len(gen_rows), len(sink_rows), 2 * a.calls))
    bad = [x for x in sink_rows if x["sent"] != x["received"]]
    gbad = [(x, y) for x, y in zip(gen_rows, sink_rows) if x["sent"] != y["sent"]]
    if bad:
        fails.append("%d streams where the sink's count differs from gen's (first: call %s %s "
                     "sent %s received %s)" % (len(bad), bad[0]["call"], bad[0]["dir"],
                                               bad[0]["sent"], bad[0]["received"]))
    if gbad:
        fails.append("%d streams where the sink read another sent count than gen wrote" % len(gbad))
    relay_note = "the relay writes no counters"
    if relay_rows is not None:
        rbad = 0
        for x, y in zip(relay_rows, sink_rows):
            for col, want in (("received", y["sent"]), ("sent", y["received"]),
                              ("send_errors", "0")):
                if x.get(col, "-") not in ("-", want):
                    rbad += 1
                    if rbad == 1:
                        first = "call %s %s %s %s, want %s" % (x["call"], x["dir"], col,
                                                              x[col], want)
        if len(relay_rows) != len(sink_rows):
            fails.append("the relay's counters have %d rows, want %d"
                         % (len(relay_rows), len(sink_rows)))
        elif rbad:
            fails.append("%d relay counters differ from gen's and the sink's (first: %s)"
                         % (rbad, first))
        relay_note = "the relay's own counters agree" if not rbad else "the relay's counters differ"
    if r.get("relay_exit"):
        fails.append("the relay exited %d: %s" % (r["relay_exit"], r.get("relay_log", "")))
    elif r.get("relay_log"):
        log("the relay said: " + r["relay_log"])
    verdict = ("FAIL: " + "; ".join(fails) if fails else
               "ok, every stream's counts equal in gen and sink")
    print("check: %s %d calls x %g s, %d thread(s): %s. %d packets sent, %d received from the "
          "right ports; %s; p50 %.2f p99 %.2f max %.2f ms; gen late "
          "batches %d of %d" % (r["relay"], a.calls, a.seconds, a.threads[0], verdict, g["sent"],
                                s["received"] - s["wrong_src"], relay_note,
                                s["lat_us"]["p50"] / 1000, s["lat_us"]["p99"] / 1000,
                                s["lat_us"]["max"] / 1000, g["late_batches"], g["batches"]))
    return 1 if fails else 0


def ints(s):
    return [int(x) for x in s.split(",") if x]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=("point", "bisect", "check"))
    ap.add_argument("--relay", default="c-epoll", help="relay names, comma-separated")
    ap.add_argument("--relay-def", action="append", default=[], metavar="NAME=TEMPLATE",
                    help="a relay definition (a command template, README.md)")
    ap.add_argument("--calls", type=int, default=500)
    ap.add_argument("--threads", default="1", help="worker threads, comma-separated")
    ap.add_argument("--pin", action="store_true", help="pin the relay's workers ({pin})")
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--points", default="250,500,1000,2000", help="bisect's fixed points")
    ap.add_argument("--max-calls", type=int, default=4000)
    ap.add_argument("--rtcp", action="store_true", help="one RTCP SR per stream every 5 s")
    ap.add_argument("--start-timeout", type=float, default=30,
                    help="seconds a relay may take to write its calls file (plus 1 per 100 calls);"
                         " a JVM in a TCG guest needs more")
    ap.add_argument("--endpoint-port", type=int, default=41000,
                    help="every endpoint's port (RTCP + 1); two runs on one host need two")
    ap.add_argument("--port-base", type=int, default=12000,
                    help="the relay's first port ({port_base}; rtpengine takes 12,000 from it)")
    ap.add_argument("--ng-port", type=int, default=39980, help="rtpengine's ng port ({ng_port})")
    ap.add_argument("--bin", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--machine", default="")
    ap.add_argument("--command", default="")
    a = ap.parse_args()
    a.defs = dict(RELAYS)
    for d in a.relay_def:
        name, eq, tmpl = d.partition("=")
        if not eq or not name:
            ap.error("--relay-def wants NAME=TEMPLATE, got %r" % d)
        a.defs[name] = tmpl
    a.relay = a.relay.split(",")
    for name in a.relay:
        if name not in a.defs:
            ap.error("unknown relay %r (known: %s; add one with --relay-def)"
                     % (name, ", ".join(sorted(a.defs))))
    a.threads = ints(a.threads)
    a.points = ints(a.points)
    if a.calls < 1 or a.calls > 65536 or not a.threads or a.seconds <= 0:
        ap.error("--calls 1..65536, --threads and --seconds > 0")
    os.makedirs(a.out, exist_ok=True)
    # SIGTERM (run in the background ignores SIGINT) unwinds: the point's relay is stopped
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    runner = Runner(a)
    if a.mode == "check":
        return check(a, runner)
    for relay in a.relay:
        for t in a.threads:
            if a.mode == "point":
                runner.point(relay, a.calls, t, a.seconds)
            else:
                runner.bisect(relay, t)
    return 0


if __name__ == "__main__":
    sys.exit(main())
