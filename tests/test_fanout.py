"""Broadcasts to large rooms go out in slices: everyone still gets each message
once, in the same order, and nobody outside the room gets it."""

import threading

import pytest

from facilitation.live.fanout import CLOSE, PacedFanout
from facilitation.live.rooms import room_participants

from .conftest import answer, control, received


@pytest.fixture
def app_config():
    """Pushes only when the test flushes: the background schedule (every 10 s here) never runs
    in between, however slowly a busy machine runs the test."""
    return {"RESULTS_PER_SECOND": 0.1}


@pytest.fixture
def small_slices(app):
    """Rooms of 3 or more sliced 2 at a time, so a handful of test clients spans several slices."""
    manager = app.extensions["socketio"].server.manager
    assert isinstance(manager, PacedFanout)
    manager.slice_size, manager.sliced_from = 2, 3
    return manager


def test_live_results_reach_every_participant_once_across_slices(sockets, seeded, small_slices):
    fac = sockets.facilitator()
    people = [sockets.participant(f"P{i}", seeded["networks"][i % 2]) for i in range(7)]
    control(fac, "start")
    control(fac, "open", item=seeded["multiple"])  # results live for everyone
    for c in (fac, *people):
        received(c)

    for person in people[:5]:
        assert answer(person, seeded["multiple"], [0])["ok"]
    fac.app.extensions["facilitation.engine"].flush()

    for person in people:
        pushes = received(person, "results")
        assert len(pushes) == 1, "one coalesced push per participant, not one per slice or per vote"
        assert pushes[0]["args"][0]["item"]["view"]["results"]["counts"] == [5, 0, 0]
    console = received(fac, "results")
    assert console and console[-1]["args"][0]["item"]["view"]["results"]["counts"] == [5, 0, 0]


def test_concurrent_broadcasts_arrive_in_one_order_for_everyone(app, sockets, seeded, small_slices):
    fac = sockets.facilitator()
    people = [sockets.participant(f"P{i}") for i in range(6)]
    for c in (fac, *people):
        received(c)
    socketio = app.extensions["socketio"]
    room = room_participants(seeded["meeting"])

    def send(tag):
        for n in range(15):
            socketio.emit("notice", {"tag": tag, "n": n}, to=room)

    threads = [threading.Thread(target=send, args=(tag,)) for tag in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    orders = []
    for person in people:
        got = [(m["args"][0]["tag"], m["args"][0]["n"]) for m in received(person, "notice")]
        assert sorted(got) == sorted((tag, n) for tag in "ab" for n in range(15)), "each message once"
        orders.append(got)
    assert all(order == orders[0] for order in orders), "no participant sees a later broadcast first"
    assert received(fac, "notice") == [], "the facilitators' console is not in the participants' room"


def test_skipped_sender_and_small_rooms_as_before(app, sockets, seeded, small_slices):
    people = [sockets.participant(f"P{i}") for i in range(5)]
    for c in people:
        received(c)
    socketio = app.extensions["socketio"]
    skip = people[0].eio_sid and socketio.server.manager.sid_from_eio_sid(people[0].eio_sid, "/")
    socketio.emit("notice", {"n": 1}, to=room_participants(seeded["meeting"]), skip_sid=skip)
    assert received(people[0], "notice") == []
    for person in people[1:]:
        assert [m["args"][0] for m in received(person, "notice")] == [{"n": 1}]


def test_a_snapshot_never_waits_for_a_broadcast_going_out(app, sockets, seeded, small_slices):
    """A new connection's snapshot (a whole state) goes out at once; a message to the same
    person that could overtake part of a broadcast waits for its turn."""
    person = sockets.participant("P")
    received(person)
    socketio = app.extensions["socketio"]
    sid = socketio.server.manager.sid_from_eio_sid(person.eio_sid, "/")
    small_slices._turn.get()  # a broadcast to the whole room is going out
    small_slices._slicing = True
    sent = {}

    def emit(event):
        socketio.emit(event, {"n": 1}, to=sid)
        sent[event] = True

    try:
        snapshot = threading.Thread(target=emit, args=("snapshot",))
        snapshot.start()
        snapshot.join(10)
        assert sent.get("snapshot") and received(person, "snapshot"), "the snapshot went out at once"
        notice = threading.Thread(target=emit, args=("notice",))
        notice.start()
        notice.join(0.2)
        assert not sent.get("notice"), "an ordinary message waits for the turn"
    finally:
        small_slices._slicing = False
        small_slices._turn.put(True)
    notice.join(10)
    assert [m["args"][0] for m in received(person, "notice")] == [{"n": 1}]


def test_closing_a_connection_whose_client_went_away_meanwhile_never_hangs(app, sockets, seeded):
    """A revoked link, an erased person: their connections are closed from a facilitator's request.
    If the client went away at that moment, its websocket's writer has stopped with frames still
    queued; the request closing it must answer all the same (it waited forever for the queue)."""
    import engineio.socket

    person, other = sockets.participant("P"), sockets.participant("Q")
    received(person)
    received(other)
    socketio = app.extensions["socketio"]
    eio = socketio.server.eio
    gone = engineio.socket.Socket(eio, person.eio_sid)
    gone.connected = gone.upgraded = True
    gone.queue.put("a frame its stopped writer will never send")
    eio.sockets[person.eio_sid] = gone
    try:
        closing = threading.Thread(
            target=socketio.emit, args=(CLOSE, {"code": "revoked"}),
            kwargs={"to": room_participants(seeded["meeting"])}, daemon=True)
        closing.start()
        closing.join(30)  # ends at once; only a hang waits the whole time
        assert not closing.is_alive(), "closing the connections hung"
    finally:
        eio.sockets.pop(person.eio_sid, None)
    assert gone.closed
    for client in (person, other):  # both told why, both closed
        assert [m["args"] for m in client.queue if m["name"] == "closed"] == [[{"code": "revoked"}]]
        assert not client.is_connected()
