"""Floods against the real server: message size, foreign origins, connections and events per address."""

import math
import threading
import time

import pytest
import socketio

from .liveserver import FormClient, LiveClient, LiveServer, facilitator, join_participants


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("limits"), env={
        "FACILITATION_SOCKET_CONNECTIONS_PER_ADDRESS": "4",
        # A burst of 30 that refills slowly: what is refused does not depend on how fast
        # a busy machine runs the test.
        "FACILITATION_SOCKET_RATE_PER_ADDRESS": "[0.05, 30]",
    })
    server.seed_info = server.seed(polls=1)
    server.start()
    fac = facilitator(server, server.seed_info)
    for cmd, extra in (("start", {}), ("open", {"item": server.seed_info["items"][0]})):
        assert fac.control(cmd, **extra)["ok"]
    fac.close()
    yield server
    server.stop()


def call(client, message, timeout=5):
    return client.sio.call("action", message, timeout=timeout)


def answer(item, value):
    return {"item": item, "type": "answer", "payload": {"value": value}}


def test_messages_over_64_kb_are_refused_before_any_handler(server):
    seed = server.seed_info
    [ada] = join_participants(server, seed, 1, prefix="Big")
    try:
        under = call(ada, answer(seed["items"][0], "x" * 60_000))
        assert under["ok"] is False and under["error"]["code"] == "invalid", "a large message is answered"
        with pytest.raises((socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError,
                            socketio.exceptions.DisconnectedError)):
            call(ada, answer(seed["items"][0], "x" * 70_000), timeout=3)
    finally:
        ada.close()


def test_a_foreign_origin_is_refused(server):
    seed = server.seed_info
    http = FormClient(server.url)
    http.join(seed["code"], "Origin", seed["networks"][0])

    def connect(origin):
        sio = socketio.Client(reconnection=False, websocket_extra_options={"origin": origin})
        sio.connect(server.url, headers={"Cookie": http.cookie_header()}, transports=["websocket"],
                    auth={"meeting": seed["meeting"], "role": "participant"}, wait_timeout=5)
        return sio

    with pytest.raises(socketio.exceptions.ConnectionError):
        connect("https://evil.example")
    same = connect(server.url)
    assert same.connected
    same.disconnect()


def test_connections_and_events_per_address_are_limited(server):
    seed = server.seed_info
    item = seed["items"][0]
    clients = join_participants(server, seed, 4, prefix="Flood")
    try:
        extra = FormClient(server.url)
        extra.join(seed["code"], "Fifth", seed["networks"][0])
        fifth = LiveClient(server, extra, seed["meeting"])
        with pytest.raises(socketio.exceptions.ConnectionError):
            fifth.sio.reconnection = False
            fifth.connect()
        # 4 connections x 12 votes each stay within each connection's own budget (burst 20),
        # but the address shares 30 tokens: the rest are refused, clearly.
        acks = [call(c, answer(item, i % 4)) for i in range(12) for c in clients]
        ok = [a for a in acks if a["ok"]]
        limited = [a for a in acks if not a["ok"]]
        assert 25 <= len(ok) <= 34, len(ok)
        assert limited and all(a["error"]["code"] == "rate_limited" for a in limited)
    finally:
        for c in clients:
            c.close()
    # A closed connection frees its place.
    again = LiveClient(server, extra, seed["meeting"])
    again.connect()
    assert again.sio.connected
    again.close()


def test_one_connection_flooding_is_limited_by_its_own_budget(server):
    seed = server.seed_info
    [ada] = join_participants(server, seed, 1, prefix="Fast")
    # All 26 sent at once, their acks collected as they come: a vote's budget is a burst of 20
    # refilled at 5 a second, so how many pass depends on how long the server took to read them,
    # which the test measures instead of assuming a quiet machine.
    acks, done = [], threading.Event()

    def got(ack):
        acks.append(ack)
        if len(acks) == 26:
            done.set()

    try:
        started = time.monotonic()
        for i in range(26):
            ada.sio.emit("action", {"item": seed["items"][0], "type": "answer", "payload": {"value": i % 4}},
                         callback=got)
        assert done.wait(60), f"{len(acks)} acks of 26"
        elapsed = time.monotonic() - started
    finally:
        ada.close()
    passed = sum(a["ok"] for a in acks)
    assert passed <= 20 + math.ceil(5 * elapsed), (passed, elapsed)
    if 20 + 5 * elapsed < 25:  # the refill could not have let every vote through
        assert passed < 26
    assert {a["error"]["code"] for a in acks if not a["ok"]} <= {"rate_limited"}
