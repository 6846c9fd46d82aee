"""The real server in a subprocess, on a free port, with its own instance folder.

Used by the browser tests and by the restart test: ``facilitation migrate``,
``facilitation seed-demo``, then ``facilitation serve`` exactly as ``make run``
does, so what they test is what a person runs.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent
START_TIMEOUT = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _command() -> list[str]:
    script = BIN / "facilitation"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "facilitation.cli"]


@dataclass
class LiveServer:
    """A running ``facilitation serve``. ``url`` is its base, ``password`` and ``email``
    the demo facilitator's, ``code`` and ``meeting_id`` the demo meeting's."""

    instance: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    email: str = ""
    password: str = ""
    code: str = ""
    meeting_id: int = 0
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def db_path(self) -> Path:
        return self.instance / "facilitation.db"

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FACILITATION_")}
        env["FACILITATION_INSTANCE"] = str(self.instance)
        return env

    def run(self, *args: str) -> str:
        done = subprocess.run([*_command(), *args], env=self.env(), capture_output=True, text=True, timeout=60)
        if done.returncode:
            raise RuntimeError(f"facilitation {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def seed(self) -> None:
        self.run("migrate")
        out = self.run("seed-demo", "--base-url", self.url)
        self.email = re.search(r"email:\s+(\S+)", out).group(1)
        self.password = (self.instance / "demo_password").read_text().strip()
        with sqlite3.connect(self.db_path) as conn:
            self.meeting_id, self.code = conn.execute(
                "SELECT id, join_code FROM meetings ORDER BY id LIMIT 1"
            ).fetchone()
        assert f"/j/{self.code}" in out, out

    def start(self) -> LiveServer:
        self.log_path = self.instance / f"server-{self.port}.log"
        with open(self.log_path, "ab") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [*_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited at start:\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the server did not answer on port {self.port}:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""

    def stop(self) -> None:
        """A clean stop (SIGTERM), then SIGKILL if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to flush or close anything."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def start_demo_server(instance: Path) -> LiveServer:
    server = LiveServer(instance)
    server.seed()
    return server.start()


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

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)
