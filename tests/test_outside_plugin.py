"""An outside package adds an exercise without touching the core.

``tests/plugins/facilitation_mood`` is installed the way pip would: a
``*.dist-info`` with an ``entry_points.txt`` in the group ``facilitation.plugins``,
in a folder on ``sys.path``.
"""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path

import pytest

from facilitation import Exercise, create_app, hookimpl, store
from facilitation.db import loads

from .conftest import built_app, control, received

PLUGINS = Path(__file__).parent / "plugins"


def install_outside_package(site: Path, monkeypatch) -> None:
    dist = site / "facilitation_mood-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: facilitation-mood\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[facilitation.plugins]\nmood = facilitation_mood\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.syspath_prepend(str(PLUGINS))
    importlib.invalidate_caches()


@pytest.fixture
def app(tmp_path, monkeypatch):
    """The conftest app, with the outside package installed first."""
    install_outside_package(tmp_path / "site", monkeypatch)
    with built_app(tmp_path, monkeypatch) as app:
        yield app

def test_outside_exercise_is_registered_built_and_run(app, seeded, login, sockets, db):
    registry = app.extensions["facilitation.registry"]
    assert "mood" in registry.exercises and "poll" in registry.exercises
    assert ("mood", "facilitation_mood") in registry.plugin_names()

    # The agenda builder offers it, and its config form comes from its declared fields.
    http = app.test_client()
    login(http)
    page = http.get(f"/f/meetings/{seeded['meeting']}").get_data(as_text=True)
    assert '<option value="mood">Mood of the room</option>' in page
    new_url = f"/f/meetings/{seeded['meeting']}/items"
    form = http.get(new_url + "?type=mood").get_data(as_text=True)
    assert 'name="rounds"' in form and 'value="How do you feel?"' in form
    bad = http.post(new_url, data={"type": "mood", "title": "Meteo", "rounds": "9"})
    assert bad.status_code == 400 and "deve essere al massimo 3" in bad.get_data(as_text=True)
    http.post(new_url, data={"type": "mood", "title": "Meteo", "rounds": "2"})
    item = store.agenda(db, seeded["meeting"])[-1]
    assert (item["exercise_type"], item["config"]) == ("mood", {"title": "Meteo", "rounds": 2})

    # The engine runs its action: validated, applied, stored, acked, broadcast to facilitators.
    fac = sockets.facilitator()
    ada = sockets.participant("Ada")
    control(fac, "start")
    control(fac, "open", item=item["id"])
    received(fac)
    bad = ada.emit("action", {"item": item["id"], "type": "pick", "payload": {"mood": "foggy"}}, callback=True)
    assert not bad["ok"] and bad["error"]["code"] == "invalid"
    ack = ada.emit("action", {"item": item["id"], "type": "pick", "payload": {"mood": "sunny"}}, callback=True)
    assert ack["ok"] and ack["reply"] == {"mood": "sunny"}
    events = received(fac, "event")
    assert events[-1]["args"][0]["data"] == {"counts": {"sunny": 1, "cloudy": 0, "stormy": 0}}
    counts = db.execute(
        "SELECT value FROM exercise_state WHERE space = ? AND key = 'counts'", [f"i{item['id']}"]
    ).fetchone()[0]
    assert loads(counts)["sunny"] == 1


def test_facilitation_plugins_lists_the_outside_package(app):
    result = app.test_cli_runner().invoke(args=["plugins"])
    assert result.exit_code == 0, result.output
    assert "mood\tfacilitation_mood" in result.output
    assert "exercise mood: Mood of the room (facilitation_mood)" in result.output
    assert "exercise poll:" in result.output


def test_the_same_exercise_type_registered_twice_fails_loudly(tmp_path, monkeypatch):
    class AnotherPoll(Exercise):
        type = "poll"

    twin = types.ModuleType("facilitation_poll_twin")
    twin.register_exercises = hookimpl(lambda: [AnotherPoll])
    monkeypatch.setitem(sys.modules, twin.__name__, twin)
    monkeypatch.setenv("FACILITATION_INSTANCE", str(tmp_path))
    with pytest.raises(ValueError, match="exercise type 'poll' is registered twice"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "PLUGINS": [twin.__name__]})


def test_the_tutorial_rule_runs_without_a_server(monkeypatch):
    """The pure-function check shown in docs/plugins.md, step 3."""
    monkeypatch.syspath_prepend(str(PLUGINS))
    from facilitation_mood import Mood

    from facilitation import Action, Actor, State

    state = State({}, config={"title": "?", "rounds": 1})
    out = Mood().apply(state, Action("pick", {"mood": "sunny"}), Actor("participant", 1))
    assert out.changes["counts"]["sunny"] == 1
    again = Mood().apply(state.with_changes(out.changes), Action("pick", {"mood": "stormy"}), Actor("participant", 1))
    assert again.changes["counts"] == {"sunny": 0, "cloudy": 0, "stormy": 1}
