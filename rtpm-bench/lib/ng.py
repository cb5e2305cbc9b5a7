"""A tiny client of rtpengine's ng control protocol: bencoded dictionaries over UDP, each
datagram "cookie message" (sipwise/rtpengine docs/ng_control_protocol.md). Bench tooling for
relay-load and calls-load, which set rtpengine up as a relay to compare with: the product's ng
code is elsewhere."""
import os
import socket


def bencode(v):
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, str):
        v = v.encode()
    if isinstance(v, bytes):
        return b"%d:%s" % (len(v), v)
    if isinstance(v, list):
        return b"l" + b"".join(bencode(x) for x in v) + b"e"
    if isinstance(v, dict):
        return b"d" + b"".join(bencode(k) + bencode(v[k]) for k in sorted(v)) + b"e"
    raise TypeError(type(v))


def bdecode(b, i=0):
    """(value, next index); byte strings stay bytes, dictionary keys become str."""
    c = b[i:i + 1]
    if c == b"i":
        j = b.index(b"e", i)
        return int(b[i + 1:j]), j + 1
    if c in (b"l", b"d"):
        i += 1
        out = [] if c == b"l" else {}
        while b[i:i + 1] != b"e":
            k, i = bdecode(b, i)
            if c == b"l":
                out.append(k)
            else:
                v, i = bdecode(b, i)
                out[k.decode()] = v
        return out, i + 1
    j = b.index(b":", i)
    n = int(b[i:j])
    return b[j + 1:j + 1 + n], j + 1 + n


class NgError(RuntimeError):
    pass


class Ng:
    """One UDP socket to rtpengine's ng port; call() sends one command and waits for its reply
    (matched by cookie: a late reply to an earlier, timed-out command is skipped)."""

    def __init__(self, host, port, timeout=2.0):
        self.addr = (host, port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.settimeout(timeout)
        self.n = 0

    def call(self, **msg):
        self.n += 1
        cookie = b"%d_%d" % (os.getpid(), self.n)
        self.sock.sendto(cookie + b" " + bencode(msg), self.addr)
        while True:
            data = self.sock.recv(1 << 20)
            c, _, body = data.partition(b" ")
            if c != cookie:
                continue
            reply, _ = bdecode(body)
            if reply.get("result") not in (b"ok", b"pong"):
                raise NgError("rtpengine %s: %r" % (msg.get("command"), reply))
            return reply

