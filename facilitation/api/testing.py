"""Test fixtures for exercises, the core's and any plugin's (a plain module of pytest fixtures).

A plugin's ``tests/conftest.py`` imports them::

    from facilitation.api.testing import *  # noqa: F403  (app, db, seeded, sockets, login...)

    @pytest.fixture
    def seed_items():
        return [("mood", "mood", {"title": "How do you feel?", "rounds": 1}, "meeting")]

``app_config`` adds settings to the test app (for instance ``{"PLUGINS": ["my_module"]}`` for
a plugin that is not installed).
``seeded`` is then a dict with the facilitator's id, three networks (the first two in the lab),
the lab, a meeting (``meeting``, its join ``code``) and another meeting (``other_meeting``), and
the id of each item of ``seed_items`` under its name. ``sockets.facilitator()`` and
``sockets.participant(name, network)`` are connected Socket.IO test clients, each with its own
cookies; ``received(client, "event")`` drains what a client got, so a test asserts who got a
message and who did not.
"""

from __future__ import annotations

import contextlib
import functools

import pytest

from .. import artifacts, create_app, store
from ..auth import create_facilitator
from ..db import borrowed, loads, migrate, transaction
from ..schema import validate

PASSWORD = "correct horse battery"

__all__ = ["PASSWORD", "act", "add_version", "app", "app_config", "built_app", "control", "db", "flush", "loads",
           "login", "received", "seed", "seed_items", "seeded", "sockets", "store", "transaction", "validate",
           "versions", "exercise", "markdown", "archive"]


@functools.cache
def _installed():
    """The registry of the installed exercises, as the core loads them at start-up."""
    from ..plugins import Registry, get_plugin_manager

    return Registry(get_plugin_manager())


def exercise(type_name: str):
    """The installed exercise of ``type_name`` (an instance, as the core holds it), for tests of
    its pure rules: ``exercise("poll").apply(state, action, actor)``."""
    return _installed().exercises[type_name]


def markdown(exercise_type: str, data: dict, names: bool = False) -> str:
    """An archived result of ``exercise_type`` in Markdown, as the archive asks for it (the
    ``render_archive`` hook), with people's names or without."""
    return archive({"exercise_type": exercise_type, "data": data}, "markdown", names)


def archive(artifact: dict, fmt: str = "markdown", names: bool = False):
    """An archived result (an artifact as the archive holds it: ``exercise_type``, ``data``, and its
    ``id`` and network where the rendering compares versions) in ``fmt`` (``markdown``, ``html``,
    ``print``), through the ``render_archive`` hook, as the archive and the reports ask for it."""
    found = _installed().pm.hook.render_archive(artifact=artifact, fmt=fmt, options={"names": names})
    if found is None:
        raise LookupError(f"no plugin renders {artifact.get('exercise_type')!r} archives")
    return found


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
def app_config():
    """Settings of the test app besides the defaults: override to add some."""
    return {}


@pytest.fixture
def app(tmp_path, monkeypatch, app_config):
    with built_app(tmp_path, monkeypatch, **app_config) as app:
        yield app


@pytest.fixture
def db(app):
    with borrowed(app) as conn:
        yield conn


def seed(db, items=()) -> dict:
    """A facilitator, three networks, a lab with the first two, two meetings, and ``items``:
    ``(name, exercise type, config, "meeting" or "other_meeting")``."""
    with transaction(db):
        fid = create_facilitator(db, "fac@example.org", "Fac", PASSWORD)
        n1 = store.save_network(db, {"name": "Ambito di Dalmine", "lead_body": "Comune di Dalmine"})
        n2 = store.save_network(db, {"name": "Brescia", "lead_body": "Comune di Brescia"})
        n3 = store.save_network(db, {"name": "Rete esterna"})
        lab = store.save_lab(db, {"title": "Lab"}, [n1, n2])
        meetings = {"meeting": store.create_meeting(db, lab, {"title": "Incontro 1"})}
        meetings["other_meeting"] = store.create_meeting(db, lab, {"title": "Incontro 2"})
        out = {"facilitator": fid, "networks": [n1, n2, n3], "lab": lab, **meetings,
               "code": store.meeting(db, meetings["meeting"])["join_code"]}
        for name, type_name, config, meeting in items:
            out[name] = store.add_item(db, meetings[meeting], type_name, config)
    return out


@pytest.fixture
def seed_items():
    """The agenda items ``seeded`` makes: override in a test module or conftest."""
    return []


@pytest.fixture
def seeded(app, db, seed_items):
    return seed(db, seed_items)


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


def flush(app):
    """Push the coalesced ``results`` and ``presence`` now, instead of at the next tick of the
    background task, so that a test reads them at once."""
    app.extensions["facilitation.engine"].flush()


def control(client, cmd, **extra):
    ack = client.emit("control", {"cmd": cmd, **extra}, callback=True)
    assert ack["ok"], ack
    return ack


def act(client, item, type_name, payload, cid=None):
    """Send an exercise action; returns the ack."""
    message = {"item": item, "type": type_name, "payload": payload}
    if cid:
        message["cid"] = cid
    return client.emit("action", message, callback=True)


# What is stored, for tests that check it (``store`` and ``transaction`` are the core's own).

def versions(db, network_id, exercise_type):
    """A network's archived versions of one exercise, as ``facilitation.api.versions`` gives them."""
    return artifacts.versions(db, network_id, exercise_type)


def add_version(db, network_id, data, title="Version", *, exercise_type):
    """A version saved outside a meeting (inside the caller's transaction)."""
    return artifacts.add_artifact(db, network_id=network_id, lab_id=None, meeting_id=None, item_id=None,
                                  exercise_type=exercise_type, title=title, data=data)
