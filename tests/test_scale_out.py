"""Two server processes behind one Redis message queue, sharing the SQLite database.

Participants connected to different processes see each other's votes and the
facilitator's controls, in order by sequence; facilitators see who joined on
either process. Real processes (``facilitation serve``), a real redis-server.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

import pytest
import socketio

from bench.servers import Redis, start_ours
from facilitation import create_app, store
from facilitation.auth import create_facilitator
from facilitation.db import borrowed, migrate, transaction

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]

SECRET = "scale-out-test-secret"
PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _request(url, cookies: dict, form: dict | None = None):
    """GET (or POST ``form``) keeping cookies by hand; returns (status, body)."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    req = urllib.request.Request(url, data=data, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    try:
        response = urllib.request.build_opener(_NoRedirect).open(req, timeout=10)
    except urllib.error.HTTPError as exc:
        response = exc
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
    return response.status, response.read().decode()


def _form(url, cookies, fields):
    token = CSRF.search(_request(url, cookies)[1]).group(1)
    status, _ = _request(url, cookies, {"csrf_token": token, **fields})
    assert status == 302, status


class Recorder:
    """A Socket.IO client that keeps every message it receives, by event name."""

    def __init__(self, url, cookies, auth):
        self.got: list[tuple[str, dict]] = []
        self.sio = socketio.Client(reconnection=False)
        for name in ("snapshot", "meeting", "results", "presence", "event"):
            self.sio.on(name, lambda message, _name=name: self.got.append((_name, message)))
        self.sio.connect(
            url,
            headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
            auth=auth,
            transports=["websocket"],
            wait_timeout=10,
        )

    def of(self, name):
        return [m for n, m in list(self.got) if n == name]


def newest(client, name):
    """The message of ``name`` a page shows: the one with the highest sequence (live.js)."""
    return max(client.of(name), key=lambda m: m["seq"])


def _wait(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def cluster(tmp_path):
    with two_processes(tmp_path) as running:
        yield running


@contextlib.contextmanager
def two_processes(tmp_path):
    """Two `facilitation serve` processes on one database and one Redis, and what was seeded."""
    database = tmp_path / "shared.db"
    app = create_app({"DATABASE": str(database), "SECRET_KEY": SECRET})
    with borrowed(app) as db:
        migrate(db, app.extensions["facilitation.registry"])
        with transaction(db):
            create_facilitator(db, "fac@example.org", "Fac", PASSWORD)
            networks = [store.save_network(db, {"name": n}) for n in ("Ambito di Dalmine", "Brescia")]
            lab = store.save_lab(db, {"title": "Convegno"}, networks)
            meeting = store.create_meeting(db, lab, {"title": "Plenaria"})
            item = store.add_item(
                db, meeting, "poll", {"title": "Q", "kind": "single", "options": ["A", "B"], "hide_results": False}
            )
            code = store.meeting(db, meeting)["join_code"]
    app.extensions["facilitation.pool"].close()
    redis = Redis(tmp_path)
    servers = None
    clients: list[Recorder] = []
    try:
        servers = start_ours(tmp_path, database, "eventlet", processes=2, message_queue=redis.url, secret=SECRET)
        yield {
            "database": str(database),
            "urls": servers.urls,
            "meeting": meeting,
            "item": item,
            "code": code,
            "networks": networks,
            "clients": clients,
        }
    finally:
        for client in clients:
            client.sio.disconnect()
        if servers:
            servers.close()
        redis.close()


def _participant(cluster, url, name, network):
    cookies: dict = {}
    _form(f"{url}/j/{cluster['code']}", cookies, {"name": name, "organisation": "Org", "network": str(network)})
    client = Recorder(url, cookies, {"meeting": cluster["meeting"], "role": "participant"})
    cluster["clients"].append(client)
    return client


def _facilitator(cluster, url):
    cookies: dict = {}
    _form(f"{url}/f/login", cookies, {"email": "fac@example.org", "password": PASSWORD})
    client = Recorder(url, cookies, {"meeting": cluster["meeting"], "role": "console"})
    cluster["clients"].append(client)
    return client


def test_votes_controls_and_presence_cross_processes_in_order(cluster):
    one, two = cluster["urls"]
    fac = _facilitator(cluster, one)
    people = [
        _participant(cluster, url, f"P{k}", cluster["networks"][k % 2]) for k, url in enumerate((one, two, one, two))
    ]
    # Presence of people connected to the other process reaches the facilitator, coalesced.
    assert _wait(
        lambda: {p["name"] for b in fac.of("presence") for p in b["people"] if p["online"]} == {"P0", "P1", "P2", "P3"}
    )

    for cmd in ({"cmd": "start"}, {"cmd": "open", "item": cluster["item"]}):
        assert fac.sio.call("control", cmd, timeout=10)["ok"]
    assert _wait(lambda: all(len(p.of("meeting")) == 2 for p in people))
    # Each control is broadcast after its own commit, so two close together may arrive in either order
    # (docs/protocol.md, Sequences): everyone gets both, and shows the newer, the exercise open.
    control_seqs = [sorted(m["seq"] for m in p.of("meeting")) for p in people]
    assert all(seqs == control_seqs[0] for seqs in control_seqs) and len(set(control_seqs[0])) == 2, control_seqs
    assert all(newest(p, "meeting")["item"]["status"] == "open" for p in people)

    acks = [
        p.sio.call(
            "action",
            {"item": cluster["item"], "type": "answer", "payload": {"value": k % 2}, "cid": f"v{k}"},
            timeout=10,
        )
        for k, p in enumerate(people)
    ]
    assert all(a["ok"] for a in acks)
    assert len({a["seq"] for a in acks}) == 4 and min(a["seq"] for a in acks) > max(control_seqs[0])

    def final(client):
        # What a browser shows: the results with the highest sequence (live.js drops older ones).
        pushes = client.of("results")
        return max(pushes, key=lambda m: m["seq"])["item"]["view"]["results"] if pushes else None

    # Everyone, on either process, ends on the results of all four votes.
    assert _wait(lambda: all(final(c) == {"counts": [2, 2], "total": 4} for c in people))
    assert _wait(lambda: final(fac) is not None and final(fac)["total"] == 4)
    for client in people:
        totals = [m["item"]["view"]["results"]["total"] for m in sorted(client.of("results"), key=lambda m: m["seq"])]
        assert totals == sorted(totals)  # by sequence, results only grow

    # A control after the votes reaches both processes, with a sequence after theirs, and is what everyone shows.
    assert fac.sio.call("control", {"cmd": "lock", "item": cluster["item"]}, timeout=10)["ok"]
    assert _wait(lambda: all(len(p.of("meeting")) == 3 for p in people))
    for client in people:
        assert newest(client, "meeting")["seq"] > max(a["seq"] for a in acks)
        assert newest(client, "meeting")["item"]["status"] == "locked"
    refused = people[1].sio.call(
        "action", {"item": cluster["item"], "type": "answer", "payload": {"value": 0}}, timeout=10
    )
    assert refused["ok"] is False and refused["error"]["code"] == "closed"


def test_failed_logins_count_across_processes(cluster):
    from facilitation.throttle import LOGIN

    from .liveserver import FormClient

    clients = [FormClient(url) for url in cluster["urls"]]
    for n in range(LOGIN.limit):  # half on each process
        status, _ = clients[n % 2].post("/f/login", {"email": "fac@example.org", "password": f"guess {n}"})
        assert status == 401
    for client in clients:  # both processes now make the account wait, even with the right password
        status, body = client.post("/f/login", {"email": "fac@example.org", "password": PASSWORD})
        assert status == 429, body[:300]
