"""Fixtures: an app on a temporary database, seeded data, socket clients by role."""

from __future__ import annotations

import contextlib

import pytest

from facilitation import create_app, store
from facilitation.auth import create_facilitator
from facilitation.db import borrowed, migrate, transaction

PASSWORD = "correct horse battery"


@contextlib.contextmanager
def built_app(tmp_path, monkeypatch, **config):
    """An app on a migrated temporary database, closed afterwards."""
    monkeypatch.setenv("FACILITATION_INSTANCE", str(tmp_path))
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE": str(tmp_path / "test.db"),
        "WTF_CSRF_ENABLED": False,
        "RESULTS_PER_SECOND": 50,
        **config,
    })
    with borrowed(app) as db:
        migrate(db, app.extensions["facilitation.registry"])
    try:
        yield app
    finally:
        app.extensions["facilitation.pool"].close()


@pytest.fixture
def app(tmp_path, monkeypatch):
    with built_app(tmp_path, monkeypatch) as app:
        yield app


@pytest.fixture
def db(app):
    with borrowed(app) as conn:
        yield conn


@pytest.fixture
def seeded(app, db):
    """A facilitator, three networks, a lab with two of them... and a meeting with four polls."""
    with transaction(db):
        fid = create_facilitator(db, "fac@example.org", "Fac", PASSWORD)
        n1 = store.save_network(db, {"name": "Ambito di Dalmine", "lead_body": "Comune di Dalmine"})
        n2 = store.save_network(db, {"name": "Brescia", "lead_body": "Comune di Brescia"})
        n3 = store.save_network(db, {"name": "Rete esterna"})
        lab = store.save_lab(db, {"title": "Lab"}, [n1, n2])
        meeting = store.create_meeting(db, lab, {"title": "Incontro 1"})
        single = store.add_item(db, meeting, "poll", {"title": "Q1", "kind": "single", "options": ["A", "B", "C"],
                                                      "hide_results": True})
        multiple = store.add_item(db, meeting, "poll", {"title": "Q2", "kind": "multiple",
                                                        "options": ["X", "Y", "Z"], "hide_results": False})
        scale = store.add_item(db, meeting, "poll", {"title": "Q3", "kind": "scale", "hide_results": False})
        words = store.add_item(db, meeting, "poll", {"title": "Q4", "kind": "open", "hide_results": False})
        other = store.create_meeting(db, lab, {"title": "Incontro 2"})
        other_item = store.add_item(db, other, "poll", {"title": "Other", "kind": "single", "options": ["A", "B"]})
    return {"facilitator": fid, "networks": [n1, n2, n3], "lab": lab, "meeting": meeting,
            "code": store.meeting(db, meeting)["join_code"], "single": single, "multiple": multiple,
            "scale": scale, "open": words, "other_meeting": other, "other_item": other_item}


@pytest.fixture
def login():
    def do(client, email="fac@example.org", password=PASSWORD):
        return client.post("/f/login", data={"email": email, "password": password})
    return do


@pytest.fixture
def sockets(app, seeded, login):
    """Factory of connected Socket.IO test clients: ``sockets.facilitator()``,
    ``sockets.participant(name, network)``, each with its own HTTP client (cookies)."""
    socketio = app.extensions["socketio"]
    made = []

    class Factory:
        def facilitator(self, role="console", meeting=None):
            http = app.test_client()
            login(http)
            client = socketio.test_client(app, flask_test_client=http,
                                          auth={"meeting": meeting or seeded["meeting"], "role": role})
            made.append(client)
            return client

        def join(self, name="Ada", network=None, code=None):
            http = app.test_client()
            code = code or seeded["code"]
            response = http.post(f"/j/{code}", data={"name": name, "organisation": "Org",
                                                     "network": str(network or seeded["networks"][0])})
            assert response.status_code == 302, response.data
            return http

        def participant(self, name="Ada", network=None, http=None, meeting=None):
            http = http or self.join(name, network)
            client = socketio.test_client(app, flask_test_client=http,
                                          auth={"meeting": meeting or seeded["meeting"], "role": "participant"})
            made.append(client)
            return client

    yield Factory()
    for client in made:
        if client.is_connected():
            client.disconnect()


def received(client, name=None):
    """Messages a test client got since the last call, optionally of one event name."""
    return [m for m in client.get_received() if name is None or m["name"] == name]


def control(client, cmd, **extra):
    ack = client.emit("control", {"cmd": cmd, **extra}, callback=True)
    assert ack["ok"], ack
    return ack


def answer(client, item, value, cid=None):
    message = {"item": item, "type": "answer", "payload": {"value": value}}
    if cid:
        message["cid"] = cid
    return client.emit("action", message, callback=True)


@pytest.fixture
def live_server(tmp_path):
    """The real server (``facilitation serve``) on a free port, seeded with the demo."""
    from .liveserver import start_demo_server

    server = start_demo_server(tmp_path / "instance")
    yield server
    server.stop()
    print(server.log())  # shown by pytest only when the test failed
