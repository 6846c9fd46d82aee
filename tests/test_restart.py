"""A killed and restarted server keeps every acknowledged vote, and counts none twice.

The real server runs in a subprocess; real Socket.IO clients (websocket
transport) join through the join form, vote and collect acks; then the server
gets SIGKILL (no clean shutdown) and starts again on the same database.
"""

from __future__ import annotations

import json
import sqlite3
import uuid

import pytest

from .liveserver import FormClient, LiveClient, wait_until

VOTERS = [("Ada", 0), ("Bruno", 1), ("Carla", 1), ("Dario", 2), ("Elena", 0)]


def connect(server, http: FormClient, role: str) -> LiveClient:
    client = LiveClient(server, http, server.meeting_id, role, reconnect=False)
    client.connect()
    assert wait_until(lambda: client.snapshots, 10), "no snapshot after connecting"
    return client


def facilitator(server) -> FormClient:
    http = FormClient(server.url)
    status, body = http.post("/f/login", {"email": server.email, "password": server.password})
    assert status == 200 and "/f/login" not in body.split("<main", 1)[0], status
    return http


def participant(server, name: str, network_id: int) -> FormClient:
    http = FormClient(server.url)
    status, _ = http.post(f"/j/{server.code}", {"name": name, "organisation": "Org", "network": str(network_id)})
    assert status == 200 and f"fp_{server.meeting_id}" in http.cookie_header()
    return http


def stored(server, item_id):
    with sqlite3.connect(server.db_path) as db:
        rows = dict(db.execute("SELECT key, value FROM exercise_state WHERE space = ?", [f"i{item_id}"]))
        people = dict(db.execute("SELECT id, name FROM participants"))
        events = db.execute("SELECT count(*) FROM events WHERE type = 'answer'").fetchone()[0]
    answers = {people[int(k[2:])]: json.loads(v)["v"] for k, v in rows.items() if k.startswith("a:")}
    return json.loads(rows["t"]), answers, events


@pytest.fixture
def server(live_server):
    return live_server


def test_acknowledged_votes_survive_a_killed_server(server):
    with sqlite3.connect(server.db_path) as db:
        item_id = db.execute(
            "SELECT id FROM agenda_items WHERE meeting_id = ? ORDER BY position LIMIT 1", [server.meeting_id]
        ).fetchone()[0]
        networks = [r[0] for r in db.execute("SELECT network_id FROM lab_networks ORDER BY network_id")]
    fac_http = facilitator(server)
    fac = connect(server, fac_http, "console")
    assert fac.sio.call("control", {"cmd": "start"}, timeout=10)["ok"]
    assert fac.sio.call("control", {"cmd": "open", "item": item_id}, timeout=10)["ok"]

    people, clients, acked, sent = {}, [], {}, {}
    for i, (name, _) in enumerate(VOTERS):
        people[name] = participant(server, name, networks[i % len(networks)])
        clients.append(connect(server, people[name], "participant"))
    for client, (name, choice) in zip(clients, VOTERS):
        if name == "Ada":  # a change of vote: only the last one counts
            first = {"item": item_id, "type": "answer", "payload": {"value": 2}, "cid": uuid.uuid4().hex}
            assert client.sio.call("action", first, timeout=10)["ok"]
        message = {"item": item_id, "type": "answer", "payload": {"value": choice}, "cid": uuid.uuid4().hex}
        ack = client.sio.call("action", message, timeout=10)
        assert ack["ok"] and ack["reply"]["answer"] == choice, ack
        acked[name], sent[name] = ack, message
    for client in [fac, *clients]:
        client.sio.disconnect()

    server.restart(new_port=True)

    tally, answers, events = stored(server, item_id)
    assert answers == {name: choice for name, choice in VOTERS}
    assert tally == {"c": [2, 2, 1], "n": len(VOTERS)}
    assert events == len(VOTERS) + 1

    # Each person comes back with their cookie and finds their vote; a retry of an
    # acknowledged action (same client id) gets the same sequence and changes nothing.
    for name, _ in VOTERS:
        client = connect(server, people[name], "participant")
        assert client.last_snapshot["personal"][str(item_id)] == {"answer": acked[name]["reply"]["answer"]}
        again = client.sio.call("action", sent[name], timeout=10)
        assert again["ok"] and again["duplicate"] and again["seq"] == acked[name]["seq"]
        client.sio.disconnect()
    assert stored(server, item_id) == (tally, answers, events)
