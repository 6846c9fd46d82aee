"""A client process: many simulated participants as real Socket.IO clients.

Each participant joins through the real join flow (GET the join page, read the
CSRF token, POST the form, keep the participant cookie), then connects over
the websocket transport with ``auth = {meeting, role: "participant"}`` and the
cookie header, as a browser would. The process obeys commands from the
orchestrator (``bench.run``) over a pipe:

``ramp``   join and connect its share of participants, report timings;
``burst``  send each scheduled action at its time, report acks;
``settle`` wait until every client saw a push at least as new as a sequence
           number, then report receipt latencies as a histogram;
``storm``  after the server was killed and started again: every client reconnects
           as live.js does (a random first delay, then again when told "busy, retry
           in N ms", give or take half), report when each got its fresh snapshot;
``close``  disconnect everyone and exit.

Times are ``time.monotonic()``, one clock for every process of the machine,
so a send in one process and a receipt in another compare directly.
"""

from __future__ import annotations

import asyncio
import bisect
import gc
import random
import re
import time

import aiohttp
import psutil
import socketio

from .stats import Histogram

RETRY_S = 4.0  # live.js's RETRY_MS
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Participant:
    def __init__(self, index: int, base: str, group: str, listen: list[str]):
        self.index, self.base, self.group = index, base, group
        self.cookie = ""
        self.busy, self.retry_ms = 0, None
        self.handshake_refused = 0  # tries that failed before Socket.IO's connect (no handshake)
        self.sio = socketio.AsyncClient(reconnection=False, handle_sigint=False)
        self.sio.on("connect_error", self._refused)
        self.arrivals: list[tuple[float, int]] = []  # (time, seq) of pushes of the listened events
        self.snapshot_at: float | None = None
        self.snapshotted = asyncio.Event()  # waited on, not polled: a thousand pollers are the client's lag
        for name in listen:
            self.sio.on(name, self._on_push)
        self.sio.on("snapshot", self._on_snapshot)

    async def _on_push(self, message):
        at = time.monotonic()
        if isinstance(message, dict) and isinstance(message.get("seq"), int):
            self.arrivals.append((at, message["seq"]))

    async def _on_snapshot(self, message):
        self.snapshot_at = time.monotonic()
        self.snapshotted.set()

    async def snapshot(self, timeout: float) -> float | None:
        """The time of the snapshot awaited, or None after ``timeout`` seconds."""
        try:
            await asyncio.wait_for(self.snapshotted.wait(), max(0.0, timeout))
        except TimeoutError:
            pass
        return self.snapshot_at

    async def _refused(self, error=None):
        info = error.get("data") if isinstance(error, dict) else None
        if isinstance(info, dict) and info.get("code") == "busy":
            self.busy += 1
            self.retry_ms = int(info.get("retry_ms") or 1000)

    async def come_back(self, meeting: int, extra_auth: dict, give_up: float) -> float | None:
        """Reconnect as static/js/live.js does; the time of the fresh snapshot, or None."""
        deadline = time.monotonic() + give_up
        while self.sio.connected and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        self.snapshot_at = None
        self.snapshotted.clear()
        delay = random.uniform(0.06, 1.14)  # reconnectionDelay 600 ms, randomizationFactor 0.9
        while time.monotonic() < deadline:
            await asyncio.sleep(delay)
            self.retry_ms = None
            try:
                await self.connect(self.cookie, meeting, extra_auth)
            except Exception:
                if not self.retry_ms:
                    self.handshake_refused += 1
                delay = (self.retry_ms / 1000 if self.retry_ms else min(5.0, 2 * delay)) * random.uniform(0.5, 1.5)
                continue
            return await self.snapshot(deadline - time.monotonic())
        return None

    async def join(self, http: aiohttp.ClientSession, code: str, name: str, network: int) -> str:
        """The participant cookie, obtained as a browser would."""
        async with http.get(f"{self.base}/j/{code}") as page:
            body = await page.text()
            session = "; ".join(f"{k}={v.value}" for k, v in page.cookies.items())
        token = CSRF.search(body)
        form = {
            "csrf_token": token.group(1) if token else "",
            "name": name,
            "organisation": "Bench",
            "network": str(network),
        }
        async with http.post(
            f"{self.base}/j/{code}", data=form, allow_redirects=False, headers={"Cookie": session} if session else {}
        ) as answer:
            await answer.read()
            if answer.status != 302:
                raise RuntimeError(f"join refused: HTTP {answer.status}")
            cookies = {k: v.value for k, v in answer.cookies.items()}
        return "; ".join(f"{k}={v}" for k, v in cookies.items() if k.startswith("fp_"))

    async def connect(self, cookie: str, meeting: int, extra_auth: dict, busy_tries: int = 0) -> None:
        """Connect; with ``busy_tries``, an answer "busy, retry in N ms" is honoured as live.js does."""
        while True:
            self.retry_ms = None
            try:
                await self.sio.connect(
                    self.base,
                    headers={"Cookie": cookie},
                    transports=["websocket"],
                    auth={"meeting": meeting, "role": "participant", **extra_auth},
                    wait_timeout=60,
                )
                return
            except socketio.exceptions.ConnectionError:
                if not self.retry_ms or busy_tries <= 0:
                    raise
                busy_tries -= 1
                await asyncio.sleep(self.retry_ms / 1000 * random.uniform(0.5, 1.5))


class Worker:
    def __init__(self, spec: dict):
        self.spec = spec
        self.people = [
            Participant(i, spec["urls"][i % len(spec["urls"])], spec["groups"][i], spec["listen"])
            for i in spec["indexes"]
        ]
        self.by_index = {p.index: p for p in self.people}
        self.acks: list[dict] = []
        self.resent = 0  # actions answered `busy` and sent again

    async def ramp(self) -> dict:
        spec = self.spec
        limit = asyncio.Semaphore(spec.get("concurrency", 40))
        errors: list[str] = []
        joined: list[float] = []
        connected: list[float] = []
        started = time.monotonic()
        connector = aiohttp.TCPConnector(limit=0, force_close=True)
        async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar()) as http:

            async def one(person: Participant):
                async with limit:
                    try:
                        t0 = time.monotonic()
                        cookie = person.cookie = await person.join(
                            http, spec["code"], f"Bench {person.index}", spec["networks"][person.index]
                        )
                        t1 = time.monotonic()
                        await person.connect(cookie, spec["meeting"], spec.get("auth", {}), busy_tries=100)
                        await person.snapshotted.wait()
                        joined.append(t1 - t0)
                        connected.append(person.snapshot_at - t1)
                    except Exception as exc:  # reported, never fatal: a refused client is a result
                        errors.append(f"{type(exc).__name__}: {exc}")

            await asyncio.gather(*(one(p) for p in self.people))
        return {
            "started": started,
            "finished": time.monotonic(),
            "join": joined,
            "connect": connected,
            "connected": sum(1 for p in self.people if p.sio.connected),
            "errors": errors[:5],
            "error_count": len(errors),
        }

    async def burst(self, t0: float, schedule: list[tuple[int, float, dict]]) -> dict:
        async def one(index: int, offset: float, message: dict):
            person = self.by_index[index]
            delay = t0 + offset - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            sent = time.monotonic()
            try:
                ack = await person.sio.call("action", message, timeout=60)
                while isinstance(ack, dict) and (ack.get("error") or {}).get("code") == "busy":
                    # As live.js does: the same action (same cid) again at its next retry.
                    self.resent += 1
                    await asyncio.sleep(RETRY_S)
                    ack = await person.sio.call("action", message, timeout=60)
            except Exception as exc:
                self.acks.append(
                    {"index": index, "cid": message.get("cid"), "sent": sent, "acked": None, "seq": None,
                     "error": type(exc).__name__}
                )
                return
            self.acks.append(
                {
                    "index": index,
                    "cid": message.get("cid"),
                    "sent": sent,
                    "acked": time.monotonic(),
                    "seq": ack.get("seq") if isinstance(ack, dict) else None,
                    "error": None if isinstance(ack, dict) and ack.get("ok") else str(ack)[:200],
                }
            )

        lag = Histogram()
        ticking = asyncio.create_task(self._tick(lag))
        await asyncio.gather(*(one(*entry) for entry in schedule))
        ticking.cancel()
        disconnected = sum(1 for p in self.people if not p.sio.connected)
        return {"acks": self.acks, "lag": lag.state(), "resent": self.resent, "disconnected": disconnected}

    @staticmethod
    async def _tick(lag: Histogram, every: float = 0.01) -> None:
        """How late this process' event loop wakes up: time an ack or a push
        waits here, on the client's side, before it can be timed."""
        while True:
            due = time.monotonic() + every
            await asyncio.sleep(every)
            lag.add(time.monotonic() - due)

    async def settle(self, votes: list[tuple[int, int, float]], timeout: float) -> dict:
        """Receipt of every vote by every other client of its group: the first push
        with a sequence at least the vote's, minus the vote's send time."""
        groups = self.spec["groups"]
        # What each client must end up seeing: the last action of its group (everyone's,
        # for a poll; its team's, for team work).
        last_of: dict[str, int] = {}
        for voter, seq, _ in votes:
            last_of[groups[voter]] = max(last_of.get(groups[voter], 0), seq)

        def done(p: Participant) -> bool:
            wanted = last_of.get(p.group)
            return (
                wanted is None
                or not p.sio.connected
                or bool(p.arrivals and max(s for _, s in p.arrivals[-50:]) >= wanted)
            )

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not all(done(p) for p in self.people):
            await asyncio.sleep(0.05)
        hist = Histogram()
        missing = 0
        final_at: list[float] = []
        messages = 0
        for person in self.people:
            messages += len(person.arrivals)
            times, running, top = [], [], 0
            for at, seq in person.arrivals:
                top = max(top, seq)
                times.append(at)
                running.append(top)
            wanted = last_of.get(person.group)
            if wanted is not None:
                found = bisect.bisect_left(running, wanted)
                final_at.append(times[found] if found < len(running) else float("inf"))
            for voter, seq, sent in votes:
                if voter == person.index or groups[voter] != person.group:
                    continue
                k = bisect.bisect_left(running, seq)
                if k == len(running):
                    missing += 1
                else:
                    hist.add(times[k] - sent)
            await asyncio.sleep(0)
        return {
            "hist": hist.state(),
            "missing": missing,
            "final_at": max(final_at) if final_at else None,
            "messages": messages,
        }

    async def storm(self, give_up: float) -> dict:
        times = await asyncio.gather(*(p.come_back(self.spec["meeting"], self.spec.get("auth", {}), give_up)
                                       for p in self.people))
        return {"back_at": [t for t in times if t is not None], "lost": sum(1 for t in times if t is None),
                "busy": sum(p.busy for p in self.people), "told_busy": sum(1 for p in self.people if p.busy),
                "handshake_refused": sum(p.handshake_refused for p in self.people)}

    async def close(self) -> None:
        await asyncio.gather(*(p.sio.disconnect() for p in self.people if p.sio.connected), return_exceptions=True)


def main(conn, spec: dict) -> None:
    """Entry point of a client process (multiprocessing, spawn)."""
    me = psutil.Process()

    async def run(worker: Worker, command: str, args):
        if command == "ramp":
            return await worker.ramp()
        if command == "burst":
            # A thousand simulated browsers share this process' garbage collector; a real
            # browser does not pause for its 999 neighbours. Their long-lived objects are
            # frozen out of collections for the measurement, as the server does with its own.
            gc.collect()
            gc.freeze()
            cpu0, t0 = sum(me.cpu_times()[:2]), time.monotonic()
            result = await worker.burst(*args)
            result["cpu_pct"] = 100 * (sum(me.cpu_times()[:2]) - cpu0) / max(1e-6, time.monotonic() - t0)
            return result
        if command == "settle":
            return await worker.settle(*args)
        if command == "storm":
            return await worker.storm(*args)
        if command == "close":
            await worker.close()
            return {"cpu": sum(me.cpu_times()[:2])}
        return {"failed": f"unknown command {command}"}

    async def loop():
        worker = Worker(spec)
        while True:
            command, args = await asyncio.get_running_loop().run_in_executor(None, conn.recv)
            try:
                result = await run(worker, command, args)
            except Exception as exc:  # reported to the orchestrator, which fails the run
                result = {"failed": f"{type(exc).__name__}: {exc}"}
            conn.send(result)
            if command == "close":
                return

    asyncio.run(loop())
