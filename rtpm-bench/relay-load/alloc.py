"""Allocation of rtpm stream's relay threads under load, from JFR (started by `run alloc`).

Starts rtpm stream with JFR recording jdk.ThreadAllocationStatistics every second, waits until
it relays (after its warm-up), offers RATE packets/s for SECONDS with gen -> sink, stops it, and
prints the bytes each relay thread allocated per second of traffic (the warm-up's own relay
threads, which carry the same names, are told apart by thread id: the real ones come last).
Writes relay-alloc.json into the output folder.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

UNITS = {"bytes": 1, "byte": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--java", required=True)
    ap.add_argument("--rtpm-path", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--rate", type=int, default=20000)
    ap.add_argument("--secs", type=int, default=15)
    ap.add_argument("--launcher-jvm-opt", action="append", default=[],
                    help="a JVM option of the ./rtpm launcher (e.g. its AOT cache): rtpm as users run it")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="relay-alloc.")
    jfr = os.path.join(work, "rec.jfr")
    # the ring on tmpfs, as in production and in driver.py (ring_dir says why)
    ring = tempfile.mkdtemp(prefix="relay-alloc-", dir="/dev/shm")
    rx, tx = 39950, 39952
    err = open(os.path.join(work, "stream.err"), "w")
    p = subprocess.Popen([a.java, "-XX:StartFlightRecording:filename=%s,"
                          "jdk.ThreadAllocationStatistics#period=1s" % jfr] + a.launcher_jvm_opt + [
                          "--enable-native-access=io.rtpm.ffm", "-p", a.rtpm_path, "-m",
                          "io.rtpm.cli/io.rtpm.cli.Rtpm", "stream", "--backend", "shm", "--rx",
                          str(rx), "--tx", str(tx), "--bind", "127.0.0.1", "--json"],
                         env=dict(os.environ, RTPM_SHM_DIR=ring),
                         stdout=open(os.path.join(work, "stream.json"), "w"), stderr=err)
    deadline = time.time() + 60
    while "relaying" not in open(err.name).read():
        if p.poll() is not None or time.time() > deadline:
            sys.exit("relay-alloc: rtpm stream did not start: " + open(err.name).read())
        time.sleep(0.1)
    count = a.rate * a.secs
    sink = subprocess.Popen([a.bin + "/sink", str(tx), str(count), "500", str(a.secs + 20)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    time.sleep(0.2)
    t0 = time.strftime("%H:%M:%S")
    subprocess.run([a.bin + "/gen", "127.0.0.1", str(rx), str(a.rate), str(count)],
                   check=True, stdout=subprocess.DEVNULL)
    t1 = time.strftime("%H:%M:%S")
    got = json.loads(sink.communicate()[0])["received"]
    p.send_signal(signal.SIGTERM)
    p.wait(30)
    text = subprocess.run([os.path.join(os.path.dirname(a.java), "jfr"), "print", "--events",
                           "jdk.ThreadAllocationStatistics", jfr], capture_output=True,
                          text=True, check=True).stdout
    with open(os.path.join(work, "stream.json")) as f:
        summary = json.loads(f.read().splitlines()[-1])
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(ring, ignore_errors=True)
    series = {}
    for block in text.split("jdk.ThreadAllocationStatistics")[1:]:
        t = re.search(r"startTime = (\d\d:\d\d:\d\d)", block)
        v = re.search(r"allocated = ([\d.,]+) (\w+)", block)
        th = re.search(r'thread = "([^"]+)" \(javaThreadId = (\d+)\)', block)
        if t and v and th and th.group(1).startswith("rtpm-relay-") and t0 <= t.group(1) <= t1:
            b = float(v.group(1).replace(",", "")) * UNITS[v.group(2)]
            series.setdefault((th.group(1), int(th.group(2))), []).append((t.group(1), b))
    real = {}
    for (name, tid), pts in series.items():
        if name not in real or tid > real[name][0]:
            real[name] = (tid, pts)
    out = dict(rate=a.rate, secs=a.secs, sent=count, received=got, window=[t0, t1],
               loadavg=open("/proc/loadavg").read().split()[:3], threads={},
               ring_full=summary["ring_full"], socket_drops=summary["socket_drops"])
    # a full ring takes the user-space ring's reclaim path on every claim: say so beside the bytes
    print("relay-alloc: %d of %d packets arrived; the relay counted %d ring-full and %d socket drops"
          % (got, count, summary["ring_full"], summary["socket_drops"]))
    for name, (tid, pts) in sorted(real.items()):
        (ta, ba), (tb, bb) = pts[0], pts[-1]
        span = len(pts) - 1  # one sample a second
        out["threads"][name] = dict(bytes=bb - ba, seconds=span,
                                    bytes_per_s=(bb - ba) / span if span else None)
        print("relay-alloc: %s allocated %.0f B in %d s of traffic at %d pkt/s: %.1f B/s" % (
            name, bb - ba, span, a.rate, (bb - ba) / span if span else float("nan")))
    with open(os.path.join(a.out, "relay-alloc.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
