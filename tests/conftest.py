"""Fixtures: an app on a temporary database, seeded data, socket clients by role."""

from __future__ import annotations

import pytest

from facilitation import artifacts
from facilitation.api.testing import *  # noqa: F403 (app, db, seeded, sockets, login...)
from facilitation.api.testing import PASSWORD, act, built_app, control, received  # noqa: F401 (named by the tests)


def pytest_sessionfinish(session, exitstatus):
    """No server process outlives the suite, whatever a fixture did (see ``liveserver.RUNNING``)."""
    from .liveserver import stop_all

    stop_all()


# The demo's agenda: four polls in the meeting, one in the other meeting.
POLLS = [
    ("single", "poll", {"title": "Q1", "kind": "single", "options": ["A", "B", "C"], "hide_results": True}, "meeting"),
    ("multiple", "poll", {"title": "Q2", "kind": "multiple", "options": ["X", "Y", "Z"], "hide_results": False},
     "meeting"),
    ("scale", "poll", {"title": "Q3", "kind": "scale", "hide_results": False}, "meeting"),
    ("open", "poll", {"title": "Q4", "kind": "open", "hide_results": False}, "meeting"),
    ("other_item", "poll", {"title": "Other", "kind": "single", "options": ["A", "B"]}, "other_meeting"),
]


@pytest.fixture
def seed_items():
    return POLLS


def answer(client, item, value, cid=None):
    return act(client, item, "answer", {"value": value}, cid)


def squad_versions(db, network_id):
    return artifacts.versions(db, network_id, "squad")


def add_squad_version(db, network_id, data, title="Squad"):
    """A squad version saved outside a meeting (inside the caller's transaction)."""
    return artifacts.add_artifact(db, network_id=network_id, lab_id=None, meeting_id=None, item_id=None,
                                  exercise_type="squad", title=title, data=data)


@pytest.fixture
def live_server(tmp_path):
    """The real server (``facilitation serve``) on a free port, seeded with the demo."""
    from .liveserver import demo_server

    with demo_server(tmp_path / "instance") as server:
        yield server
