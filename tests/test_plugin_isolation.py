"""A broken plugin is isolated: one that fails to load, or raises in apply, view or archive, is
reported with its name (``facilitation plugins``, the console, the log); the app starts, the
meeting and the other exercises go on, and nothing stored is lost."""

from __future__ import annotations

import logging
import sys
import types
from pathlib import Path

import pytest

from facilitation.api import ActionSpec, Exercise, Field, Outcome, hookimpl

from .conftest import answer, built_app, control, received

PLUGINS = Path(__file__).parent / "plugins"


class Faulty(Exercise):
    """Raises where its payload or state says so."""

    type = "faulty"
    title = "Faulty"
    actions = {"do": ActionSpec([Field("boom", "bool", default=False)])}

    def apply(self, state, action, actor):
        if action.payload["boom"]:
            raise ZeroDivisionError("apply went wrong")
        return Outcome(changes={"ok": True, "broken_view": True}, reply={"done": True})

    def view(self, state, audience, actor=None):
        if state.get("broken_view"):
            raise KeyError("view went wrong")
        return {"fine": True}

    def archive(self, state, network_id):
        raise RuntimeError("archive went wrong")


@pytest.fixture
def app(tmp_path, monkeypatch):
    faulty = types.ModuleType("facilitation_faulty")
    faulty.register_exercises = hookimpl(lambda: [Faulty])
    monkeypatch.setitem(sys.modules, faulty.__name__, faulty)
    monkeypatch.syspath_prepend(str(PLUGINS))
    with built_app(tmp_path, monkeypatch, PLUGINS=["facilitation_broken", "facilitation_faulty"]) as app:
        yield app


@pytest.fixture
def faulty(seeded, db):
    from facilitation import store
    from facilitation.db import transaction

    with transaction(db):
        return store.add_item(db, seeded["meeting"], "faulty", {})


def test_a_plugin_failing_at_load_is_left_out_and_reported(app, sockets, caplog):
    registry = app.extensions["facilitation.registry"]
    assert "poll" in registry.exercises and "faulty" in registry.exercises
    assert [p.plugin for p in registry.broken] == ["facilitation_broken"]
    listed = app.test_cli_runner().invoke(args=["plugins"])
    assert "facilitation_broken\tBROKEN, left out: ModuleNotFoundError" in listed.output
    console = sockets.facilitator()
    [snapshot] = [m["args"][0] for m in received(console, "snapshot")]
    assert snapshot["problems"][0]["plugin"] == "facilitation_broken"
    with caplog.at_level(logging.ERROR):
        built = sys.modules.pop("facilitation_broken", None)
        from facilitation import plugins

        plugins.get_plugin_manager(["facilitation_broken"])
        if built is not None:
            sys.modules["facilitation_broken"] = built
    assert "plugin facilitation_broken failed to load" in caplog.text


def test_an_exercise_raising_in_apply_changes_nothing_and_the_meeting_goes_on(sockets, seeded, faulty, db, caplog):
    fac = sockets.facilitator()
    ada = sockets.participant("Ada")
    control(fac, "start")
    control(fac, "open", item=faulty)
    events = db.execute("SELECT count(*) FROM events").fetchone()[0]
    with caplog.at_level(logging.ERROR):
        failed = ada.emit("action", {"item": faulty, "type": "do", "payload": {"boom": True}}, callback=True)
    assert failed["ok"] is False and failed["error"]["code"] == "exercise_failed"
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == events, "nothing stored"
    assert "exercise faulty (plugin facilitation_faulty) failed in apply" in caplog.text
    # The other exercises go on.
    control(fac, "open", item=seeded["single"])
    assert answer(ada, seeded["single"], 0)["ok"]
    received(fac)
    console = sockets.facilitator()
    [snapshot] = [m["args"][0] for m in received(console, "snapshot")]
    assert any(p["where"] == "faulty.apply" for p in snapshot["problems"])


def test_an_exercise_raising_in_view_is_shown_as_failed_and_the_rest_stands(sockets, seeded, faulty):
    fac = sockets.facilitator()
    ada = sockets.participant("Ada")
    control(fac, "start")
    control(fac, "open", item=faulty)
    assert ada.emit("action", {"item": faulty, "type": "do", "payload": {}}, callback=True)["ok"]
    received(ada)
    control(fac, "goto", item=faulty)
    [meeting] = [m["args"][0] for m in received(ada, "meeting")]
    assert meeting["item"]["failed"] is True and meeting["meeting"]["current"] == faulty
    again = sockets.facilitator()
    [snapshot] = [m["args"][0] for m in received(again, "snapshot")]
    assert snapshot["item"]["failed"] is True and len(snapshot["agenda"]) == 5


def test_an_exercise_raising_in_archive_archives_nothing_and_the_meeting_ends(sockets, seeded, faulty, db):
    fac = sockets.facilitator()
    ada = sockets.participant("Ada")
    control(fac, "start")
    control(fac, "open", item=seeded["single"])
    assert answer(ada, seeded["single"], 1)["ok"]
    control(fac, "open", item=faulty)
    control(fac, "end")
    assert db.execute("SELECT state FROM meetings WHERE id = ?", [seeded["meeting"]]).fetchone()[0] == "ended"
    kept = {row[0] for row in db.execute("SELECT exercise_type FROM artifacts")}
    assert kept == {"poll"}, "the poll is archived; the faulty exercise archives nothing"
