"""Cold start of rtpm stream with and without the launcher's JDK AOT cache (started by ./run).

Every measurement starts a fresh rtpm stream (user-space ring) the way relay-load's driver does,
through its Bench class, and measures with relay-load's C generator and sink:
  - time to first packet: from spawning the JVM until the first packet of a 1,000 pkt/s probe
    (sent from the moment of the spawn on) arrives at the sink side through the relay;
  - per second at 5,000 pkt/s from the moment the relay bound its port: p99 and max of second 0
    and 1 (the sink's per-second figures);
  - 3 s paced runs at 25k and 50k pkt/s: loss.
Configurations (interleaved, so drift of the host hits each alike): the AOT cache or not, the
built-in warm-up (default) or --warm-up 0 (or another, --warm-up N). Writes cold-start.json into OUT.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "relay-load"))
import driver  # noqa: E402  relay-load's driver: its relay command line, its gen/sink points

RATES = [25000, 50000]


def log(*a):
    print("cold-start:", *a, file=sys.stderr, flush=True)


def first_packet(bench, name, rx, tx):
    """Seconds from spawning the relay until a probe packet comes out of it."""
    out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    out.bind(("127.0.0.1", tx))
    out.settimeout(0.05)
    src = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    pkt = bytearray(172)
    pkt[0] = 0x80  # RTP v2, PT 0
    stop = threading.Event()

    def probe():
        seq = 0
        while not stop.is_set():
            pkt[2], pkt[3] = (seq >> 8) & 0xFF, seq & 0xFF
            try:
                src.sendto(pkt, ("127.0.0.1", rx))
            except OSError:
                pass  # nothing bound yet
            seq += 1
            time.sleep(0.001)

    cmd, env = bench.relay_cmd(name, rx, tx)
    err = open("%s/%s-ttfp.err" % (bench.work, name), "w")
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
    th = threading.Thread(target=probe, daemon=True)
    th.start()
    first = None
    try:
        while time.monotonic() - t0 < 60 and p.poll() is None:
            try:
                out.recv(2048)
                first = time.monotonic() - t0
                break
            except socket.timeout:
                continue
    finally:
        stop.set()
        th.join()
        p.terminate()
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        out.close()
        src.close()
    if first is None:
        raise RuntimeError("%s relayed no probe packet within 60 s (see %s)" % (name, err.name))
    return first


def one(bench, cfg):
    r = dict(config=cfg["label"])
    rx, tx = bench.ports()
    r["ttfp_s"] = first_packet(bench, cfg["relay"], rx, tx)
    w = bench.point(cfg["relay"], 5000, 5000 * 5, "warmup")
    secs = {s["s"]: s for s in w["per_second"]}
    r["s0_p99_us"], r["s0_max_us"] = secs[0]["p99"], secs[0]["max"]
    r["s1_p99_us"], r["s1_max_us"] = secs[1]["p99"], secs[1]["max"]
    r["warm_5k_loss"] = w["loss"]
    for rate in RATES:
        p = bench.point(cfg["relay"], rate, rate * 3, "sweep")
        r["loss_%d" % rate] = p["loss"]
        r["sink_drops_%d" % rate] = p["sink_drops"]
        r["offered_%d" % rate] = p["offered"]
    return r


def summary(rows, key):
    v = sorted(x[key] for x in rows)
    return dict(median=statistics.median(v), min=v[0], max=v[-1], n=len(v))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--java", required=True)
    ap.add_argument("--rtpm-path", required=True)
    ap.add_argument("--cache", required=True, help="the AOT cache file (-XX:AOTCache=)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warm-up", type=int, default=0, dest="warm_up",
                    help="the packets of the shorter warm-up compared with the default (0: none)")
    a = ap.parse_args()
    cache = ["-XX:AOTCache=" + a.cache]
    short = dict(relay="rtpm-cold", opts=[]) if a.warm_up == 0 else dict(
        relay="rtpm", opts=["--warm-up", str(a.warm_up)])
    configs = [
        dict(label="no cache, warm-up", relay="rtpm", jvm=[], opts=[]),
        dict(label="AOT cache, warm-up", relay="rtpm", jvm=cache, opts=[]),
        dict(short, label="no cache, --warm-up %d" % a.warm_up, jvm=[]),
        dict(short, label="AOT cache, --warm-up %d" % a.warm_up, jvm=cache),
    ]
    res = dict(started=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               loadavg_before=open("/proc/loadavg").read().split()[:3], runs=[])
    for i in range(a.runs):
        for cfg in configs:
            ns = argparse.Namespace(mode="full", bin=a.bin, work=a.work, java=a.java,
                                    rtpm_path=a.rtpm_path, rtpm_opts=cfg["opts"], rtpm_jvm_opts=cfg["jvm"],
                                    launcher_jvm_opts=[], parts="")
            r = one(driver.Bench(ns), cfg)
            r["run"] = i
            log("run %d %-24s first packet %.2f s  s0 p99/max %.0f/%.0f us  s1 p99 %.0f us  loss 25k %.4f%% 50k %.4f%%"
                % (i, cfg["label"], r["ttfp_s"], r["s0_p99_us"], r["s0_max_us"], r["s1_p99_us"],
                   100 * r["loss_25000"], 100 * r["loss_50000"]))
            res["runs"].append(r)
    res["loadavg_after"] = open("/proc/loadavg").read().split()[:3]
    res["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    keys = ["ttfp_s", "s0_p99_us", "s0_max_us", "s1_p99_us", "loss_25000", "loss_50000"]
    res["summary"] = {c["label"]: {k: summary([r for r in res["runs"] if r["config"] == c["label"]], k)
                                   for k in keys} for c in configs}
    with open(os.path.join(a.out, "cold-start.json"), "w") as f:
        json.dump(res, f, indent=1)
    print("| configuration | first packet s | s0 p99 us | s0 max us | s1 p99 us | loss 25k % | loss 50k % |")
    print("|---|---|---|---|---|---|---|")
    for c in configs:
        s = res["summary"][c["label"]]

        def cell(k, scale=1.0, fmt="%.0f"):
            return (fmt + " (" + fmt + "-" + fmt + ")") % (s[k]["median"] * scale, s[k]["min"] * scale,
                                                             s[k]["max"] * scale)
        print("| %s | %s | %s | %s | %s | %s | %s |" % (
            c["label"], cell("ttfp_s", fmt="%.2f"), cell("s0_p99_us"), cell("s0_max_us"),
            cell("s1_p99_us"), cell("loss_25000", 100, "%.3f"), cell("loss_50000", 100, "%.3f")))
    log("wrote %s/cold-start.json (load average %s before, %s after)"
        % (a.out, " ".join(res["loadavg_before"]), " ".join(res["loadavg_after"])))


if __name__ == "__main__":
    main()
