"""Revocation, erasure and removal reach every server process (issue: a socket held by the other
process stayed connected and could still act, writing an erased person's name back).

Two real ``facilitation serve`` processes share the database and a real Redis; the facilitator acts
through one, the person's socket is on the other. That socket is told why (``closed``) and closed
by its own process, and whatever connection an action still arrives on, it is refused inside its
transaction."""

from __future__ import annotations

import json

import pytest
import socketio

from facilitation import store
from facilitation.db import borrowed, transaction

from . import test_scale_out
from .test_scale_out import PASSWORD, Recorder, _facilitator, _form, _request, _wait, two_processes

pytestmark = test_scale_out.pytestmark


@pytest.fixture
def cluster(tmp_path):
    with two_processes(tmp_path) as running:
        yield running


class Closable(Recorder):
    """A Recorder that also keeps ``closed`` messages and knows when the server closed it."""

    def __init__(self, url, cookies, auth):
        self.closed: list[dict] = []
        self.disconnected = False
        super().__init__(url, cookies, auth)
        self.sio.on("closed", self.closed.append)
        self.sio.on("disconnect", lambda *args: setattr(self, "disconnected", True))


def _person(cluster, url, name, network):
    cookies: dict = {}
    _form(f"{url}/j/{cluster['code']}", cookies, {"name": name, "organisation": "Org", "network": str(network)})
    client = Closable(url, cookies, {"meeting": cluster["meeting"], "role": "participant"})
    cluster["clients"].append(client)
    return client, cookies


def _login(url) -> dict:
    cookies: dict = {}
    _form(f"{url}/f/login", cookies, {"email": "fac@example.org", "password": PASSWORD})
    return cookies


def _participant_id(cluster, name) -> int:
    from facilitation import create_app

    app = create_app({"DATABASE": cluster["database"], "SECRET_KEY": "x"})
    with borrowed(app) as db:
        return db.execute("SELECT id FROM participants WHERE name = ?", [name]).fetchone()[0]


def test_erasure_on_one_process_closes_the_persons_socket_on_the_other(cluster):
    one, two = cluster["urls"]
    fac = _facilitator(cluster, one)
    zelda, _ = _person(cluster, two, "Zelda Quintavalle", cluster["networks"][0])
    bo, _ = _person(cluster, two, "Bo", cluster["networks"][1])
    for cmd in ({"cmd": "start"}, {"cmd": "open", "item": cluster["item"]}):
        assert fac.sio.call("control", cmd, timeout=10)["ok"]
    cookies = _login(one)
    zelda_id = _participant_id(cluster, "Zelda Quintavalle")
    status, page = _request(f"{one}/f/meetings/{cluster['meeting']}/participants", cookies)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    status, _ = _request(f"{one}/f/participants/{zelda_id}/erase", cookies, {"csrf_token": token})
    assert status == 302
    assert _wait(lambda: zelda.disconnected), "the other process closed Zelda's socket"
    assert zelda.closed == [{"code": "erased"}]
    # Bo, on the same process, is untouched and keeps voting; Zelda's cookie no longer connects.
    assert not bo.disconnected
    assert bo.sio.call("action", {"item": cluster["item"], "type": "answer", "payload": {"value": 1}},
                       timeout=10)["ok"]
    fac.sio.call("control", {"cmd": "goto", "item": cluster["item"]}, timeout=10)
    assert _wait(lambda: len(bo.of("meeting")) >= 3)
    assert len(zelda.of("meeting")) < len(bo.of("meeting")), "nothing reached the closed socket afterwards"


def test_a_facilitator_removing_someone_closes_them_on_every_process(cluster):
    one, two = cluster["urls"]
    fac = _facilitator(cluster, one)
    eve, cookies = _person(cluster, two, "Eve", cluster["networks"][0])
    assert fac.sio.call("control", {"cmd": "start"}, timeout=10)["ok"]
    eve_id = _participant_id(cluster, "Eve")
    assert fac.sio.call("control", {"cmd": "remove", "participant": eve_id}, timeout=10)["ok"]
    assert _wait(lambda: eve.disconnected) and eve.closed == [{"code": "removed"}]
    again = socketio.Client(reconnection=False)
    try:
        again.connect(two, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
                      auth={"meeting": cluster["meeting"], "role": "participant"}, transports=["websocket"],
                      wait_timeout=10)
        connected = True
    except socketio.exceptions.ConnectionError:
        connected = False
    assert not connected, "a removed person cannot come back with their device link"


def test_revoking_a_link_on_one_process_closes_its_workspace_on_the_other(cluster):
    one, two = cluster["urls"]
    cookies = _login(one)
    page = _request(f"{one}/f/networks/{cluster['networks'][0]}/archive", cookies)[1]
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert _request(f"{one}/f/networks/{cluster['networks'][0]}/link", cookies, {"csrf_token": token})[0] == 302
    page = _request(f"{one}/f/networks/{cluster['networks'][0]}/archive", cookies)[1]
    secret = page.split("/n/", 1)[1].split('"', 1)[0]
    team: dict = {}
    _request(f"{two}/n/{secret}", team)
    ada = Closable(two, team, {"role": "network", "link": secret, "name": "Ada"})
    bo = Closable(two, dict(team), {"role": "network", "link": secret, "name": "Bo"})
    cluster["clients"] += [ada, bo]
    add = {"workspace": "squad", "type": "add", "payload": {"kind": "role", "id": "r1", "fields": {"title": "Tutor"}}}
    assert ada.sio.call("action", add, timeout=10)["ok"]
    token = _request(f"{one}/f/networks/{cluster['networks'][0]}/archive", cookies)[1].split(
        'name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert _request(f"{one}/f/networks/{cluster['networks'][0]}/link/revoke", cookies,
                    {"csrf_token": token})[0] == 302
    assert _wait(lambda: ada.disconnected and bo.disconnected)
    assert ada.closed == [{"code": "revoked"}] == bo.closed


def test_an_erased_persons_action_is_refused_inside_its_transaction(app, sockets, seeded, db):
    """Whatever connection it arrives on: here the erasure is written behind the engine's back, so
    nothing closed the socket, and its next action must still not write the old name anywhere."""
    from .conftest import answer, control

    fac = sockets.facilitator()
    zelda = sockets.participant("Zelda Quintavalle")
    control(fac, "start")
    control(fac, "open", item=seeded["open"])
    zelda_id = db.execute("SELECT id FROM participants WHERE name = 'Zelda Quintavalle'").fetchone()[0]
    from facilitation import privacy

    with app.app_context(), transaction(db):
        privacy.erase_participant(db, zelda_id)
    events = db.execute("SELECT count(*) FROM events").fetchone()[0]
    refused = answer(zelda, seeded["open"], "fiducia")
    assert refused["ok"] is False and refused["error"]["code"] == "removed"
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == events
    stored = json.dumps([list(r) for r in db.execute("SELECT * FROM exercise_state")])
    assert "Zelda" not in stored and store.participant(db, zelda_id)["name"] == f"#{zelda_id}"
