"""One measured run: start a server, ramp the participants, burst the actions, settle, stop.

Phases and what each measures:

ramp    participants join (HTTP) and connect (websocket) -> ramp time, server
        RSS per connection (RSS after the ramp minus before, over connections);
burst   each participant sends its action at a scheduled time -> action-to-ack
        latency, actions persisted per second, server CPU;
settle  every client waits for a push at least as new as the last action ->
        action-to-receipt latency by every other client, time from the last
        action to the last client seeing the final results, pushes per second.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import random
import re
import signal
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import socketio

from . import clients, nginx, servers
from .flood import Flood, Prober
from .scenarios import FACILITATOR
from .stats import Histogram, of

SECRET = "bench-secret-not-for-production"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


async def log_in(url: str) -> str:
    """The facilitator's session cookie, through the login form."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.get(f"{url}/f/login") as page:
            token = CSRF.search(await page.text()).group(1)
        email, _, password = FACILITATOR
        async with http.post(
            f"{url}/f/login", data={"csrf_token": token, "email": email, "password": password}, allow_redirects=False
        ) as answer:
            if answer.status != 302:
                raise RuntimeError(f"facilitator login refused: HTTP {answer.status}")
        return "; ".join(f"{c.key}={c.value}" for c in http.cookie_jar)


async def facilitator(url: str, meeting: int, cookie: str | None = None) -> tuple[socketio.AsyncClient, dict]:
    """Log in through the form (unless given the session's cookie), connect the console, count
    what it receives."""
    counts: dict[str, int] = {}
    cookie = cookie or await log_in(url)
    sio = socketio.AsyncClient(reconnection=False, handle_sigint=False)

    def counter(name):
        def count(*args):
            counts[name] = counts.get(name, 0) + 1

        return count

    for name in ("presence", "team_presence", "results", "meeting", "snapshot", "event"):
        sio.on(name, counter(name))
    await sio.connect(
        url,
        headers={"Cookie": cookie},
        transports=["websocket"],
        auth={"meeting": meeting, "role": "console"},
        wait_timeout=30,
    )
    return sio, counts


class Pool:
    """The client processes, each driving a share of the participants."""

    def __init__(self, n: int, spec: dict, total: int):
        ctx = multiprocessing.get_context("spawn")
        self.pipes, self.procs = [], []
        for k in range(n):
            ours, theirs = ctx.Pipe()
            share = {**spec, "indexes": list(range(k, total, n))}
            proc = ctx.Process(target=clients.main, args=(theirs, share), daemon=True)
            proc.start()
            self.pipes.append(ours)
            self.procs.append(proc)

    async def ask(self, command: str, args_for=lambda k: (), timeout: float = 300) -> list[dict]:
        """Send a command to every client process and wait for all answers (a stuck or dead
        process fails the run instead of hanging it)."""
        loop = asyncio.get_running_loop()
        for k, pipe in enumerate(self.pipes):
            pipe.send((command, args_for(k)))

        def answer(k, pipe):
            if not pipe.poll(timeout):
                alive = self.procs[k].is_alive()
                raise RuntimeError(
                    f"client process {k} gave no answer to {command} in {timeout:.0f}s ({'alive' if alive else 'dead'})"
                )
            found = pipe.recv()
            if "failed" in found:
                raise RuntimeError(f"client process {k} failed on {command}: {found['failed']}")
            return found

        return list(
            await asyncio.gather(*(loop.run_in_executor(None, answer, k, pipe) for k, pipe in enumerate(self.pipes)))
        )

    def close(self) -> None:
        for proc in self.procs:
            proc.join(10)
            if proc.is_alive():
                proc.kill()


# The baselines: a bare python-socketio server pushing results once per vote, and one
# coalescing them to 4 a second on a schedule, as ours does by default.
BARE = {"bare": 0, "bare4": 4}


async def measure(case: dict, scenario, work: Path) -> dict:
    bare = case["server"] in BARE
    database = work / "bench.db"
    seeded = scenario.seed(database, SECRET) if not bare else scenario.seed(work / "unused.db", SECRET)
    redis = servers.Redis(work) if case["processes"] > 1 else None
    result: dict = {**case}
    trace = work / "trace" if case.get("trace") else None
    try:
        if bare:
            srv = servers.start_bare(work, case["mode"], BARE[case["server"]], trace=trace)
            database = work / f"bare-{case['mode']}.db"
        else:
            srv = servers.start_ours(
                work, database, case["mode"], case["processes"], redis.url if redis else None, SECRET, trace=trace
            )
        proxy = nginx.Proxy(work, srv.urls) if case.get("via") == "nginx" else None
        try:
            result.update(await _drive(case, scenario, seeded, srv, [proxy.url] if proxy else srv.urls, bare))
            if trace is not None:
                result["ack_split_ms"] = ack_split(result.pop("acks_sent"), sorted(work.glob("trace.*")))
            result["persisted"] = scenario.persisted(database, bare)
            if hasattr(scenario, "report") and not bare:
                result.update(scenario.report(database))
            result["server_alive"] = srv.alive()
        finally:
            if proxy:
                proxy.close()
            srv.close()
            result["server_exceptions"] = server_exceptions(work)
    finally:
        if redis:
            redis.close()
    return result


# An ack's time in three parts (``--trace``, bench/tracing/sitecustomize.py): from the client's
# send to the server reading the action's frame (the client's send queue, the kernel, the
# server's turn to read), in the server (the frame read to the ack's frame written: the action's
# work and its waits for the event loop), and back (the frame written to the client's receipt:
# the kernel and the client process's turn to read, behind the pushes it is decoding meanwhile).
SPLIT = ("to", "in", "back")


def ack_split(acks: list[dict], files: list[Path]) -> dict:
    read: dict[str, float] = {}
    written: dict[str, float] = {}
    for path in files:
        for line in path.read_text().splitlines():
            kind, key, at = line.split()
            (read if kind == "in" else written).setdefault(key, float(at))
    parts: dict[str, list[float]] = {name: [] for name in SPLIT}
    totals = []
    for a in acks:
        got, out = read.get(a.get("cid")), written.get(str(a.get("seq")))
        if a.get("error") or a.get("acked") is None or got is None or out is None:
            continue
        for name, value in zip(SPLIT, (got - a["sent"], out - got, a["acked"] - out)):
            parts[name].append(value)
        totals.append(a["acked"] - a["sent"])
    if not totals:
        return {}
    # The slowest twentieth of the acks (those past the p95): where their time went, on average.
    slowest = sorted(range(len(totals)), key=totals.__getitem__)[-max(1, len(totals) // 20):]
    return {
        "matched": len(totals),
        **{name: {**of(values).summary_ms(), "slowest": 1000 * sum(values[i] for i in slowest) / len(slowest)}
           for name, values in parts.items()},
    }


def server_exceptions(work: Path) -> dict[str, int]:
    """What the servers logged as exceptions (the last line of each traceback), counted:
    a refused action in the table has its cause in the JSON."""
    found: dict[str, int] = {}
    for log in sorted(work.glob("*.log")):
        lines = log.read_text(errors="replace").splitlines()
        for n, line in enumerate(lines):
            if not line.startswith("Traceback"):
                continue
            end = n + 1
            while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
                end += 1
            if end < len(lines):
                found[lines[end][:200]] = found.get(lines[end][:200], 0) + 1
    return found


async def _drive(case, scenario, seeded, srv: servers.Servers, urls: list[str], bare: bool) -> dict:
    out: dict = {}
    fac = None
    if not bare:
        fac, fac_counts = await facilitator(urls[0], seeded["meeting"])
        for control in scenario.controls(seeded):
            ack = await fac.call("control", control, timeout=30)
            if not ack.get("ok"):
                raise RuntimeError(f"control refused: {ack}")
    n = scenario.participants
    groups = scenario.groups()
    spec = {
        "urls": srv.urls,
        "code": seeded["code"],
        "meeting": seeded["meeting"],
        "networks": seeded["networks"],
        "groups": groups,
        "listen": scenario.listen,
        "concurrency": case.get("concurrency", 40),
    }
    pool = Pool(case["client_procs"], spec, n)
    try:
        await asyncio.sleep(0.5)
        rss0, cpu0 = srv.rss(), srv.cpu()
        ramp_profilers = _profile(srv, case, "ramp") if case.get("profile") else []
        ramp = await pool.ask("ramp")
        _stop(ramp_profilers)
        rss1, cpu1 = srv.rss(), srv.cpu()
        connected = sum(r["connected"] for r in ramp)
        out.update(
            {
                "connected": connected,
                "refused": sum(r["error_count"] for r in ramp),
                "ramp_errors": [e for r in ramp for e in r["errors"]][:3],
                "ramp_s": max(r["finished"] for r in ramp) - min(r["started"] for r in ramp),
                "join_ms": of(t for r in ramp for t in r["join"]).summary_ms(),
                "connect_ms": of(t for r in ramp for t in r["connect"]).summary_ms(),
                "rss_base_mb": rss0 / 2**20,
                "rss_mb": rss1 / 2**20,
                "rss_per_conn_kb": (rss1 - rss0) / 1024 / max(1, connected),
                "ramp_cpu_s": cpu1 - cpu0,
            }
        )
        schedule = scenario.schedule(seeded)
        shares = [[e for e in schedule if e[0] % case["client_procs"] == k] for k in range(case["client_procs"])]
        flood = prober = None
        if case.get("flood"):  # hostile: the flood starts 1.5 s before the burst and outlasts it
            if case["flood"]["connections"]:
                auth = ({"code": seeded["code"], "network": seeded["networks"][0], "meeting": seeded["meeting"],
                         "item": seeded.get("item", 0)} if case["flood"].get("auth") else None)
                flood = Flood(urls[0], case["flood"]["connections"], case["flood"]["frame"], case["window"] + 4.5,
                              auth)
            prober = Prober(urls[0] + "/")
        if hasattr(scenario, "before_burst"):  # e.g. an e-book asked for, built while the votes arrive
            await scenario.before_burst(urls[0], seeded)
        await asyncio.sleep(1.0)
        t0 = time.monotonic() + 0.5
        cpu2 = srv.cpu()
        profilers = _profile(srv, case, "burst") if case.get("profile") else []
        burst = await pool.ask("burst", lambda k: (t0, shares[k]))
        if hasattr(scenario, "progress_now"):
            scenario.progress_now(seeded)
        if prober is not None:
            out["page_ms"] = prober.stop()
            out["dropped"] = sum(r.get("disconnected", 0) for r in burst)
        if flood is not None:
            out["flood_result"] = await asyncio.get_running_loop().run_in_executor(None, flood.result)
        acks = [a for r in burst for a in r["acks"]]
        if case.get("trace"):
            out["acks_sent"] = acks
        out["client_cpu_pct"] = [round(r["cpu_pct"]) for r in burst]
        lag = Histogram()
        for r in burst:
            lag.merge(r["lag"])
        out["client_lag_ms"] = lag.summary_ms()
        out["resent_busy"] = sum(r.get("resent", 0) for r in burst)
        good = [a for a in acks if a["acked"] is not None and a["error"] is None and a["seq"] is not None]
        last_sent = max(a["sent"] for a in acks)
        last_ack = max((a["acked"] for a in good), default=last_sent)
        ack_hist = of(a["acked"] - a["sent"] for a in good)
        votes = [(a["index"], a["seq"], a["sent"]) for a in good]
        settle = await pool.ask("settle", lambda k: (votes, case.get("settle_timeout", 20.0)))
        cpu3 = srv.cpu()
        _stop(profilers)
        receipt = Histogram()
        for r in settle:
            receipt.merge(r["hist"])
        final_at = max((r["final_at"] for r in settle if r["final_at"] is not None), default=None)
        messages = sum(r["messages"] for r in settle)
        pairs = receipt.count + sum(r["missing"] for r in settle)
        delivery_end = final_at if final_at is not None and final_at != float("inf") else time.monotonic()
        out.update(
            {
                "actions": len(schedule),
                "acked": len(good),
                "ack_errors": len(acks) - len(good),
                "ack_error_sample": [a["error"] for a in acks if a["error"]][:3],
                "ack_ms": ack_hist.summary_ms(),
                "receipt_ms": receipt.summary_ms(),
                "receipt_pairs": pairs,
                "receipt_missing": pairs - receipt.count,
                "final_after_last_s": (final_at - last_sent) if final_at is not None else None,
                "persisted_per_s": len(good) / max(1e-6, last_ack - t0),
                "pushes_per_s": messages / max(1e-6, delivery_end - t0),
                "pushes": messages,
                "burst_cpu_s": cpu3 - cpu2,
                "burst_cpu_pct": 100 * (cpu3 - cpu2) / max(1e-6, time.monotonic() - t0),
                "cpu_ms_per_action": 1000 * (cpu3 - cpu2) / max(1, len(good)),
            }
        )
        if fac is not None:
            out["facilitator_received"] = dict(fac_counts)
        if case.get("storm") and not bare:
            await fac.disconnect()
            fac = None
            out.update(await _storm(case, seeded, srv, urls, pool))
    finally:
        try:
            await pool.ask("close", timeout=30)
        finally:
            pool.close()
        if fac is not None:
            await fac.disconnect()
    return out


async def _storm(case, seeded, srv: servers.Servers, urls: list[str], pool: Pool) -> dict:
    """kill -9 with everyone connected, start again; every client comes back as live.js does.
    Measured: when the last got its fresh snapshot, and the facilitator's console meanwhile:
    it comes back as a browser does, with its session cookie, then sets a timer every quarter
    of a second until everyone is back, timing each ack."""
    cookie = await log_in(urls[0])
    killed = time.monotonic()
    await asyncio.get_running_loop().run_in_executor(None, srv.kill_and_restart)
    up = time.monotonic()
    profilers = _profile(srv, case, "storm") if case.get("profile") else []
    coming = asyncio.ensure_future(pool.ask("storm", lambda k: (case.get("storm_give_up", 120.0),), timeout=300))
    console, series = Histogram(), []
    while True:
        await asyncio.sleep(random.uniform(0.06, 1.14))  # live.js: reconnectionDelay 600 ms, randomizationFactor 0.9
        try:
            fac, _ = await facilitator(urls[0], seeded["meeting"], cookie)
            break
        except socketio.exceptions.ConnectionError:
            continue
    console_at = time.monotonic() - killed
    try:
        while not coming.done():
            sent = time.monotonic()
            ack = await fac.call("control", {"cmd": "timer", "seconds": 300}, timeout=30)
            if ack.get("ok"):
                console.add(time.monotonic() - sent)
                series.append((round(sent - killed, 3), round(1000 * (time.monotonic() - sent), 1)))
            await asyncio.sleep(0.25)
    finally:
        await fac.disconnect()
    back = await coming
    _stop(profilers)
    times = sorted(t - killed for r in back for t in r["back_at"])
    return {
        "storm_back": len(times),
        "storm_lost": sum(r["lost"] for r in back),
        "storm_restart_s": up - killed,
        "storm_s": times[-1] if times else None,
        "storm_p50_s": times[len(times) // 2] if times else None,
        "storm_p95_s": times[int(len(times) * 0.95)] if times else None,
        "storm_told_busy": sum(r["told_busy"] for r in back),
        "storm_busy_answers": sum(r["busy"] for r in back),
        # Tries that failed before Socket.IO's connect (no handshake: the server not up yet, or overwhelmed).
        "storm_handshake_refused": sum(r.get("handshake_refused", 0) for r in back),
        "storm_console_ms": console.summary_ms(),
        # When the facilitator's console was back (s from the kill), then each control: (sent at s, ack ms).
        "storm_console_back_s": console_at,
        "storm_console_series": series,
    }


def _stop(profilers: list) -> None:
    for proc in profilers:
        proc.send_signal(signal.SIGINT)
        proc.wait(30)


def _profile(srv: servers.Servers, case: dict, phase: str) -> list:
    """py-spy on each server process during a phase (ramp, burst): collapsed stacks in bench/results/."""
    import shutil
    import subprocess

    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    label = f"{case['server']}-{case['mode']}-x{case['processes']}-n{case['participants']}-{phase}"
    return [
        subprocess.Popen(
            [
                spy,
                "record",
                "--pid",
                str(p.pid),
                "--format",
                "raw",
                "--rate",
                "200",
                "--nonblocking",  # never pause the server to sample it: a paused server is what we would measure
                "--output",
                str(out / f"profile-{label}-{k}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for k, p in enumerate(srv.procs)
    ]


def run_case(case: dict, scenario) -> dict:
    with tempfile.TemporaryDirectory(prefix="facilitation-bench-") as tmp:
        return asyncio.run(measure(case, scenario, Path(tmp)))
