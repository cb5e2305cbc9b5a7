"""The relay load benchmark's driver (started by ./run, which builds what it needs first).

For each relay: burst throughput, the highest paced rate with under 0.01% loss, one-way latency
at fixed rates and CPU time per packet, all on loopback with gen -> relay -> sink (C tools in
../loadgen, independent of rtpm's code). Every measurement starts the relay afresh, so a JVM
relay is measured from a cold start: warm-up is part of the product. Writes
relay-results.json into the output folder; report.py makes the tables and plots from it.
"""

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

MAX_LOSS = 1e-4          # "under 0.01% loss"
SIZE = 172               # bytes per packet: RTP header + 20 ms of PCMU
CLK_TCK = os.sysconf("SC_CLK_TCK")

MODES = {
    # paced sweep: seconds per rate, bisection rounds; latency: seconds per fixed rate
    "quick": dict(sweep_secs=1.0, bisect=1, lat_secs=2.0, burst=100_000, warm_secs=5),
    "full": dict(sweep_secs=3.0, bisect=3, lat_secs=5.0, burst=300_000, warm_secs=10),
}
LAT_RATES = [2000, 20000, 100000]
SWEEP_START = [25000, 50000, 100000, 200000, 400000]
ALL_RELAYS = ["direct", "c-mmsg", "c-ring", "rtpm", "rtpm-2t", "rtpm-c1", "rtpm-c1-aot", "rtpm-c2",
              "rtpm-cold", "nio", "socat", "rtpengine"]
RTPM_RELAYS = ("rtpm", "rtpm-2t", "rtpm-c1", "rtpm-c1-aot", "rtpm-c2", "rtpm-cold")
# rtpm: rtpm stream with its defaults (one thread, run to completion) and the launcher's JVM
# options. rtpm-2t: the same with --threads 2 (RX thread -> ring -> TX thread). rtpm-c1: rtpm
# stream on a JVM with C1 only (-XX:TieredStopAtLevel=1, without the launcher's options, which
# may name an AOT cache trained on another configuration): no C2 compilations competing with the
# relay for 2 cores in its first seconds. rtpm-c1-aot: C1 only with the launcher's options (its
# AOT cache). rtpm-c2: the launcher's options without any -XX:TieredStopAtLevel (the JVM's
# default tiered compilation, C2 included). rtpm-cold: rtpm stream --warm-up 0, measured only per
# second after its start (what the warm-up is for).
ONLY = {"rtpm-cold": ["warmup"]}


def log(*a):
    print("relay-load:", *a, file=sys.stderr, flush=True)


def ring_dir():
    """A fresh folder for one relay's user-space ring, on tmpfs (/dev/shm, rtpm's default) as
    in production. Not under the work folder in /tmp: there the ring is a shared mapping of a
    disk file (ext4 here), whose first writes take a read fault and a write-notify fault a page
    (~840 in the first 20-50 ms of traffic, measured) and whose dirty pages are written back."""
    shm = "/dev/shm"
    if not (os.path.isdir(shm) and os.access(shm, os.W_OK)):
        raise RuntimeError("no writable /dev/shm (tmpfs) for rtpm's ring")
    return tempfile.mkdtemp(prefix="relay-load-", dir=shm)


def port_bound(port):
    """True when some socket is bound to UDP port (from /proc/net/udp and udp6)."""
    want = ":%04X" % port
    for table in ("/proc/net/udp", "/proc/net/udp6"):  # Java binds dual-stack IPv6 sockets
        try:
            with open(table) as f:
                if any(line.split()[1].endswith(want) for line in list(f)[1:]):
                    return True
        except OSError:
            pass
    return False


def cpu_ticks(pid):
    """utime + stime of a whole process (all threads), in clock ticks."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


# rtpengine's ng control protocol: the client both benchmarks share
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from ng import Ng  # noqa: E402


def sdp(port):
    return ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=relay-load\r\nc=IN IP4 127.0.0.1\r\n"
            "t=0 0\r\nm=audio %d RTP/AVP 0\r\na=sendrecv\r\n" % port)


def sdp_port(text):
    for line in text.decode().splitlines():
        if line.startswith("m=audio "):
            return int(line.split()[1])
    raise RuntimeError("no m=audio line in rtpengine's SDP: " + text.decode())


class Bench:
    def __init__(self, args):
        self.a = args
        self.mode = MODES[args.mode]
        self.bin = args.bin
        self.port = 39000
        self.engine = None
        self.ng = None
        self.calls = 0
        self.work = args.work
        self.ring = None

    def ports(self):
        self.port += 4
        if self.port > 39900:
            self.port = 39000
        return self.port, self.port + 2

    # --- relays ---

    def relay_cmd(self, name, rx, tx):
        b = self.bin
        if name == "c-mmsg":
            return [b + "/mmsg_relay", str(rx), "127.0.0.1", str(tx)], None
        if name == "c-ring":
            return [b + "/ring_relay", str(rx), "127.0.0.1", str(tx)], None
        if name == "nio":
            return [self.a.java, "-cp", b, "NioRelay", str(rx), "127.0.0.1", str(tx)], None
        if name == "socat":
            # the same 4 MiB as every other relay (SO_RCVBUF: rmem_max caps it; run checks that)
            return ["socat", "-u", "UDP4-RECV:%d,bind=127.0.0.1,rcvbuf=4194304" % rx,
                    "UDP4-SENDTO:127.0.0.1:%d" % tx], None
        if name in RTPM_RELAYS:
            # a fresh ring each time: nothing left over from the previous run
            shm = self.ring = ring_dir()
            env = dict(os.environ, RTPM_SHM_DIR=shm)
            launcher = [o for o in self.a.launcher_jvm_opts
                        if not o.startswith("-XX:TieredStopAtLevel=")]
            jvm = self.a.rtpm_jvm_opts + {
                "rtpm-c1": ["-XX:TieredStopAtLevel=1"],
                "rtpm-c1-aot": launcher + ["-XX:TieredStopAtLevel=1"],
                "rtpm-c2": launcher,
            }.get(name, self.a.launcher_jvm_opts)
            cmd = [self.a.java, "--enable-native-access=io.rtpm.ffm"] + jvm + [
                "-p", self.a.rtpm_path, "-m", "io.rtpm.cli/io.rtpm.cli.Rtpm", "stream",
                "--backend", "shm", "--ring", "0", "--rx", str(rx), "--tx", str(tx),
                "--bind", "127.0.0.1", "--json"] + self.a.rtpm_opts + (
                    ["--warm-up", "0"] if name == "rtpm-cold" else []) + (
                    ["--threads", "2"] if name == "rtpm-2t" else [])
            return cmd, env
        raise ValueError(name)

    def start_engine(self):
        ng = 39990
        # --config-file=none: not the Debian package's /etc/rtpengine/rtpengine.conf (its
        # control ports would clash with a running service)
        cmd = ["rtpengine", "--config-file=none", "--foreground", "--log-stderr", "--log-level=3", "--table=-1",
               "--interface=127.0.0.1", "--listen-ng=127.0.0.1:%d" % ng,
               "--port-min=38000", "--port-max=38999", "--timeout=60", "--delete-delay=0"]
        err = open(self.work + "/rtpengine.err", "w")
        self.engine = subprocess.Popen(cmd, stdout=err, stderr=err)
        self.ng = Ng("127.0.0.1", ng)
        try:
            self.wait_engine()
        except Exception:
            self.stop_engine()
            raise

    def wait_engine(self):
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.engine.poll() is not None:
                raise RuntimeError("rtpengine exited (%d): see %s/rtpengine.err"
                                   % (self.engine.returncode, self.work))
            try:
                self.ng.call(command="ping")
                return
            except (socket.timeout, ConnectionRefusedError, RuntimeError):
                time.sleep(0.2)
        raise RuntimeError("rtpengine did not answer ng pings within 10 s")

    def stop_engine(self):
        if self.engine:
            self.engine.send_signal(signal.SIGTERM)
            try:
                self.engine.wait(5)
            except subprocess.TimeoutExpired:
                self.engine.kill()
                self.engine.wait()
            self.engine = None

    def start_relay(self, name, rx, tx):
        """Returns (process or None, pid or None, the port gen sends to, a stop function)."""
        if name == "direct":
            return None, None, tx, lambda: None
        if name == "rtpengine":
            self.calls += 1
            cid = "relay-load-%d" % self.calls
            # caller = gen (its SDP port is nominal: rtpengine learns the real source), callee = sink
            self.ng.call(command="offer", sdp=sdp(rx), **{"call-id": cid, "from-tag": "gen"})
            ans = self.ng.call(command="answer", sdp=sdp(tx),
                               **{"call-id": cid, "from-tag": "gen", "to-tag": "sink"})
            port = sdp_port(ans["sdp"])
            return None, self.engine.pid, port, lambda: self.ng.call(
                command="delete", **{"call-id": cid, "from-tag": "gen"})
        cmd, env = self.relay_cmd(name, rx, tx)
        err = open("%s/%s.err" % (self.work, name), "w")
        # rtpm stream's NDJSON: its summary says where packets were lost inside the relay
        self.relay_out = "%s/%s.out" % (self.work, name)
        p = subprocess.Popen(cmd, env=env, stderr=err,
                             stdout=open(self.relay_out, "w") if name in RTPM_RELAYS
                             else subprocess.DEVNULL)
        ring = self.ring if name in RTPM_RELAYS else None
        deadline = time.time() + 60
        while not port_bound(rx):
            if (p.poll() is not None or time.time() > deadline) and ring:
                shutil.rmtree(ring, ignore_errors=True)
            if p.poll() is not None:
                raise RuntimeError("%s exited (%d) before binding: see %s/%s.err"
                                   % (name, p.returncode, self.work, name))
            if time.time() > deadline:
                p.kill()
                raise RuntimeError("%s did not bind port %d within 60 s" % (name, rx))
            time.sleep(0.01)

        def stop():
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            if ring:
                shutil.rmtree(ring, ignore_errors=True)
        return p, p.pid, rx, stop

    # --- one measurement ---

    def point(self, name, rate, count, label):
        """Starts sink and relay, offers count packets at rate (0: burst), returns the figures."""
        rx, tx = self.ports()
        secs = count / rate if rate else 5
        sink = subprocess.Popen([self.bin + "/sink", str(tx), str(count), "500",
                                 str(int(secs + 20))], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        if sink.stderr.readline().strip() != "ready":
            raise RuntimeError("sink did not start: " + sink.stderr.read())
        proc = None
        stop = None
        try:
            proc, pid, to, stop = self.start_relay(name, rx, tx)
            c0 = cpu_ticks(pid) if pid else 0
            t0 = time.time()
            g = subprocess.run([self.bin + "/gen", "127.0.0.1", str(to), str(rate), str(count),
                                str(SIZE)], capture_output=True, text=True, check=True)
            gen = json.loads(g.stdout)
            out, _ = sink.communicate(timeout=secs + 60)
            res = json.loads(out)
            c1 = cpu_ticks(pid) if pid else 0
            if proc is not None and proc.poll() is not None:
                raise RuntimeError("%s died during the run: see %s/%s.err" % (name, self.work, name))
        finally:
            if stop:
                try:
                    stop()
                except Exception as e:  # a failed ng delete must not hide the result
                    log("stopping %s: %s" % (name, e))
            if sink.poll() is None:
                sink.kill()
                sink.wait()
        got = res["received"]
        r = dict(relay=name, kind=label, rate=rate, offered=gen["rate"], sent=gen["sent"],
                 received=got, loss=(gen["sent"] - got) / gen["sent"], sink_drops=res["sink_drops"],
                 throughput=res["rate"], lat_us=res["lat_us"], per_second=res["per_second"],
                 wall=time.time() - t0)
        r["cpu_us_per_pkt"] = ((c1 - c0) * 1e6 / CLK_TCK / got) if pid and got else None
        if name in RTPM_RELAYS:
            r["relay_drops"] = self.rtpm_drops()
        d = r.get("relay_drops")
        log("%-9s %-7s rate %7s offered %8.0f recv %8d loss %.5f%% tput %8.0f p50 %7.1f p99 %8.1f"
            " us%s%s" % (name, label, rate or "burst", r["offered"], got, 100 * r["loss"],
                         r["throughput"], r["lat_us"]["p50"], r["lat_us"]["p99"],
                         " (sink dropped %d: not the relay)" % r["sink_drops"] if r["sink_drops"] else "",
                         " (relay: socket drops %d, ring full %d)" % (d["socket"], d["ring_full"])
                         if d and (d["socket"] or d["ring_full"]) else ""))
        return r

    def rtpm_drops(self):
        """What rtpm stream's summary counted as lost inside it: its socket buffer overflowing
        (socket_drops), a full ring (ring_full); None when it printed no summary."""
        try:
            with open(self.relay_out) as f:
                last = [l for l in f if l.startswith('{"type":"summary"')]
            s = json.loads(last[-1])
            return dict(socket=s["socket_drops"], ring_full=s["ring_full"], rx=s["rx_rtp"],
                        tx=s["tx_rtp"])
        except (OSError, IndexError, ValueError, KeyError):
            return None

    def sweep(self, name, out):
        """Highest paced rate with loss < MAX_LOSS: doubling, then bisection."""
        m = self.mode
        passed, failed = 0, None

        def ok(rate):
            r = self.point(name, rate, int(rate * m["sweep_secs"]), "sweep")
            out.append(r)
            return r["loss"] < MAX_LOSS and r["sink_drops"] == 0 and r["offered"] >= 0.97 * rate

        for rate in SWEEP_START:
            if ok(rate):
                passed = rate
            else:
                failed = rate
                break
        if failed is None:
            return passed, True  # the generator's ceiling, not the relay's
        for _ in range(m["bisect"]):
            mid = (passed + failed) // 2
            if ok(mid):
                passed = mid
            else:
                failed = mid
        return passed, False

    def run_relay(self, name):
        m = self.mode
        out = []
        summary = dict(relay=name)
        parts = ONLY.get(name, self.a.parts.split(","))
        if name == "rtpengine":
            self.start_engine()
        try:
            if "burst" in parts:
                b = self.point(name, 0, m["burst"], "burst")
                out.append(b)
                summary["burst_pps"] = b["throughput"] * (b["received"] > 0)
                summary["burst_loss"] = b["loss"]
            if name != "direct" and "sweep" in parts:
                summary["zero_loss_pps"], summary["zero_loss_capped"] = self.sweep(name, out)
            for rate in LAT_RATES if "latency" in parts else []:
                r = self.point(name, rate, int(rate * m["lat_secs"]), "latency")
                out.append(r)
                summary["lat_%d" % rate] = dict(r["lat_us"], loss=r["loss"],
                                                 cpu_us_per_pkt=r["cpu_us_per_pkt"])
            if name in RTPM_RELAYS + ("c-ring", "c-mmsg") and "warmup" in parts:
                # per second from a cold start, at the rate #5 reported
                r = self.point(name, 5000, 5000 * m["warm_secs"], "warmup")
                out.append(r)
                summary["warmup_5000"] = r["per_second"]
        finally:
            if name == "rtpengine":
                self.stop_engine()
        return summary, out


def run_round(b, names, skipped, results, rnd):
    """One round: every relay in names, in that order, each measurement from a fresh process."""
    rs = dict(round=rnd, order=names, started=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              loadavg_before=open("/proc/loadavg").read().split()[:3], relays={}, not_run={})
    for name in names:
        log("--- %s (round %d)" % (name, rnd))
        try:
            s, pts = b.run_relay(name)
        except Exception as e:
            log("%s: not run: %s" % (name, e))
            rs["not_run"][name] = str(e)
            skipped.setdefault(name, str(e))
            continue
        rs["relays"][name] = s
        for p in pts:
            p["round"] = rnd
        results["points"] += pts
    rs["loadavg_after"] = open("/proc/loadavg").read().split()[:3]
    rs["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return rs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=MODES, default="quick")
    ap.add_argument("--relays", default=",".join(ALL_RELAYS))
    ap.add_argument("--repeat", type=int, default=1,
                    help="rounds: every relay once per round, the order shuffled each round")
    ap.add_argument("--repeat-relays", default=None,
                    help="the relays of rounds 2..N (default: all of --relays); the others run"
                         " in round 1 only")
    ap.add_argument("--seed", type=int, default=None,
                    help="the base of the rounds' shuffle seeds (default: from the clock); round"
                         " k shuffles with seed + k")
    ap.add_argument("--bin", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--java", required=True)
    ap.add_argument("--rtpm-path", required=True)
    ap.add_argument("--rtpm-opt", action="append", default=[], dest="rtpm_opts",
                    help="an extra rtpm stream option (repeatable)")
    ap.add_argument("--rtpm-jvm-opt", action="append", default=[], dest="rtpm_jvm_opts")
    ap.add_argument("--launcher-jvm-opt", action="append", default=[], dest="launcher_jvm_opts",
                    help="a JVM option of the ./rtpm launcher (rtpm_java_opts), for every rtpm"
                         " variant but rtpm-c1")
    ap.add_argument("--parts", default="burst,sweep,latency,warmup",
                    help="which measurements, comma-separated")
    ap.add_argument("--skip", action="append", default=[],
                    help="RELAY=REASON: reported as not run")
    a = ap.parse_args()
    if a.repeat < 1:
        ap.error("--repeat must be at least 1")
    os.makedirs(a.out, exist_ok=True)
    b = Bench(a)
    skipped = dict(s.split("=", 1) for s in a.skip)
    relays = [n for n in a.relays.split(",") if n]
    later = relays if a.repeat_relays is None else [
        n for n in relays if n in a.repeat_relays.split(",")]
    seed = a.seed if a.seed is not None else int(time.time()) % 100000
    results = dict(mode=a.mode, repeat=a.repeat, seed=seed, relays_later_rounds=later,
                   started=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                   loadavg_before=open("/proc/loadavg").read().split()[:3], rounds=[],
                   points=[], not_run=skipped)
    for name in relays:
        if name in skipped:
            log("%s: not run: %s" % (name, skipped[name]))
    for rnd in range(1, a.repeat + 1):
        names = [n for n in (relays if rnd == 1 else later) if n not in skipped]
        if a.repeat > 1:
            # a drift over the run (the host's load, its temperature, the page cache) must not
            # favour the relays that happen to come early: a new order each round
            random.Random(seed + rnd).shuffle(names)
            log("=== round %d of %d, seed %d, order: %s" % (rnd, a.repeat, seed + rnd,
                                                            ",".join(names)))
        results["rounds"].append(run_round(b, names, skipped, results, rnd))
        # round 1's figures, as a one-run file has them (report.py takes the medians over
        # "rounds"); written after every round, so a run cut short keeps its finished rounds
        results["relays"] = results["rounds"][0]["relays"]
        results["loadavg_after"] = open("/proc/loadavg").read().split()[:3]
        results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with open(os.path.join(a.out, "relay-results.json"), "w") as f:
            json.dump(results, f, indent=1)
        log("wrote %s/relay-results.json (%d of %d rounds)" % (a.out, rnd, a.repeat))


if __name__ == "__main__":
    main()
