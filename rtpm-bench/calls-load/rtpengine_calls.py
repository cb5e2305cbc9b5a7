#!/usr/bin/env python3
"""rtpengine as a calls-load relay: starts Debian's rtpengine-daemon in user space (--table=-1,
no kernel forwarding), sets up N calls over its ng protocol, writes the calls file (README.md)
and runs until SIGTERM; then writes rtpengine's own per-call packet counters (ng query) to
--stats-file, if given, and stops the daemon.

Call i: offer with A's SDP (A at A_NET.hi.lo:ENDPOINT_PORT), answer with B's; flags: replace
origin and session-connection, ICE remove, as a SIP proxy's rtpengine module sends them. The
offer's reply is the SDP B gets (rtpengine's B side: where B sends), the answer's reply the SDP
A gets (its A side). rtpengine sends to the SDP addresses and learns sources itself (delayed
learning, its default)."""
import argparse
import os
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from ng import Ng, NgError  # noqa: E402


def sdp(ip, port, session):
    """A one-stream PCMU offer or answer from ip:port (RTCP on port + 1, RFC 3550's default)."""
    return ("v=0\r\no=- %d 1 IN IP4 %s\r\ns=calls-load\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n"
            % (session, ip, ip, port))


def sdp_media_addr(text):
    """(ip, port) of the first m=audio stream: its c= line, else the session's."""
    ip = port = None
    for line in text.decode().splitlines():
        if line.startswith("c=IN IP4 ") and (ip is None or port is not None):
            ip = line.split()[2]
        elif line.startswith("m=audio ") and port is None:
            port = int(line.split()[1])
    if ip is None or port is None:
        raise NgError("no c= and m=audio in rtpengine's SDP: " + text.decode())
    return ip, port


def endpoint(net, i, port):
    return "%s.%d.%d" % (net, i >> 8, i & 255), port


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--calls", type=int, required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--calls-file", required=True)
    ap.add_argument("--stats-file")
    ap.add_argument("--ng-port", type=int, default=39980)
    ap.add_argument("--port-min", type=int, default=20000)
    ap.add_argument("--port-max", type=int, default=31999)
    ap.add_argument("--endpoint-port", type=int, default=41000)
    ap.add_argument("--a-net", default="127.2")
    ap.add_argument("--b-net", default="127.3")
    ap.add_argument("--log", default="/dev/null", help="rtpengine's stderr")
    a = ap.parse_args()
    if a.calls < 1 or 4 * a.calls > a.port_max - a.port_min + 1:
        sys.exit("rtpengine_calls: %d calls need %d ports (RTP and RTCP per leg); the range has %d"
                 % (a.calls, 4 * a.calls, a.port_max - a.port_min + 1))

    # an rtpengine left over on our ng port would answer our pings and set the calls up itself
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.bind(("127.0.0.1", a.ng_port))
    except OSError as e:
        sys.exit("rtpengine_calls: the ng port 127.0.0.1:%d is taken (%s): another rtpengine?"
                 % (a.ng_port, e.strerror))
    probe.close()
    # --config-file=none: not the package's /etc/rtpengine/rtpengine.conf (its control ports
    # would clash with a running service)
    cmd = ["rtpengine", "--config-file=none", "--foreground", "--log-stderr", "--log-level=3",
           "--table=-1", "--interface=127.0.0.1", "--listen-ng=127.0.0.1:%d" % a.ng_port,
           "--port-min=%d" % a.port_min, "--port-max=%d" % a.port_max,
           "--num-threads=%d" % a.threads, "--timeout=120", "--delete-delay=0"]
    log = open(a.log, "w")
    # its own process group: the driver's SIGTERM to ours must leave it running until its
    # counters are read (the same session: it shares the CPU as gen and sink do)
    engine = subprocess.Popen(cmd, stdout=log, stderr=log, process_group=0)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    try:
        ng = Ng("127.0.0.1", a.ng_port)
        deadline = time.time() + 10
        while True:
            if engine.poll() is not None:
                sys.exit("rtpengine_calls: rtpengine exited (%d) at start: %s"
                         % (engine.returncode, " ".join(cmd)))
            try:
                ng.call(command="ping")
                break
            except (OSError, NgError):
                if time.time() > deadline:
                    sys.exit("rtpengine_calls: rtpengine did not answer ng pings within 10 s")
                time.sleep(0.1)
        flags = {"replace": ["origin", "session-connection"], "ICE": "remove"}
        lines = []
        t0 = time.time()
        for i in range(a.calls):
            (aip, ap_), (bip, bp) = (endpoint(a.a_net, i, a.endpoint_port),
                                     endpoint(a.b_net, i, a.endpoint_port))
            cid = "calls-load-%d" % i
            offer = ng.call(command="offer", **{"call-id": cid, "from-tag": "a%d" % i,
                                                "sdp": sdp(aip, ap_, 2 * i + 1)}, **flags)
            answer = ng.call(command="answer", **{"call-id": cid, "from-tag": "a%d" % i,
                                                  "to-tag": "b%d" % i,
                                                  "sdp": sdp(bip, bp, 2 * i + 2)}, **flags)
            rb = sdp_media_addr(offer["sdp"])   # what B is told: rtpengine's B side
            ra = sdp_media_addr(answer["sdp"])  # what A is told: rtpengine's A side
            lines.append("%d %s:%d %s:%d %s:%d %s:%d\n" % (i, aip, ap_, bip, bp, ra[0], ra[1],
                                                           rb[0], rb[1]))
        setup = time.time() - t0
        with open(a.calls_file + ".tmp", "w") as f:
            f.write("# rtpengine (user space), %d calls, %d threads, set up over ng in %.2f s\n"
                    "# pid %d\n" % (a.calls, a.threads, setup, engine.pid))
            f.writelines(lines)
        os.rename(a.calls_file + ".tmp", a.calls_file)
        while not stop and engine.poll() is None:
            time.sleep(0.1)
        if engine.poll() is not None:
            sys.exit("rtpengine_calls: rtpengine exited (%d) while running" % engine.returncode)
        if a.stats_file:
            write_stats(ng, a.calls, a.stats_file)
    finally:
        if engine.poll() is None:
            engine.terminate()
            try:
                engine.wait(5)
            except subprocess.TimeoutExpired:
                engine.kill()
                engine.wait()


def write_stats(ng, calls, path):
    """rtpengine's own count of RTP packets received from each endpoint (ng query: per tag,
    per media, per stream; the RTP stream of a media is its first)."""
    ng.sock.settimeout(10)  # an overloaded rtpengine answers late
    with open(path, "w") as f:
        f.write("call\tdir\treceived\tsent\tsend_errors\n")
        for i in range(calls):
            try:
                q = ng.call(command="query", **{"call-id": "calls-load-%d" % i})
            except (OSError, NgError) as e:
                print("rtpengine_calls: query of call %d failed (%s): no counters for it" % (i, e),
                      file=sys.stderr)
                q = {}
            got = {}
            for tag, d in q.get("tags", {}).items():
                rtp = d[b"medias"][0][b"streams"][0] if isinstance(d, dict) and b"medias" in d \
                    else None
                if rtp is None:
                    m = d.get("medias") if isinstance(d, dict) else None
                    rtp = m[0]["streams"][0] if m else None
                if rtp is not None:
                    stats = rtp.get("stats", {})
                    got[tag] = stats.get("packets", "-")
            f.write("%d\tAB\t%s\t-\t-\n" % (i, got.get("a%d" % i, "-")))
            f.write("%d\tBA\t%s\t-\t-\n" % (i, got.get("b%d" % i, "-")))


if __name__ == "__main__":
    main()
