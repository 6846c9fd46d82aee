"""What a received websocket byte costs the server, for each websocket implementation on offer.

    python -m bench.wscost            # every implementation, frames of 1 KB, 8 KB and 60 KB
    python -m bench.wscost --mb 8     # more data per run

Each implementation is served in its own process, exactly as Engine.IO uses it
(the async driver's websocket class, with a handler that reads frames until the
client says "end"), on the same listening socket as ``facilitation serve``. One
client sends Socket.IO-shaped text frames (``42["x","AAA..."]``, masked once in
advance, as fast as the socket takes them) and the server's CPU time is read
through psutil before and after. Implementations:

- ``eventlet``: eventlet's websocket as installed (a Python loop per byte to unmask);
- ``eventlet-tuned``: the same after ``facilitation.live.websocket.tune`` (what
  ``facilitation serve`` and ``wsgi.py`` run);
- ``gevent``: Engine.IO's gevent driver, simple-websocket on wsproto;
- ``gevent-websocket``: the gevent-websocket package, only when it is installed.
"""

from __future__ import annotations

import argparse
import base64
import os
import socket
import subprocess
import sys
import time

import psutil

from .servers import free_port, stop

IMPLEMENTATIONS = ["eventlet", "eventlet-tuned", "gevent", "gevent-websocket"]
SIZES = [1024, 8 * 1024, 60 * 1024]
MAX_MESSAGE = 64 * 1024


def serve(mode: str, port: int) -> None:
    if mode.startswith("eventlet"):
        import eventlet

        eventlet.monkey_patch()
        from engineio.async_drivers import eventlet as driver

        if mode == "eventlet-tuned":
            from facilitation.live.websocket import tune

            tune("eventlet", MAX_MESSAGE)
    else:
        from gevent import monkey

        monkey.patch_all()
        if mode == "gevent-websocket":
            import geventwebsocket  # noqa: F401 (Engine.IO's gevent driver uses it when installed)
        from engineio.async_drivers import gevent as driver

    class Server:
        max_http_buffer_size = MAX_MESSAGE

    def handler(ws):
        frames = size = 0
        while True:
            message = ws.wait()
            if message is None:
                return []
            if message == "end":
                ws.send(f"{frames} {size}")
                frames = size = 0
            else:
                frames += 1
                size += len(message)

    def app(environ, start_response):
        return driver._async["websocket"](handler, Server())(environ, start_response)

    listener = socket.create_server(("127.0.0.1", port))
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    listener.listen(128)
    if mode.startswith("eventlet"):
        import eventlet.wsgi

        eventlet.wsgi.server(listener, app, log_output=False)
    elif mode == "gevent-websocket":
        from gevent import pywsgi
        from geventwebsocket.handler import WebSocketHandler

        pywsgi.WSGIServer(listener, app, log=None, handler_class=WebSocketHandler).serve_forever()
    else:
        from gevent import pywsgi

        pywsgi.WSGIServer(listener, app, log=None).serve_forever()


def frame(payload: bytes, opcode: int = 1) -> bytes:
    """A masked client frame (RFC 6455, 5.2)."""
    from facilitation.live.websocket import unmask

    key = os.urandom(4)
    n = len(payload)
    if n < 126:
        head = bytes([0x80 | opcode, 0x80 | n])
    elif n < 65536:
        head = bytes([0x80 | opcode, 0x80 | 126]) + n.to_bytes(2, "big")
    else:
        head = bytes([0x80 | opcode, 0x80 | 127]) + n.to_bytes(8, "big")
    return head + key + unmask(payload, key)


def handshake(port: int, host: str = "127.0.0.1", path: str = "/", source: str | None = None,
              headers: str = "") -> socket.socket:
    sock = socket.create_connection((host, port), timeout=60, source_address=(source, 0) if source else None)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{headers}\r\n").encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed during the handshake")
        answer += chunk
    if b" 101 " not in answer.split(b"\r\n", 1)[0]:
        raise ConnectionError(answer.split(b"\r\n", 1)[0].decode(errors="replace"))
    return sock


def read_frame(sock: socket.socket) -> bytes:
    def exactly(n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data

    head = exactly(2)
    n = head[1] & 0x7F
    if n == 126:
        n = int.from_bytes(exactly(2), "big")
    elif n == 127:
        n = int.from_bytes(exactly(8), "big")
    return exactly(n)


def measure(mode: str, sizes: list[int], megabytes: float) -> list[dict]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bench.wscost", "--serve", mode, "--port", str(port)],
                            stderr=subprocess.PIPE, text=True)
    rows = []
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                sock = handshake(port)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    why = proc.stderr.read() if proc.poll() is not None else ""
                    raise RuntimeError(f"{mode} did not start: {why}") from None
                time.sleep(0.1)
        server = psutil.Process(proc.pid)
        # The stock eventlet reader spends about 0.4 s a megabyte: a smaller volume tells the same.
        volume = megabytes / (8 if mode == "eventlet" else 1)
        for size in sizes:
            body = b'42["x","' + b"A" * (size - 10) + b'"]'
            data = frame(body)
            count = max(1, int(volume * 2**20 / size))
            end = frame(b"end")
            sock.sendall(frame(b"warm") + end)
            read_frame(sock)
            cpu0 = sum(server.cpu_times()[:2])
            t0 = time.perf_counter()
            for _ in range(count):
                sock.sendall(data)
            sock.sendall(end)
            got = read_frame(sock).decode().split()
            wall = time.perf_counter() - t0
            cpu = sum(server.cpu_times()[:2]) - cpu0
            total = count * len(body)
            rows.append({"implementation": mode, "frame_bytes": len(body), "frames": int(got[0]),
                         "received_bytes": int(got[1]), "mb_per_s": total / wall / 2**20,
                         "cpu_ns_per_byte": cpu / total * 1e9, "cpu_us_per_frame": cpu / count * 1e6,
                         "cpu_s_per_mb": cpu / (total / 2**20)})
        sock.close()
    finally:
        stop(proc)
    return rows


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(prog="python -m bench.wscost", description=__doc__.splitlines()[0])
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--implementations", default=",".join(IMPLEMENTATIONS))
    parser.add_argument("--mb", type=float, default=4.0, help="megabytes sent per frame size")
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.port)
        return []
    rows = []
    for mode in args.implementations.split(","):
        if mode == "gevent-websocket":
            try:
                import geventwebsocket  # noqa: F401
            except ImportError:
                print("gevent-websocket is not installed: skipped", flush=True)
                continue
        print(f"measuring {mode} ...", flush=True)
        rows.extend(measure(mode, SIZES, args.mb))
    print(f"\n{'implementation':<18} {'frame':>7} {'MB/s':>8} {'ns/byte':>8} {'us/frame':>9} {'cpu s/MB':>9}")
    for r in rows:
        print(f"{r['implementation']:<18} {r['frame_bytes']:>7} {r['mb_per_s']:>8.1f} {r['cpu_ns_per_byte']:>8.1f} "
              f"{r['cpu_us_per_frame']:>9.1f} {r['cpu_s_per_mb']:>9.3f}")
    return rows


if __name__ == "__main__":
    main()
