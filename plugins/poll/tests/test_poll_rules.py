"""The poll's pure rules: answers and changes of mind, what each audience sees, what a network
keeps, the console's controls, the Markdown of its archived result."""

import pytest

from facilitation.api import FACILITATOR, PARTICIPANT, PROJECTOR, Action, ActionError, Actor, State
from facilitation.api.testing import exercise, markdown

POLL = exercise("poll")
SINGLE = {"title": "Cosa serve?", "kind": "single", "options": ["Tempo", "Persone", "=SOMMA(A1)"],
          "hide_results": True}


def vote(state, who, value, network=1):
    out = POLL.apply(state, Action("answer", {"value": value}), Actor("participant", who, f"P{who}", network))
    return state.with_changes(out.changes), out


def test_a_change_of_mind_moves_one_vote_overall_and_in_the_network():
    state = State({}, config=SINGLE)
    state, _ = vote(state, 1, 0)
    state, _ = vote(state, 2, 0, network=2)
    state, out = vote(state, 1, 2)
    assert out.dirty and out.reply == {"answer": 2}
    assert state["t"] == {"c": [1, 0, 1], "n": 2}
    assert state["t:1"] == {"c": [0, 0, 1], "n": 1} and state["t:2"] == {"c": [1, 0, 0], "n": 1}
    _, same = vote(state, 1, 2)
    assert same.changes == {} and same.reply["unchanged"]


@pytest.mark.parametrize("value", [3, -1, True, "0", [0], None])
def test_an_answer_outside_the_options_is_refused(value):
    with pytest.raises(ActionError):
        vote(State({}, config=SINGLE), 1, value)


def test_hidden_results_reach_the_console_only_and_the_projector_counts():
    state, _ = vote(State({}, config=SINGLE), 1, 1)
    assert "results" not in POLL.view(state, PARTICIPANT)
    assert POLL.view(state, PROJECTOR)["answered"] == 1 and "results" not in POLL.view(state, PROJECTOR)
    assert POLL.view(state, FACILITATOR)["results"]["counts"] == [0, 1, 0]


def test_only_a_poll_that_hides_results_declares_show_and_hide():
    assert [c.name for c in POLL.controls(SINGLE, "open", False)] == ["reveal"]
    assert [c.name for c in POLL.controls(SINGLE, "open", True)] == ["hide"]
    assert POLL.controls({**SINGLE, "hide_results": False}, "open", False) == []


def test_the_archive_in_markdown_shows_the_network_beside_everyone_and_no_formula():
    state = State({}, config=SINGLE)
    for who, value, network in ((1, 0, 1), (2, 2, 1), (3, 2, 2)):
        state, _ = vote(state, who, value, network)
    text = markdown("poll", POLL.archive(state, 1))
    assert "| Tempo | 1 | 1 |" in text and "| '=SOMMA(A1) | 1 | 2 |" in text
