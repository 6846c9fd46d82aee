"""Ranking's pure rules: orders and changes of mind, the average rank and the distribution of
ranks, no breakdown under 3 answers, what each audience sees, what a network keeps."""

import pytest

from facilitation.api import FACILITATOR, PARTICIPANT, PROJECTOR, Action, ActionError, Actor, State
from facilitation.api.testing import exercise, markdown

RANKING = exercise("ranking")
CONFIG = {"title": "Cosa curare prima?", "options": ["Valutazione", "Cultura di squadra", "Ruolo attivo"],
          "hide_results": True}


def rank(state, who, order, network=1):
    out = RANKING.apply(state, Action("rank", {"order": order}), Actor("participant", who, f"P{who}", network))
    return state.with_changes(out.changes), out


def test_average_rank_and_distribution_move_with_a_change_of_mind():
    state = State({}, config=CONFIG)
    state, _ = rank(state, 1, [0, 1, 2])
    state, _ = rank(state, 2, [1, 0, 2])
    state, out = rank(state, 1, [2, 0, 1])
    assert out.dirty and out.reply == {"order": [2, 0, 1]}
    found = RANKING.view(state, FACILITATOR)["results"]
    assert found["n"] == 2
    by_option = {o["option"]: o for o in found["options"]}
    assert by_option["Valutazione"]["average"] == 2.0 and by_option["Valutazione"]["ranks"] == [0, 2, 0]
    assert by_option["Cultura di squadra"]["ranks"] == [1, 0, 1] and by_option["Ruolo attivo"]["ranks"] == [1, 0, 1]
    assert [o["option"] for o in found["options"]] == CONFIG["options"]  # a three-way tie keeps their order
    _, same = rank(state, 1, [2, 0, 1])
    assert same.changes == {} and same.reply["unchanged"]


@pytest.mark.parametrize("order", [[0, 1], [0, 1, 1], [0, 1, 3], [2, 1, 0, 3], []])
def test_an_order_that_is_not_every_option_once_is_refused(order):
    with pytest.raises(ActionError) as refused:
        rank(State({}, config=CONFIG), 1, order)
    assert refused.value.code == "invalid"


def test_hidden_results_reach_the_console_only_and_networks_under_three_answers_are_not_broken_down():
    state = State({}, config=CONFIG)
    for who, network in ((1, 1), (2, 1), (3, 2), (4, 2), (5, 2)):
        state, _ = rank(state, who, [0, 1, 2], network)
    assert "results" not in RANKING.view(state, PARTICIPANT)
    assert RANKING.view(state, PROJECTOR) == {"question": CONFIG["title"], "options": CONFIG["options"], "answered": 5}
    console = RANKING.view(state, FACILITATOR)
    assert console["results"]["n"] == 5
    assert console["by_network"]["1"] == {"n": 2, "hidden": True}
    assert console["by_network"]["2"]["n"] == 3 and console["by_network"]["2"]["options"][0]["average"] == 1.0
    shown = State(dict(state), config=CONFIG, revealed=True)
    assert RANKING.view(shown, PARTICIPANT)["results"]["n"] == 5 and "by_network" not in RANKING.view(shown, PARTICIPANT)


def test_the_archive_keeps_the_network_from_three_answers_and_everyone():
    state = State({}, config=CONFIG)
    for who, network in ((1, 1), (2, 2), (3, 2), (4, 2)):
        state, _ = rank(state, who, [1, 2, 0] if network == 2 else [0, 1, 2], network)
    small, large = RANKING.archive(state, 1), RANKING.archive(state, 2)
    assert small["network"] == {"n": 1, "hidden": True} and small["overall"]["n"] == 4
    assert large["network"]["options"][0]["option"] == "Cultura di squadra"
    assert RANKING.archive(State({}, config=CONFIG), 1) is None
    text = markdown("ranking", large)
    assert "| Cultura di squadra | 1.00 | 1.25 |" in text
    assert "fewer than 3" in markdown("ranking", small)


def test_a_ranking_needs_two_options_and_declares_show_and_hide():
    from facilitation.api import ValidationError

    with pytest.raises(ValidationError):
        RANKING.validate_config({**CONFIG, "options": ["Sola"]})
    assert [c.name for c in RANKING.controls(CONFIG, "open", False)] == ["reveal"]
    assert RANKING.controls({**CONFIG, "hide_results": False}, "open", False) == []
