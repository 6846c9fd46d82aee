"""The real server in a subprocess, and real clients of it (HTTP forms, python-socketio).

Used by the browser tests, the restart, crash, backup and limits tests and by bench/:
``facilitation migrate``, then ``facilitation seed-demo`` or a seed through the app's
own store functions, then ``facilitation serve`` exactly as ``make run`` does
(eventlet, CSRF on), on a free port with its own instance folder, so what they test
is what a person runs. It can be SIGKILLed and started again on the same database.
"""

from __future__ import annotations

import atexit
import contextlib
import http.cookiejar
import json
import os
import re
import signal
import socket
import sqlite3
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

BIN = Path(sys.executable).parent
START_TIMEOUT = 90  # a start takes about 2 s; a wait ends as soon as the home page answers
PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _command() -> list[str]:
    script = BIN / "facilitation"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "facilitation.cli"]


class LiveServer:
    """``facilitation serve`` on a free port with the instance folder ``instance``.

    ``env`` overrides the server's settings (``FACILITATION_*``: locale, limits, SQLite);
    those of the calling shell are not inherited, so a run does not depend on it.
    ``email`` and ``password`` are the seeded facilitator's, ``code`` and ``meeting_id``
    the seeded meeting's."""

    def __init__(self, instance: Path, env: dict | None = None):
        self.instance = Path(instance)
        self.instance.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.overrides = dict(env or {})
        self.process: subprocess.Popen | None = None
        self.log_path = self.instance / "server.log"
        self.email = "fac@example.org"
        self.password = PASSWORD
        self.code = ""
        self.meeting_id = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def db_path(self) -> Path:
        return self.instance / "facilitation.db"

    @property
    def pid(self) -> int:
        return self.process.pid

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FACILITATION_")}
        # PYTHONFAULTHANDLER: a server that does not answer in time is sent SIGABRT, and its log
        # then says where each of its threads was.
        return {**env, "FACILITATION_INSTANCE": str(self.instance), "PYTHONFAULTHANDLER": "1", **self.overrides}

    def run(self, *args: str) -> str:
        done = subprocess.run([*_command(), *args], env=self.env(), capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"facilitation {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def seed_demo(self) -> None:
        """``facilitation seed-demo``: a demo lab, five networks, a draft meeting of four polls."""
        self.run("migrate")
        out = self.run("seed-demo", "--base-url", self.url)
        self.email = re.search(r"email:\s+(\S+)", out).group(1)
        self.password = (self.instance / "demo_password").read_text().strip()
        with sqlite3.connect(self.db_path) as conn:
            self.meeting_id, self.code = conn.execute(
                "SELECT id, join_code FROM meetings ORDER BY id LIMIT 1"
            ).fetchone()
        assert f"/j/{self.code}" in out, out

    def seed(self, polls: int = 2, networks: int = 2) -> dict:
        """Migrate and seed through the app's own store functions: a facilitator,
        networks, a lab and a meeting with polls and a squad canvas."""
        self.run("migrate")
        seed = self.python(
            "from facilitation.auth import create_facilitator\n"
            "create_facilitator(db, values['email'], 'Fac', values['password'])\n"
            "nets = [store.save_network(db, {'name': f'Rete {i}'}) for i in range(values['networks'])]\n"
            "lab = store.save_lab(db, {'title': 'Lab'}, nets)\n"
            "m = store.create_meeting(db, lab, {'title': 'Incontro'})\n"
            "items = [store.add_item(db, m, 'poll', {'title': f'Q{i}', 'kind': 'single',"
            " 'options': ['A', 'B', 'C', 'D'], 'hide_results': False}) for i in range(values['polls'])]\n"
            "squad = store.add_item(db, m, 'squad', {'title': 'La squadra'})\n"
            "result = {'meeting': m, 'networks': nets, 'items': items, 'squad': squad,"
            " 'code': store.meeting(db, m)['join_code']}",
            email=self.email, password=self.password, polls=polls, networks=networks,
        )
        self.meeting_id, self.code = seed["meeting"], seed["code"]
        return seed

    def python(self, code: str, **values):
        """Run ``code`` in a fresh process with ``app``, ``store``, ``db`` (inside a transaction)
        and ``values`` defined; it sets ``result``, returned here (JSON)."""
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
        done = subprocess.run([sys.executable, "-c", script, json.dumps(values)], env=self.env(),
                              capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start(self, timeout: float = START_TIMEOUT) -> LiveServer:
        """Serve, and return once the home page answers. Every run appends to one log."""
        with open(self.log_path, "ab") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [*_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        RUNNING.add(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited at start:\n{self.log()}")
            try:
                urllib.request.urlopen(self.url + "/", timeout=1).read()
                return self
            except OSError:
                time.sleep(0.1)
        self.process.send_signal(signal.SIGABRT)  # its threads' stacks to the log (faulthandler)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.stop()
        raise RuntimeError(f"the server did not answer on port {self.port} in {timeout} s:\n{self.log()}")

    def restart(self, down_for: float = 0.0, new_port: bool = False) -> LiveServer:
        """SIGKILL, then serve again on the same database (on a new port if asked)."""
        self.kill()
        time.sleep(down_for)
        if new_port:
            self.port = free_port()
        return self.start()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        """A clean stop (SIGTERM), then SIGKILL if it lingers."""
        RUNNING.discard(self)
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, as in a crash or an OOM kill."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


# Every server started and not stopped yet: stopped when the test session (or the process) ends,
# whatever happened in the fixture that started it (a fixture failing before its `yield` never
# reaches its teardown).
RUNNING: set[LiveServer] = set()


def stop_all() -> None:
    for server in list(RUNNING):
        try:
            server.stop()
        except Exception:  # the session is ending: kill what is left, report nothing
            if server.process is not None and server.process.poll() is None:
                os.killpg(server.process.pid, signal.SIGKILL)


atexit.register(stop_all)


def start_demo_server(instance: Path, env: dict | None = None) -> LiveServer:
    server = LiveServer(instance, env)
    server.seed_demo()
    return server.start()


@contextlib.contextmanager
def demo_server(instance: Path, env: dict | None = None):
    """A demo server for the block (a fixture's lifetime); its log printed at the end, which pytest
    shows only when a test failed."""
    server = start_demo_server(instance, env)
    try:
        yield server
    finally:
        server.stop()
        print(server.log())


def keep_squad_versions(server: LiveServer, versions, links=()) -> dict[str, str]:
    """Squad canvases kept in networks' archives as closed versions (``versions``: ``(network_id,
    canvas, t0_canvas)`` each; with a T0 canvas, its figures saved beside, as a version compared
    with its T0 has them), and a link issued for each network of ``links``; returns each link's
    secret by its network's id (as text)."""
    return server.python(
        "from facilitation.api.testing import add_version\n"
        "from facilitation_squad.analysis import figures\n"
        "for network, canvas, t0 in values['versions']:\n"
        "    more = {'t0': {'figures': figures(t0)}} if t0 else {}\n"
        "    add_version(db, network, {'schema': canvas['schema'], 'canvas': canvas, 'reason': 'closed',"
        " 'authors': ['Ada'], **more}, 'Squadra', exercise_type='squad')\n"
        "result = {n: store.issue_network_link(db, n) for n in values['links']}\n",
        versions=list(versions), links=list(links))


class FormClient:
    """A cookie-keeping HTTP client for the real server, as a browser without JavaScript:
    ``csrf(path)`` reads a page's CSRF token, ``post(path, data)`` sends a form with it
    (redirects followed), ``cookie_header()`` is what a Socket.IO client sends along."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base_url + path))

    def csrf(self, path: str) -> str:
        status, body = self.get(path)
        found = re.search(r'name="csrf_token" value="([^"]+)"', body)
        assert found, f"no CSRF token on {path} ({status})"
        return found.group(1)

    def post(self, path: str, data: dict, token_from: str | None = None) -> tuple[int, str]:
        fields = {"csrf_token": self.csrf(token_from or path), **data}
        body = urllib.parse.urlencode(fields).encode()
        return self._open(urllib.request.Request(self.base_url + path, data=body, method="POST"))

    def join(self, code: str, name: str, network: int, organisation: str = "Org") -> None:
        self.post(f"/j/{code}", {"name": name, "organisation": organisation, "network": str(network)})
        if not any(c.name.startswith("fp_") for c in self.jar):
            raise RuntimeError("join did not set the participant cookie")

    def login(self, email: str, password: str) -> None:
        # A refused login answers 401 with the form again; an accepted one redirects to the
        # dashboard (followed here). The session cookie alone proves nothing: the form sets it.
        status, _ = self.post("/f/login", {"email": email, "password": password})
        if status != 200:
            raise RuntimeError(f"login failed (HTTP {status})")

    def _open(self, request) -> tuple[int, str]:
        try:
            # Generous: a page is quick, but a busy machine may hold a login's password hash a while.
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


class LiveClient:
    """A python-socketio client that behaves like static/js/live.js: reconnects by
    itself (unless ``reconnect`` is false), keeps the highest sequence seen and the
    last snapshot, retries an action with the same cid until it is acknowledged."""

    def __init__(self, server: LiveServer, http: FormClient, meeting: int, role: str = "participant",
                 reconnect: bool = True):
        self.server, self.http, self.meeting, self.role = server, http, meeting, role
        self.seq = 0
        self.snapshots = 0
        self.last_snapshot: dict | None = None
        self.events: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        self.sio = socketio.Client(reconnection=reconnect, reconnection_attempts=0, reconnection_delay=0.2,
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


def join_participants(server: LiveServer, seed: dict, count: int, prefix: str = "P") -> list[LiveClient]:
    clients = []
    for i in range(count):
        http = FormClient(server.url)
        http.join(seed["code"], f"{prefix}{i}", seed["networks"][i % len(seed["networks"])])
        client = LiveClient(server, http, seed["meeting"])
        client.connect()
        clients.append(client)
    return clients


def facilitator(server: LiveServer, seed: dict) -> LiveClient:
    http = FormClient(server.url)
    http.login(server.email, server.password)
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
    (The browser's offline emulation leaves open WebSockets alive, so it is not enough.)
    With ``websockets=False`` it answers every websocket upgrade 403, as some corporate proxies do."""

    def __init__(self, target_port: int, websockets: bool = True):
        self.target_port, self.websockets = target_port, websockets
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
                threading.Thread(target=self._pipe, args=(a, b, a is client), daemon=True).start()

    def _pipe(self, source, sink, from_client=False):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if from_client and not self.websockets and b"upgrade: websocket" in data.lower():
                    source.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
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
