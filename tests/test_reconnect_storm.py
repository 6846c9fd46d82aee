"""A restart with a crowd connected: everyone is back with a fresh snapshot, and no vote is lost.

200 participants join through the join form and vote over websockets; the real server is
killed with SIGKILL and started again on the same port and database. Each client then does
what static/js/live.js does: reconnects after a random delay, and when the server answers
"busy, retry in N ms" (it admits connections at the pace it can serve), tries again after
about that long. Every one must be back, each with a snapshot holding their own vote."""

from __future__ import annotations

import asyncio
import concurrent.futures
import random
import re

import aiohttp
import pytest
import socketio

from .liveserver import LiveServer, facilitator, wait_until
from .scenarios import start_poll

PEOPLE = 200
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Person:
    def __init__(self, base, index):
        self.base, self.index = base, index
        self.cookie = ""
        self.snapshots: list[dict] = []
        self.busy_answers = 0
        self.retry_ms: int | None = None
        self.sio = socketio.AsyncClient(reconnection=False, handle_sigint=False)
        self.sio.on("snapshot", self.snapshots.append)
        self.sio.on("connect_error", self._refused)

    async def _refused(self, error=None):
        info = error.get("data") if isinstance(error, dict) else None
        if isinstance(info, dict) and info.get("code") == "busy":
            self.busy_answers += 1
            self.retry_ms = int(info.get("retry_ms") or 1000)

    async def join(self, http, code, network):
        async with http.get(f"{self.base}/j/{code}") as page:
            token = CSRF.search(await page.text()).group(1)
            session = "; ".join(f"{k}={v.value}" for k, v in page.cookies.items())
        form = {"csrf_token": token, "name": f"Persona {self.index}", "organisation": "", "network": str(network)}
        async with http.post(f"{self.base}/j/{code}", data=form, allow_redirects=False,
                             headers={"Cookie": session}) as answer:
            assert answer.status == 302, answer.status
            self.cookie = "; ".join(f"{k}={v.value}" for k, v in answer.cookies.items() if k.startswith("fp_"))

    async def connect(self, meeting, give_up: float = 120.0):
        """As live.js: a random first delay, then again when told, with a random spread."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + give_up
        delay = random.uniform(0.06, 1.14)  # reconnectionDelay 600, randomizationFactor 0.9
        while loop.time() < deadline:
            await asyncio.sleep(delay)
            self.retry_ms = None
            try:
                await self.sio.connect(self.base, headers={"Cookie": self.cookie}, transports=["websocket"],
                                       auth={"meeting": meeting, "role": "participant"}, wait_timeout=30)
                return
            except socketio.exceptions.ConnectionError:
                delay = (self.retry_ms / 1000 if self.retry_ms else 1.0) * random.uniform(0.5, 1.5)
        raise AssertionError(f"person {self.index} never got back in")


@pytest.fixture
def server(tmp_path):
    server = LiveServer(tmp_path, env={"FACILITATION_SOCKET_CONNECTIONS_PER_ADDRESS": "100000",
                                       "FACILITATION_SOCKET_RATE_PER_ADDRESS": "[100000, 100000]",
                                       "FACILITATION_SOCKET_PENDING_PER_ADDRESS": "100000"})
    server.seed_info = server.seed(polls=1)
    server.start()
    yield server
    server.stop()


def test_a_crowd_comes_back_after_a_sigkill_with_every_vote(server):
    seed = server.seed_info
    item = seed["items"][0]
    fac = facilitator(server, seed)
    start_poll(fac, item)
    fac.close()
    people = [Person(server.url, i) for i in range(PEOPLE)]

    async def storm():
        limit = asyncio.Semaphore(20)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
            async def one(p):
                async with limit:
                    await p.join(http, seed["code"], seed["networks"][p.index % len(seed["networks"])])
                    await p.connect(seed["meeting"])
                    ack = await p.sio.call("action", {"item": item, "type": "answer",
                                                      "payload": {"value": p.index % 4}, "cid": f"v{p.index}"},
                                           timeout=60)
                    assert ack["ok"], ack
            await asyncio.gather(*(one(p) for p in people))
        for p in people:
            p.snapshots.clear()
        # SIGKILL, then the same port and database; everyone's connection drops at once.
        await asyncio.get_running_loop().run_in_executor(None, server.restart)
        await asyncio.gather(*(gone(p) for p in people))
        await asyncio.gather(*(p.connect(seed["meeting"]) for p in people))
        for p in people:
            await p.sio.disconnect()

    async def gone(p):
        while p.sio.connected:
            await asyncio.sleep(0.05)

    # In a thread of its own: after a real-browser test, Playwright's event loop runs in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, storm()).result()
    print(f"told busy: {sum(p.busy_answers for p in people)} times, to {sum(1 for p in people if p.busy_answers)} people")
    assert all(p.snapshots for p in people), "everyone got a fresh snapshot"
    for p in people:
        assert p.snapshots[-1]["personal"][str(item)] == {"answer": p.index % 4}, p.index
    # The facilitator's console answers too, and the tally holds every vote once.
    fac = facilitator(server, seed)
    assert wait_until(lambda: fac.snapshots, 30)
    totals = fac.last_snapshot["item"]["view"]["results"]
    assert totals["total"] == PEOPLE
    fac.close()
