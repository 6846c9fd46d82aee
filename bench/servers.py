"""Servers under test, started as separate processes on free ports and always stopped.

``ours``: ``facilitation serve`` (one process, or several sharing the SQLite
database and a Redis message queue); ``bare``: ``bench/bare_server.py``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


def traced_env(trace: Path | None) -> dict:
    """What a server's environment gets to be traced (``bench/tracing/sitecustomize.py``):
    each process writes ``<trace>.<pid>``."""
    if trace is None:
        return {}
    paths = [str(ROOT / "bench" / "tracing"), os.environ.get("PYTHONPATH", "")]
    return {"PYTHONPATH": os.pathsep.join(p for p in paths if p), "BENCH_TRACE": str(trace)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not answer in {timeout}s: {url}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


class Redis:
    """A throwaway redis-server on a free port, its files in ``directory``."""

    def __init__(self, directory: Path):
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (make deps-test installs it)")
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(directory),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"redis://127.0.0.1:{self.port}/0"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return
            time.sleep(0.05)
        stop(self.proc)
        raise RuntimeError("redis-server did not start")

    def close(self) -> None:
        stop(self.proc)


class Servers:
    """One or more server processes; their URLs; CPU and memory read through psutil."""

    def __init__(self, procs: list[subprocess.Popen], urls: list[str], starts: list | None = None):
        self.procs, self.urls = procs, urls
        self.starts = starts or []  # how to start each again (kill_and_restart)
        self.ps = [psutil.Process(p.pid) for p in procs]

    def kill_and_restart(self) -> None:
        """SIGKILL every process (no clean shutdown, as in a crash), then start each again on
        its port and database; returns once they answer."""
        for proc in self.procs:
            proc.kill()
            proc.wait(10)
        self.procs = [start() for start in self.starts]
        for proc, url in zip(self.procs, self.urls):
            wait_http(url + "/", proc)
        self.ps = [psutil.Process(p.pid) for p in self.procs]

    def rss(self) -> int:
        return sum(p.memory_info().rss for p in self.ps)

    def cpu(self) -> float:
        return sum(sum(p.cpu_times()[:2]) for p in self.ps)

    def alive(self) -> bool:
        return all(p.poll() is None for p in self.procs)

    def close(self) -> None:
        for proc in self.procs:
            stop(proc)


def _python() -> str:
    return sys.executable


def start_ours(
    directory: Path,
    database: Path,
    mode: str,
    processes: int = 1,
    message_queue: str | None = None,
    secret: str = "bench-secret-not-for-production",
    extra_env: dict | None = None,
    trace: Path | None = None,
) -> Servers:
    env = {
        **os.environ,
        "FACILITATION_INSTANCE": str(directory),
        "FACILITATION_DATABASE": str(database),
        "FACILITATION_SECRET_KEY": secret,
        # Thousands of simulated people come from this one machine: the per-address
        # flood limits (meant for one attacker, or one venue's router) would cap them.
        "FACILITATION_SOCKET_CONNECTIONS_PER_ADDRESS": "1000000",
        "FACILITATION_SOCKET_RATE_PER_ADDRESS": "[1000000, 1000000]",
        "FACILITATION_SOCKET_PENDING_PER_ADDRESS": "1000000",
        **(extra_env or {}),
        **traced_env(trace),
    }
    env.pop("FACILITATION_MESSAGE_QUEUE", None)
    if message_queue:
        env["FACILITATION_MESSAGE_QUEUE"] = message_queue
    procs, urls, starts = [], [], []

    def starter(n, port):
        def start():
            log = open(directory / f"server-{mode}-{n}.log", "ab")  # noqa: SIM115 (kept for the process' life)
            return subprocess.Popen(
                    [
                        _python(),
                        "-m",
                        "facilitation.cli",
                        "serve",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(port),
                        "--async-mode",
                        mode,
                    ],
                    env=env,
                    stdout=log,
                    stderr=log,
                    cwd=str(ROOT),
                )
        return start

    try:
        for n in range(processes):
            port = free_port()
            starts.append(starter(n, port))
            procs.append(starts[-1]())
            urls.append(f"http://127.0.0.1:{port}")
        for proc, url in zip(procs, urls):
            wait_http(url + "/", proc)
    except BaseException:
        for proc in procs:
            stop(proc)
        raise
    return Servers(procs, urls, starts)


def start_bare(directory: Path, mode: str, coalesce: float = 0, trace: Path | None = None) -> Servers:
    port = free_port()
    log = open(directory / f"bare-{mode}.log", "ab")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            _python(),
            "-m",
            "bench.bare_server",
            "--port",
            str(port),
            "--db",
            str(directory / f"bare-{mode}.db"),
            "--async-mode",
            mode,
            "--coalesce",
            str(coalesce),
        ],
        stdout=log,
        stderr=log,
        cwd=str(ROOT),
        env={**os.environ, **traced_env(trace)},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(url + "/j/x", proc)
    except BaseException:
        stop(proc)
        raise
    return Servers([proc], [url])
