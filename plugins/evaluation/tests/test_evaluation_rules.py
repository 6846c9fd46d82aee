"""The questionnaire's pure rules: answers and changes of mind, what each audience sees, the
small-group rule, what a network keeps, and the comparison with a network's T0."""

import pytest

from facilitation.api import FACILITATOR, PARTICIPANT, PROJECTOR, Action, ActionError, Actor, State
from facilitation.api.testing import exercise

EVAL = exercise("evaluation")
CONFIG = {
    "title": "Valutazione",
    "criteria": ["Competenza", "Personalizzazione", "Temi"],
    "critical": ["Tempo", "Persone"],
    "indicators": ["Coprogettazione", "Lavoro di squadra"],
    "questions": ["Quante reti avete raggiunto?"],
    "anonymous": True,
}


def payload(**values):
    out = {"recommend": None, "criteria": [], "use": "", "critical": [], "comments": "", "ratings": [], "process": []}
    return {**out, **values}


def answer(state, who, network=1, name=None, **values):
    out = EVAL.apply(
        state, Action("answer", payload(**values), at=float(who)), Actor("participant", who, name or f"P{who}", network)
    )
    return state.with_changes(out.changes), out


def test_a_change_of_mind_moves_the_counts_of_everyone_and_of_the_network():
    state = State({}, config=CONFIG)
    state, out = answer(state, 1, recommend=10, criteria=[0, 2], ratings=[2, None])
    state, _ = answer(state, 2, network=2, recommend=6, ratings=[4, 4])
    state, out = answer(state, 1, recommend=8, criteria=[1], ratings=[3, 5])
    assert out.dirty and out.reply["answer"]["r"] == 8
    assert state["t"]["n"] == 2 and state["t"]["r"][8] == 1 and state["t"]["r"][10] == 0
    assert state["t:1"] == {
        "n": 1,
        "r": [0] * 8 + [1, 0, 0],
        "c": [0, 1, 0],
        "k": [0, 0],
        "e": [[0, 0, 1, 0, 0], [0, 0, 0, 0, 1]],
    }
    assert state["t:2"]["e"] == [[0, 0, 0, 1, 0], [0, 0, 0, 1, 0]]
    _, same = answer(state, 1, recommend=8, criteria=[1], ratings=[3, 5])
    assert same.changes == {} and same.reply["unchanged"]


@pytest.mark.parametrize(
    "values",
    [
        {"criteria": [3]},
        {"critical": [2]},
        {"ratings": [6]},
        {"ratings": [0]},
        {"ratings": [True]},
        {"ratings": ["3"]},
        {"ratings": [1, 2, 3]},
        {"ratings": {"0": 3}},
        {"process": ["a", "b"]},
        {"process": [3]},
        {"process": ["x" * 501]},
        {},
    ],
)
def test_answers_outside_the_questionnaire_are_refused(values):
    with pytest.raises(ActionError):
        answer(State({}, config=CONFIG), 1, **values)


def test_process_answers_are_cleaned_by_the_core_rule():
    state, out = answer(State({}, config=CONFIG), 1, process=["Venti reti\x1b[31m raggiunte\u202e"])
    assert out.reply["answer"]["p"] == ["Venti reti raggiunte"]


def test_an_anonymous_questionnaire_keeps_no_names_and_hides_groups_of_fewer_than_three():
    state = State({}, config=CONFIG)
    for who in (1, 2):
        state, _ = answer(state, who, recommend=9, use=f"uso {who}", ratings=[4, 4])
    state, _ = answer(state, 3, network=2, recommend=5, ratings=[2, 2])
    assert all("who" not in a for a in state.prefix("a:").values())
    fac = EVAL.view(state, FACILITATOR)
    assert fac["overall"]["n"] == 3 and not fac["overall"]["hidden"]
    assert fac["by_network"]["1"] == {"n": 2, "hidden": True} and fac["by_network"]["2"] == {"n": 1, "hidden": True}
    # Everyone's words show (three people), but no network beside them: both groups are too small.
    assert [e for e in fac["texts"]["use"]] == [{"text": "uso 1"}, {"text": "uso 2"}]


def test_with_names_every_group_shows_and_words_carry_their_author():
    state = State({}, config={**CONFIG, "anonymous": False})
    state, _ = answer(state, 1, name="Ada", comments="Più tempo", ratings=[5, None])
    fac = EVAL.view(state, FACILITATOR)
    assert fac["by_network"]["1"]["efficacy"][0] == {"count": 1, "mean": 5.0, "dist": [0, 0, 0, 0, 1]}
    assert fac["texts"]["comments"] == [{"text": "Più tempo", "network": 1, "who": "Ada"}]


def test_participants_and_the_shared_screen_see_everyones_figures_only_once_revealed():
    state = State({}, config=CONFIG)
    for who in (1, 2, 3):
        state, _ = answer(state, who, recommend=who + 7, comments=f"segreto {who}")
    hidden = EVAL.view(state, PARTICIPANT)
    assert "overall" not in hidden and hidden["answered"] == 3 and "texts" not in hidden
    shown = State(dict(state), config=CONFIG, revealed=True)
    for audience in (PARTICIPANT, PROJECTOR):
        view = EVAL.view(shown, audience)
        assert view["overall"]["recommend"]["mean"] == 9.0 and "by_network" not in view and "texts" not in view
        assert "segreto" not in repr(view)
    assert EVAL.personal(state, Actor("participant", 2))["answer"]["m"] == "segreto 2"


def test_the_figures_of_four_people_and_an_indicator_only_two_of_them_rated():
    people = [(5, [2, None]), (8, [3, 2]), (9, [3, None]), (10, [4, 4])]
    for anonymous in (True, False):
        config = {**CONFIG, "anonymous": anonymous}
        state = State({}, config=config)
        for who, (recommend, ratings) in enumerate(people, 1):
            state, _ = answer(state, who, recommend=recommend, ratings=ratings)
        overall = EVAL.view(State(dict(state), config=config), FACILITATOR)["overall"]
        assert overall["recommend"] == {"dist": [0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1], "count": 4, "mean": 8.0,
                                        "share": 0.5}, "two of four would recommend it (9 or 10)"
        assert overall["efficacy"][0] == {"count": 4, "mean": 3.0, "dist": [0, 1, 2, 1, 0]}
        if anonymous:  # rated by two people: hidden, however large the group that answered
            assert overall["efficacy"][1] == {"count": 2, "hidden": True}
        else:
            assert overall["efficacy"][1]["mean"] == 3.0


def test_a_network_keeps_counts_and_its_words_never_an_anonymous_persons_answer():
    state = State({}, config=CONFIG)
    for who in (1, 2, 3):
        state, _ = answer(state, who, recommend=9, use=f"uso {who}", ratings=[who, 3])
    state, _ = answer(state, 4, network=2, recommend=2, use="solo io")
    mine = EVAL.archive(state, 1)
    assert mine["network"]["n"] == 3 and mine["overall"]["n"] == 4 and "answers" not in mine
    assert mine["texts"]["use"] == [{"text": "uso 1"}, {"text": "uso 2"}, {"text": "uso 3"}]
    theirs = EVAL.archive(state, 2)
    assert theirs["texts"]["hidden"] and theirs["texts"]["use"] == [], "one person's words are not kept"
    assert "solo io" not in repr(mine), "a network keeps only its own people's words"
    assert EVAL.archive(state, 3) is None, "a network where nobody answered keeps nothing"
    named = State(dict(state), config={**CONFIG, "anonymous": False})
    assert EVAL.archive(named, 2)["answers"] == [
        {"who": "", "r": 2, "c": [], "u": "solo io", "k": [], "m": "", "e": [None, None], "p": [""]}
    ]
