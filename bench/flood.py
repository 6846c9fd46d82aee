"""Hostile load for ``--scenarios hostile``: anonymous websocket floods, and a page prober.

A flooder is what issue reports describe: no cookie, no Socket.IO auth, a raw
Engine.IO websocket sending ``42["x","AAA..."]`` frames (masked once in
advance) as fast as the socket takes them, in batches of about 256 KB. When the
server closes the connection or refuses a new one, it connects again at once.
Each flooder binds its own source address (127.0.0.2, 127.0.0.3, ...), as
separate attackers would have. All flooders run as threads of one process
(sending prebuilt bytes releases the GIL), so 20 of them do not take 20 cores,
and at the lowest priority (nice 19): an attacker's CPU is not the server's,
but here the flooders share two cores with the server and the 200 clients,
and a flooder retrying a refused connection at once, thousands of times a
second, would otherwise measure how it starves the machine rather than how
the server copes. Its CPU share is reported beside the figures.

With ``a`` after the frame size (``1x1024a``) a flooder is a participant: it
joins through the form, connects with its cookie and floods invalid votes that
ask for acks (what made 10,000 ``invalid`` acks in the issue reports); when the
server closes it, it connects again with the same cookie.

The prober fetches ``GET /`` every 100 ms, one request after the other, and
keeps each latency: what a person opening a page meanwhile waits.
"""

from __future__ import annotations

import http.cookiejar
import json
import multiprocessing
import os
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import psutil

from .stats import Histogram
from .wscost import frame, handshake, read_frame

PATH = "/socket.io/?EIO=4&transport=websocket"
BATCH = 256 * 1024
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def join(port: int, code: str, network: int) -> str:
    """A participant's cookie, through the join form as a browser gets it."""
    base = f"http://127.0.0.1:{port}"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/j/{code}", timeout=60).read().decode()
    token = CSRF.search(page)
    form = {"csrf_token": token.group(1) if token else "", "name": "Flood", "organisation": "Flood",
            "network": str(network)}
    opener.open(urllib.request.Request(f"{base}/j/{code}", data=urllib.parse.urlencode(form).encode()), timeout=60)
    return "; ".join(f"{c.name}={c.value}" for c in jar if c.name.startswith("fp_"))


def flooder(port: int, source: str, frame_size: int, stop_at: float, out: dict, auth: dict | None = None) -> None:
    """Flood from ``source``; with ``auth`` ({code, network, meeting, item}) as a participant who
    joined through the form and sends invalid votes (a value that is no option), asking for acks."""
    if auth:
        cookie = f"Cookie: {join(port, auth['code'], auth['network'])}\r\n"
        head = f'421["action",{{"item":{auth["item"]},"type":"answer","payload":{{"value":"'.encode()
        payload = head + b"A" * max(0, frame_size - len(head) - 4) + b'"}}]'
    else:
        cookie = ""
        payload = b'42["x","' + b"A" * max(0, frame_size - 10) + b'"]'
    one = frame(payload)
    batch = one * max(1, BATCH // len(one))
    while time.monotonic() < stop_at:
        try:
            sock = handshake(port, path=PATH, source=source, headers=cookie)
            if auth:
                sock.sendall(frame(json.dumps({"meeting": auth["meeting"], "role": "participant"}).join(["40", ""])
                                   .encode()))
                while not (answer := read_frame(sock)).startswith((b"40", b"44")):
                    pass
                if answer.startswith(b"44"):
                    raise ConnectionError("connect refused")
        except ConnectionError:  # refused (an HTTP status other than 101, a reset) or closed at once
            out["refused"] += 1
            continue
        except OSError:
            out["errors"] += 1
            time.sleep(0.01)
            continue
        out["connections"] += 1
        sock.settimeout(2.0)
        try:
            while time.monotonic() < stop_at:
                try:
                    sock.sendall(batch)
                except TimeoutError:  # the server reads slower than this: keep pushing
                    continue
                out["bytes"] += len(batch)
                out["frames"] += len(batch) // len(one)
        except OSError:  # closed by the server
            out["closed"] += 1
        finally:
            sock.close()


def _main(conn, port: int, connections: int, frame_size: int, seconds: float, auth: dict | None) -> None:
    os.nice(19)
    me = psutil.Process()
    stop_at = time.monotonic() + seconds
    counts = [{"connections": 0, "refused": 0, "errors": 0, "closed": 0, "bytes": 0, "frames": 0}
              for _ in range(connections)]
    threads = [threading.Thread(target=flooder, args=(port, f"127.0.0.{2 + k}", frame_size, stop_at, counts[k], auth),
                                daemon=True) for k in range(connections)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 30)
    elapsed = time.monotonic() - started
    total = {key: sum(c[key] for c in counts) for key in counts[0]}
    total["seconds"] = elapsed
    total["cpu_pct"] = 100 * sum(me.cpu_times()[:2]) / max(1e-6, elapsed)
    total["mb_per_s"] = total["bytes"] / 2**20 / max(1e-6, elapsed)
    conn.send(total)


class Flood:
    """``connections`` flooders of ``frame_size``-byte frames against ``url`` for ``seconds``."""

    def __init__(self, url: str, connections: int, frame_size: int, seconds: float, auth: dict | None = None):
        port = int(url.rsplit(":", 1)[1])
        ctx = multiprocessing.get_context("spawn")
        self.pipe, theirs = ctx.Pipe()
        self.proc = ctx.Process(target=_main, args=(theirs, port, connections, frame_size, seconds, auth),
                                daemon=True)
        self.proc.start()
        self.seconds = seconds

    def result(self) -> dict:
        if not self.pipe.poll(self.seconds + 60):
            self.proc.kill()
            return {"failed": "the flood process gave no result"}
        found = self.pipe.recv()
        self.proc.join(10)
        return found


class Prober:
    """``GET url`` every ``every`` seconds in a thread, until ``stop()``."""

    def __init__(self, url: str, every: float = 0.1):
        self.url, self.every = url, every
        self.hist = Histogram()
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            t0 = time.monotonic()
            try:
                with urllib.request.urlopen(self.url, timeout=60) as answer:
                    answer.read()
                self.hist.add(time.monotonic() - t0)
            except urllib.error.HTTPError:
                self.hist.add(time.monotonic() - t0)  # an answer all the same (the bare server's 404)
            except OSError:  # timeouts included
                self.failures += 1
            self._stop.wait(max(0.0, self.every - (time.monotonic() - t0)))

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join(70)
        return {**self.hist.summary_ms(), "count": self.hist.count, "failures": self.failures}
