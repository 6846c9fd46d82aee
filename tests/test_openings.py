"""New live connections wait their turn (facilitation/live/admission.py, live/inbound.py).

After a restart every browser reconnects within a second or two; only a few handshakes and
connects are worked on at once, the others wait, first come first served, connections whose
handshake is done ahead of new ones. Whoever waits too long is told "busy" with the time to
wait; a facilitator never waits.
"""

from __future__ import annotations

import threading

import pytest

from facilitation.live.admission import Openings

HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


def test_places_go_first_come_first_served_and_open_connections_go_ahead():
    gate = Openings(limit=1, wait=30, hold=30)
    first = gate.enter()
    order = []
    waiting = []
    for name, ahead in (("new-1", False), ("new-2", False), ("connected", True)):
        def wait_turn(name=name, ahead=ahead):
            opening = gate.enter(ahead=ahead)
            order.append(name)  # in, then done at once: the next one comes in
            opening.release()
        waiting.append(threading.Thread(target=wait_turn))
        waiting[-1].start()
        while gate.waited < len(waiting):  # queued in this order
            threading.Event().wait(0.01)
    assert order == [], "nobody passes while the only place is taken"
    first.release()
    for thread in waiting:
        thread.join(10)
    assert order == ["connected", "new-1", "new-2"]
    assert gate.inside() == 0


def test_a_place_given_back_twice_counts_once_and_a_stalled_one_runs_out():
    gate = Openings(limit=2, wait=30, hold=0.2)
    a = gate.enter()
    a.release()
    a.release()
    assert gate.inside() == 0
    gate.enter(), gate.enter()  # never given back: a client that stalls in its handshake
    assert gate.inside() == 2
    assert gate.enter() is not None, "a place runs out after `hold` seconds"


def test_who_waits_in_vain_is_turned_away():
    gate = Openings(limit=1, wait=0.1, hold=30)
    gate.enter()
    assert gate.enter() is None
    assert gate.turned_away == 1


class Loop:
    """An event loop that turns when the test says so (``turn``), as the server's under eventlet."""

    def __init__(self):
        self.turned = threading.Semaphore(0)

    def start_background_task(self, work):
        threading.Thread(target=work, daemon=True).start()

    def sleep(self, seconds=0):
        self.turned.acquire(timeout=None if seconds == 0 else seconds)

    def turn(self):
        self.turned.release()


def test_at_most_limit_openings_start_in_one_turn_of_the_loop_the_next_ones_at_the_next_turn():
    loop = Loop()
    gate = Openings(limit=2, wait=30, hold=30, loop=loop)
    for _ in range(2):  # two connections worked on and done within the same turn
        gate.enter().release()
    assert gate.inside() == 0
    third = []
    waiting = threading.Thread(target=lambda: third.append(gate.enter(ahead=True)))
    waiting.start()
    waiting.join(0.3)
    assert third == [], "the turn's share is spent: the third waits although no place is taken"
    loop.turn()
    waiting.join(10)
    assert len(third) == 1 and third[0] is not None
    third[0].release()


@pytest.fixture
def app_config():
    return {"SOCKET_OPENINGS": 1, "SOCKET_OPENING_WAIT": 0.2}


def test_a_new_connection_waits_its_turn_then_is_told_busy_a_facilitator_never_waits(app, seeded, login):
    gate = app.extensions["facilitation.inbound"].openings
    held = gate.enter()  # the only place, taken by a connection being worked on

    answer = app.test_client().get(HANDSHAKE)
    assert answer.status_code == 503
    assert int(answer.headers["Retry-After"]) >= 1
    assert b"Busy" in answer.data
    assert app.test_client().get(HANDSHAKE + "&xsid=1").status_code == 503, "no way around the queue"

    facilitator = app.test_client()
    login(facilitator)
    assert facilitator.get(HANDSHAKE).status_code == 200, "a facilitator's session does not wait"
    forged = app.test_client()
    forged.set_cookie("session", "eyJmYWNpbGl0YXRvcl9pZCI6MX0.forged.signature")
    assert forged.get(HANDSHAKE).status_code == 503, "an unsigned claim waits like anyone"

    held.release()
    answer = app.test_client().get(HANDSHAKE)
    assert answer.status_code == 200 and answer.data.startswith(b"0{")
    assert gate.inside() == 0, "the handshake gave its place back once the connection was made"


def test_connects_give_their_places_back(app, sockets):
    gate = app.extensions["facilitation.inbound"].openings
    people = [sockets.participant(f"P{k}") for k in range(3)]
    assert all(p.is_connected() for p in people)
    assert gate.inside() == 0
