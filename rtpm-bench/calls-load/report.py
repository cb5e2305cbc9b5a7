#!/usr/bin/env python3
"""calls-results.json -> calls-results.md: per relay and thread count, the largest number of
calls carried (bisect) and every point measured (p50/p99/max one-way, loss, the relay's CPU per
packet, the generator's late batches, the host's load average when the point started)."""
import json
import sys


def main():
    src, dst = sys.argv[1], sys.argv[2]
    d = json.load(open(src))
    pts = [p for p in d["points"] if not p.get("bisect")]
    found = [p for p in d["points"] if p.get("bisect")]
    out = ["Machine: %s. Command: `%s`, scheduled %s. Each point: a fresh relay, %s s of "
           "traffic; first point started %s." % (
               d["machine"], d["command"], d.get("sched", "?"), pts[0]["secs"] if pts else "?",
               pts[0].get("started", "?") if pts else "?"), ""]
    if found:
        out += ["| relay | worker threads | calls carried (0 loss, p99 <= 5 ms, +-50) | first not carried |",
                "|---|---|---|---|"]
        for f in found:
            out.append("| %s | %d | %d | %s |" % (f["relay"], f["threads"], f["max_calls"],
                                                  f["first_not_carried"]))
        out.append("")
    out += ["| relay | threads | calls | carried | p50 ms | p99 ms | max ms | lost | relay CPU us/pkt | relay CPU % | gen late batches | load avg | CPU pressure | why not |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for p in sorted(pts, key=lambda p: (p["relay"], p["threads"], p["calls"])):
        if "error" in p:
            out.append("| %s | %d | %d | not run | | | | | | | | | | %s |"
                       % (p["relay"], p["threads"], p["calls"], p["error"]))
            continue
        s, g, lat = p["sink"], p["gen"], p["sink"]["lat_us"]
        out.append("| %s | %d | %d | %s | %.2f | %.2f | %.1f | %d | %s | %s | %d of %d | %s | %s%% | %s |" % (
            p["relay"], p["threads"], p["calls"], "yes" if p["carried"] else "no",
            lat["p50"] / 1000, lat["p99"] / 1000, lat["max"] / 1000, s["lost"],
            "%.2f" % p["cpu_us_per_pkt"] if p.get("cpu_us_per_pkt") else "-",
            "%.0f" % p["relay_cpu_pct"] if p.get("relay_cpu_pct") is not None else "-",
            g["late_batches"], g["batches"], p.get("loadavg", "?"),
            p.get("cpu_pressure_avg10", "?"), p.get("why", "")))
    with open(dst, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
