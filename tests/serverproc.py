"""The real server in a subprocess, and real clients of it (HTTP join, python-socketio).

Used by the crash, soak and flaky-network scenarios in tests/ and bench/: the
server runs exactly as in production (`facilitation serve`, eventlet, CSRF on)
on a free port with its own instance folder, so it can be SIGKILLed and
started again on the same database.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import socketio

BIN = Path(sys.executable).parent / "facilitation"
PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``facilitation serve`` on a free port with a temporary instance folder."""

    def __init__(self, instance: Path, env: dict | None = None, async_mode: str = "eventlet"):
        self.instance = Path(instance)
        self.port = free_port()
        self.async_mode = async_mode
        self.env = {**os.environ, "FACILITATION_INSTANCE": str(self.instance), **(env or {})}
        self.process: subprocess.Popen | None = None
        self.log = self.instance / "server.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database(self) -> str:
        return str(self.instance / "facilitation.db")

    def run(self, *args: str) -> str:
        done = subprocess.run([str(BIN), *args], env=self.env, capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"facilitation {' '.join(args)} failed: {done.stderr}")
        return done.stdout

    def seed(self, polls: int = 2, networks: int = 2) -> dict:
        """Migrate and seed through the app's own store functions: a facilitator,
        networks, a lab and a meeting with polls and a squad canvas."""
        self.run("migrate")
        code = (
            "import json, sys\n"
            "from facilitation import create_app, store\n"
            "from facilitation.auth import create_facilitator\n"
            "from facilitation.db import borrowed, transaction\n"
            "app = create_app()\n"
            "with borrowed(app) as db, transaction(db):\n"
            f"    create_facilitator(db, 'fac@example.org', 'Fac', {PASSWORD!r})\n"
            f"    nets = [store.save_network(db, {{'name': f'Rete {{i}}'}}) for i in range({networks})]\n"
            "    lab = store.save_lab(db, {'title': 'Lab'}, nets)\n"
            "    m = store.create_meeting(db, lab, {'title': 'Incontro'})\n"
            "    items = [store.add_item(db, m, 'poll', {'title': f'Q{i}', 'kind': 'single',"
            " 'options': ['A', 'B', 'C', 'D'], 'hide_results': False})"
            f" for i in range({polls})]\n"
            "    squad = store.add_item(db, m, 'squad', {'title': 'La squadra'})\n"
            "    print(json.dumps({'meeting': m, 'networks': nets, 'items': items, 'squad': squad,"
            " 'code': store.meeting(db, m)['join_code']}))\n"
        )
        import json

        done = subprocess.run([sys.executable, "-c", code], env=self.env, capture_output=True, text=True,
                              timeout=120)
        if done.returncode:
            raise RuntimeError(done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1])

    def python(self, code: str, **values) -> dict:
        """Run ``code`` in a fresh process with ``app``, ``store``, ``db`` (inside a transaction)
        and ``values`` defined; it sets ``result``, returned here (JSON)."""
        import json

        script = (
            "import json, sys\n"
            "from facilitation import create_app, store\n"
            "from facilitation.db import borrowed, transaction\n"
            "values = json.loads(sys.argv[1])\n"
            "app = create_app()\n"
            "with borrowed(app) as db, transaction(db):\n"
            "    result = None\n"
            + "".join(f"    {line}\n" for line in code.strip().splitlines())
            + "print(json.dumps(result))\n"
        )
        done = subprocess.run([sys.executable, "-c", script, json.dumps(values)], env=self.env,
                              capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start(self, timeout: float = 30) -> None:
        log = open(self.log, "ab")
        self.process = subprocess.Popen(
            [str(BIN), "serve", "--port", str(self.port), "--async-mode", self.async_mode],
            env=self.env, stdout=log, stderr=log)
        log.close()
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(self.url + "/", timeout=1).read()
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        raise RuntimeError("server did not start in time")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, as in a crash or an OOM kill."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    @property
    def pid(self) -> int:
        return self.process.pid


class Browserless:
    """An HTTP client with cookies: joins a meeting or logs in the way a browser does."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.read().decode()

    def post(self, path: str, data: dict) -> int:
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def csrf(self, path: str) -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', self.get(path))
        if not found:
            raise RuntimeError(f"no CSRF token on {path}")
        return found.group(1)

    def join(self, code: str, name: str, network: int, organisation: str = "Org") -> None:
        token = self.csrf(f"/j/{code}")
        self.post(f"/j/{code}", {"csrf_token": token, "name": name, "organisation": organisation,
                                 "network": str(network)})
        if not any(c.name.startswith("fp_") for c in self.jar):
            raise RuntimeError("join did not set the participant cookie")

    def login(self, email: str = "fac@example.org", password: str = PASSWORD) -> None:
        token = self.csrf("/f/login")
        self.post("/f/login", {"csrf_token": token, "email": email, "password": password})
        if not any(c.name == "session" for c in self.jar):
            raise RuntimeError("login failed")

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


class LiveClient:
    """A python-socketio client that behaves like static/js/live.js: reconnects by
    itself, keeps the highest sequence seen, retries an action with the same cid
    until it is acknowledged."""

    def __init__(self, server: Server, http: Browserless, meeting: int, role: str = "participant"):
        self.server, self.http, self.meeting, self.role = server, http, meeting, role
        self.seq = 0
        self.snapshots = 0
        self.events: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        self.sio = socketio.Client(reconnection=True, reconnection_attempts=0, reconnection_delay=0.2,
                                   reconnection_delay_max=1.0, randomization_factor=0.2)
        self.sio.on("snapshot", self._snapshot)
        for name in ("meeting", "results", "event", "presence"):
            self.sio.on(name, self._make_handler(name))

    def _snapshot(self, snap):
        with self.lock:
            self.snapshots += 1
            self.seq = max(self.seq, snap.get("seq", 0))
            self.last_snapshot = snap

    def _make_handler(self, name):
        def handler(message):
            with self.lock:
                self.events.append((name, message))
                if isinstance(message, dict) and isinstance(message.get("seq"), int):
                    self.seq = max(self.seq, message["seq"])
        return handler

    def connect(self) -> None:
        self.sio.connect(self.server.url, headers={"Cookie": self.http.cookie_header()},
                         auth={"meeting": self.meeting, "role": self.role}, transports=["websocket"],
                         wait_timeout=10)

    def send(self, event: str, message: dict, give_up: float = 60.0, cid: str | None = None) -> dict:
        """Send until acknowledged (ok or a refusal); the same cid on every attempt."""
        cid = cid or uuid.uuid4().hex
        body = {**message, "cid": cid}
        deadline = time.time() + give_up
        while time.time() < deadline:
            if not self.sio.connected:
                time.sleep(0.05)
                continue
            try:
                ack = self.sio.call(event, body, timeout=3)
            except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError,
                    socketio.exceptions.DisconnectedError, ConnectionError, OSError):
                continue
            if isinstance(ack, dict) and ack.get("ok") is False and ack["error"]["code"] == "rate_limited":
                time.sleep(0.3)
                continue
            if isinstance(ack, dict) and isinstance(ack.get("seq"), int):
                with self.lock:
                    self.seq = max(self.seq, ack["seq"])
            return {**(ack or {}), "cid": cid}
        return {"ok": False, "error": {"code": "not_sent"}, "cid": cid}

    def add_strategy(self, item: int, unit_id: str) -> dict:
        return self.send("action", {"item": item, "type": "add", "payload": {
            "kind": "strategy", "id": unit_id, "fields": {"title": f"Strategia {unit_id}"}}})

    def vote(self, item: int, value) -> dict:
        return self.send("action", {"item": item, "type": "answer", "payload": {"value": value}})

    def control(self, cmd: str, **extra) -> dict:
        return self.send("control", {"cmd": cmd, **extra})

    def close(self) -> None:
        try:
            self.sio.disconnect()
        except Exception:  # already gone with the server
            pass


def join_participants(server: Server, seed: dict, count: int, prefix: str = "P") -> list[LiveClient]:
    clients = []
    for i in range(count):
        http = Browserless(server.url)
        http.join(seed["code"], f"{prefix}{i}", seed["networks"][i % len(seed["networks"])])
        client = LiveClient(server, http, seed["meeting"])
        client.connect()
        clients.append(client)
    return clients


def facilitator(server: Server, seed: dict) -> LiveClient:
    http = Browserless(server.url)
    http.login()
    client = LiveClient(server, http, seed["meeting"], role="console")
    client.connect()
    return client


def wait_until(predicate, timeout: float = 20, step: float = 0.05) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


class Proxy:
    """A TCP relay in front of the server whose link can be cut: ``cut()`` closes every
    open connection and refuses new ones until ``restore()``, as a lost network does.
    (The browser's offline emulation leaves open WebSockets alive, so it is not enough.)"""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.online = True
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.online:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.open |= {client, upstream}
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
            with self.lock:
                self.open -= {source, sink}

    def cut(self) -> None:
        self.online = False
        with self.lock:
            connections = list(self.open)
        for s in connections:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def restore(self) -> None:
        self.online = True

    def close(self) -> None:
        self.closed = True
        self.cut()
        self.listener.close()
