from facilitation.api import Action, ActionError, Actor, State
from facilitation.api.testing import act, control, received
from facilitation_checkin import CheckIn


def test_a_change_of_word_moves_one_count():
    ada = Actor("participant", 1, "Ada", 7)
    state = State({}, config={"title": "?"})
    first = CheckIn().apply(state, Action("say", {"word": "curiosa"}), ada)
    state = state.with_changes(first.changes)
    again = CheckIn().apply(state, Action("say", {"word": "stanca"}), ada)
    state = state.with_changes(again.changes)
    assert CheckIn().view(state, "facilitator")["words"] == [{"word": "stanca", "count": 1}]


def test_one_word_only():
    try:
        CheckIn().apply(State({}), Action("say", {"word": "due parole"}), Actor("participant", 1))
    except ActionError as exc:
        assert exc.code == "one_word"
    else:
        raise AssertionError("two words were accepted")


def test_the_room_sees_the_words_and_the_network_keeps_its_own(sockets, seeded):
    fac = sockets.facilitator()
    ada = sockets.participant("Ada")
    control(fac, "start")
    control(fac, "open", item=seeded["checkin"])
    received(fac)
    assert act(ada, seeded["checkin"], "say", {"word": "curiosa"})["reply"] == {"word": "curiosa"}
    assert not act(ada, seeded["checkin"], "say", {"word": "x" * 31})["ok"]
    control(fac, "lock", item=seeded["checkin"])
    archived = received(fac, "archived")
    assert archived and archived[-1]["args"][0]["items"]
