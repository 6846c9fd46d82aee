"""The pure rules of the prompt card: the ready prompts, replies and their limits, anonymity,
taking a reply back, highlighting and hiding, what each audience sees and what a network keeps."""

import pytest

from facilitation.api import FACILITATOR, PARTICIPANT, PROJECTOR, Action, ActionError, Actor, State, ValidationError
from facilitation.api.testing import exercise, markdown

P = exercise("prompt")
PROJECTOR_WALL = 6  # the shared screen shows the latest six replies besides the highlighted ones
CONFIG = {
    "ready": "",
    "prompt": "Che cosa vuol dire cura?",
    "ask": "Nel vostro lavoro",
    "title": "",
    "anonymous": False,
    "wall": True,
    "per_person": 2,
}
FAC = Actor("facilitator", 1, "Fac")


def person(n, network=1):
    return Actor("participant", n, f"P{n}", network)


def run(state, actor, type_, at=0.0, **payload):
    out = P.apply(state, Action(type_, payload, at=at), actor)
    return state.with_changes(out.changes), out


def refused(state, actor, type_, **payload):
    with pytest.raises(ActionError) as caught:
        P.apply(state, Action(type_, payload), actor)
    return caught.value.code


def test_the_method_s_shared_assumptions_are_ready_prompts(app):
    ready = next(f for f in P.config_fields if f.name == "ready")
    with app.test_request_context():
        # What the facilitator's form offers: the two shared assumptions, besides writing one's own.
        offered = {value: str(label) for value, label in ready.choice_items() if value}
        assert set(offered) == {"third_culture", "active_role"}
        config = P.validate_config({**CONFIG, "ready": "third_culture", "prompt": ""})
        assert "terza cultura" in config["prompt"] and P.title_for(config) == offered["third_culture"]
        adapted = P.validate_config({**CONFIG, "ready": "active_role", "prompt": "La mia versione"})
        assert adapted["prompt"] == "La mia versione"
        with pytest.raises(ValidationError) as caught:
            P.validate_config({**CONFIG, "prompt": ""})
        assert "prompt" in caught.value.errors


def test_replies_reach_the_wall_and_each_person_has_a_limit():
    state, out = run(State({}, config=CONFIG), person(1), "reply", at=1.0, text="Ascolto")
    assert out.dirty and out.reply["mine"] == [{"id": 1, "text": "Ascolto", "hidden": False}]
    state, _ = run(state, person(1), "reply", at=2.0, text="Tempo")
    assert refused(state, person(1), "reply", text="Terza") == "limit"
    assert [r["text"] for r in P.view(state, PARTICIPANT)["replies"]] == ["Ascolto", "Tempo"]
    assert P.view(state, PARTICIPANT)["replies"][0]["name"] == "P1"


def test_anonymous_replies_store_no_name_and_the_wall_can_stay_on_the_shared_screen():
    config = {**CONFIG, "anonymous": True, "wall": False}
    state, _ = run(State({}, config=config), person(1), "reply", text="Senza nome")
    assert state["r:1"]["name"] is None and state["r:1"]["network"] is None
    assert "P1" not in str(P.view(state, FACILITATOR)) and "P1" not in str(P.view(state, PROJECTOR))
    assert "replies" not in P.view(state, PARTICIPANT) and not P.participants_see_results(config, False)
    assert P.view(state, PARTICIPANT)["count"] == 1


def test_a_person_takes_back_only_their_own_reply():
    state, _ = run(State({}, config=CONFIG), person(1), "reply", text="Ops")
    assert refused(state, person(2), "withdraw", reply=1) == "not_found"
    state, out = run(state, person(1), "withdraw", reply=1)
    assert "r:1" not in state and out.reply == {"mine": [], "left": 2}
    assert state["n:1"] == {"replies": 0, "people": 0, "anon": 0}


def test_highlight_and_hide_are_the_facilitator_s_and_hiding_takes_the_highlight_off():
    assert P.actions["highlight"].roles == P.actions["hide"].roles == frozenset({"facilitator"})
    assert P.actions["reply"].roles == P.actions["withdraw"].roles == frozenset({"participant"})
    state = State({}, config=CONFIG)
    for i in range(1, PROJECTOR_WALL + 3):
        state, _ = run(state, person(i), "reply", at=float(i), text=f"R{i}")
    state, _ = run(state, FAC, "highlight", reply=1, on=True)
    projector = P.view(state, PROJECTOR)
    assert [r["text"] for r in projector["highlighted"]] == ["R1"]
    assert len(projector["replies"]) == PROJECTOR_WALL and projector["replies"][-1]["text"] == f"R{PROJECTOR_WALL + 2}"
    state, _ = run(state, FAC, "hide", reply=1, on=True)
    assert not state["r:1"]["hl"] and 1 in P.view(state, PARTICIPANT)["gone"]
    assert [r["id"] for r in P.view(state, FACILITATOR)["replies"] if r["hidden"]] == [1]
    assert P.personal(state, person(1))["mine"][0]["hidden"] is True
    state, _ = run(state, FAC, "hide", reply=1, on=False)
    assert 1 in [r["id"] for r in P.view(state, PARTICIPANT)["replies"]]
    assert refused(state, FAC, "highlight", reply=99, on=True) == "not_found"


def test_results_per_network_hide_anonymous_figures_of_fewer_than_three_people():
    config = {**CONFIG, "anonymous": True}
    state = State({}, config=config)
    for i in (1, 2, 3):
        state, _ = run(state, person(i, network=5), "reply", text=f"A{i}")
    state, _ = run(state, person(4, network=6), "reply", text="B")
    by = P.view(state, FACILITATOR)["by_network"]
    assert by["5"] == {"people": 3, "replies": 3} and by["6"] == {"people": None, "replies": None}


def test_a_network_keeps_the_replies_with_its_own_marked():
    state = State({}, config=CONFIG)
    state, _ = run(state, person(1, network=5), "reply", at=1.0, text="Nostra")
    state, _ = run(state, person(2, network=6), "reply", at=2.0, text="=Loro")
    state, _ = run(state, person(3, network=6), "reply", at=3.0, text="Nascosta")
    state, _ = run(state, FAC, "hide", reply=3, on=True)
    state, _ = run(state, FAC, "highlight", reply=2, on=True)
    kept = P.archive(state, 5)
    assert [(r["text"], r["mine"], r["name"], r["hl"]) for r in kept["replies"]] == [
        ("Nostra", True, "P1", False),
        ("=Loro", False, None, True),
    ]
    text = markdown("prompt", kept)
    assert "- '=Loro (highlighted)" in text and "Nascosta" not in text and "P1" not in text
