"""The self-assessment's pure rules: where a team starts, shared ratings and reasons, two people
at once, saving a version, and what a network keeps."""

import pytest

from facilitation.api import TEAM, Action, ActionError, Actor, State, ValidationError
from facilitation.api.testing import exercise

SA = exercise("selfassessment")
CONFIG = {"title": "Potenziale generativo", "template": "method", "dimensions": [], "start": "latest"}
ADA = Actor("participant", 1, "Ada", 7, "n7")
BO = Actor("participant", 2, "Bo", 7, "n7")


def team_state(config=CONFIG, previous=None):
    return State({**SA.start_state(config, previous), "@start": {"artifact": None}}, config=config, scope="n7")


def act(state, actor, type_, **payload):
    out = SA.apply(state, Action(type_, payload, at=1.0), actor)
    return state.with_changes(out.changes), out


def test_the_templates_the_method_five_dimensions_and_the_twenty_wilder_factors():
    assert [d["id"] for d in team_state()["dims"]["list"]] == [
        "culture",
        "responsibility",
        "involvement",
        "evaluation",
        "governance",
    ]
    wilder = team_state({**CONFIG, "template": "wilder"})["dims"]["list"]
    assert len(wilder) == 20 and len({d["group"] for d in wilder}) == 6

    def own(dimensions):
        return team_state({**CONFIG, "template": "custom", "dimensions": dimensions})["dims"]["list"]

    listed = own(["Fiducia", "fiducia ", "Ascolto", "Tempi"])
    assert [d["label"] for d in listed] == ["Fiducia", "Ascolto", "Tempi"], "the same wording once"
    # The same wording is the same dimension whatever its case and spaces (a later version compares it).
    assert own(["  FIDUCIA", "Ascolto", "Tempi"])[0]["id"] == listed[0]["id"]


def test_a_facilitators_own_list_needs_three_dimensions():
    with pytest.raises(ValidationError):
        SA.validate_config({**CONFIG, "template": "custom", "dimensions": ["Uno", "uno", "Due"]})
    assert SA.validate_config({**CONFIG, "template": "custom", "dimensions": ["Uno", "Due", "Tre"]})


def test_a_rating_and_a_reason_are_shared_by_the_team_and_broadcast_to_it():
    state, out = act(team_state(), ADA, "rate", dim="culture", value=3, base=0)
    assert out.broadcast == [(TEAM, {"unit": out.reply["unit"]})]
    state, out = act(state, BO, "explain", dim="culture", text="Ci vediamo ogni mese", base=1)
    unit = state["d:culture"]
    assert (unit["v"], unit["why"], unit["ver"], unit["prev"]) == (3, "Ci vediamo ogni mese", 2, {})
    assert state["authors"] == {"participant:1": "Ada", "participant:2": "Bo"}
    state, out = act(state, ADA, "rate", dim="culture", value=0, base=2)
    assert state["d:culture"]["v"] is None, "0 clears a rating"


def test_two_changes_at_once_the_later_wins_and_the_replaced_value_stays_visible():
    state, _ = act(team_state(), ADA, "rate", dim="governance", value=2, base=0)
    # Both saw version 1; Ada's change lands first, then Bo's.
    state, _ = act(state, ADA, "rate", dim="governance", value=4, base=1)
    state, out = act(state, BO, "rate", dim="governance", value=1, base=1)
    assert state["d:governance"]["v"] == 1
    conflict = out.reply["conflict"]
    assert conflict["lost"] == {"value": 4, "by": {"k": "participant:1", "n": "Ada"}}
    assert state["d:governance"]["prev"]["v"] == conflict["lost"] and out.broadcast[0][1]["conflict"] == conflict
    # Ada puts hers back, having seen Bo's: no conflict now, and the replaced value is gone.
    state, out = act(state, ADA, "rate", dim="governance", value=4, base=state["d:governance"]["ver"])
    assert "conflict" not in out.reply and state["d:governance"]["prev"] == {}


@pytest.mark.parametrize(
    "type_, payload, code",
    [
        ("rate", {"dim": "nope", "value": 3, "base": 0}, "invalid"),
        ("explain", {"dim": "w01", "text": "x", "base": 0}, "invalid"),  # a Wilder factor in a method assessment
        ("vote", {}, "unknown_action"),
    ],
)
def test_refusals(type_, payload, code):
    with pytest.raises(ActionError) as refused:
        SA.apply(team_state(), Action(type_, payload), ADA)
    assert refused.value.code == code


def test_outside_a_team_nothing_changes():
    with pytest.raises(ActionError) as refused:
        SA.apply(State({}, config=CONFIG), Action("rate", {"dim": "culture", "value": 3, "base": 0}), ADA)
    assert refused.value.code == "no_team"


def test_saving_keeps_a_version_and_a_lock_without_changes_archives_nothing_more():
    state = team_state()
    with pytest.raises(ActionError):
        act(state, ADA, "save")
    state, _ = act(state, ADA, "rate", dim="culture", value=3, base=0)
    state, _ = act(state, BO, "explain", dim="culture", text="Riunioni regolari", base=1)
    assert SA.archive(state, 7)["dims"][0] == {
        "id": "culture",
        "label": "",
        "group": "",
        "value": 3,
        "why": "Riunioni regolari",
    }
    state, out = act(state, ADA, "save")
    assert out.archive["authors"] == ["Ada", "Bo"] and out.archive["saved_by"] == "Ada"
    assert out.archive["reason"] == "saved" and state["last"] == {
        "values": {"culture": 3, "responsibility": None, "involvement": None, "evaluation": None, "governance": None}
    }
    assert SA.archive(state, 7) is None


def test_a_team_starts_from_its_latest_version_or_from_none():
    previous = {
        "schema": 1,
        "template": "method",
        "dims": [
            {"id": "culture", "label": "", "group": "", "value": 2, "why": "Poche riunioni"},
            {"id": "governance", "label": "", "group": "", "value": 4, "why": ""},
        ],
    }
    state = team_state(previous=previous)
    assert state["d:culture"]["v"] == 2 and state["d:culture"]["why"] == "Poche riunioni"
    assert state["last"]["values"] == {"culture": 2, "governance": 4}
    assert SA.archive(state, 7) is None, "nothing changed: no new version"
    blank = team_state({**CONFIG, "start": "blank"}, previous)
    assert "d:culture" not in blank and blank["last"]["values"]["culture"] == 2
    # Between meetings the workspace has no template: it keeps the dimensions of the latest version.
    wilder = SA.version(team_state({**CONFIG, "template": "wilder"}), "saved")
    workspace = team_state(SA.workspace_config(), wilder)
    assert workspace["dims"]["template"] == "wilder" and len(workspace["dims"]["list"]) == 20
    assert team_state(SA.workspace_config(), None)["dims"]["template"] == "method"
