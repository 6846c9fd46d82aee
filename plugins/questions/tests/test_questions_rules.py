"""The pure rules of questions with upvotes: asking, anonymity, limits, upvotes once each,
moderation (approve, hide, restore, answered, pin, merge), what each audience sees, what a
network keeps, and the Markdown of its archived result."""

import pytest

from facilitation.api import FACILITATOR, PARTICIPANT, PROJECTOR, Action, ActionError, Actor, State
from facilitation.api.testing import exercise, markdown
from facilitation_questions.exercise import LIST_RECENT, LIST_TOP, MAX_PINNED, MAX_QUESTIONS

Q = exercise("questions")
HELD = {"title": "Domande", "moderation": "held", "names": "choice", "per_person": 3, "top": 2}
OPEN = {**HELD, "moderation": "open"}
FAC = Actor("facilitator", 1, "Fac")


def person(n, network=1):
    return Actor("participant", n, f"P{n}", network)


def run(state, actor, type_, at=0.0, **payload):
    out = Q.apply(state, Action(type_, payload, at=at), actor)
    return state.with_changes(out.changes), out


def ask(state, actor, text, anonymous=False, at=0.0):
    return run(state, actor, "ask", at=at, text=text, anonymous=anonymous)


def refused(state, actor, type_, **payload):
    with pytest.raises(ActionError) as caught:
        Q.apply(state, Action(type_, payload), actor)
    return caught.value.code


def test_a_held_question_reaches_only_the_facilitator_until_approved():
    state, out = ask(State({}, config=HELD), person(1), "Come si valuta?")
    assert out.dirty and out.reply["question"] == 1
    assert out.reply["asked"] == [
        {"id": 1, "text": "Come si valuta?", "status": "held", "into": None, "anon": False, "answered": False}
    ]
    assert Q.view(state, PARTICIPANT)["questions"] == [] and Q.view(state, PROJECTOR)["top"] == []
    assert [q["text"] for q in Q.view(state, FACILITATOR)["held"]] == ["Come si valuta?"]
    assert refused(state, person(2), "vote", question=1, up=True) == "not_found"

    state, _ = run(state, FAC, "moderate", question=1, do="approve")
    assert [q["text"] for q in Q.view(state, PARTICIPANT)["questions"]] == ["Come si valuta?"]
    assert Q.view(state, FACILITATOR)["held"] == []
    assert refused(state, FAC, "moderate", question=1, do="approve") == "not_held"


def test_questions_are_published_at_once_when_so_configured():
    state, out = ask(State({}, config=OPEN), person(1), "Chi coordina?")
    assert out.reply["asked"][0]["status"] == "published"
    assert Q.view(state, PARTICIPANT)["questions"][0]["name"] == "P1"


def test_anonymous_questions_store_neither_name_nor_network():
    state, _ = ask(State({}, config=OPEN), person(1), "Anonima?", anonymous=True)
    stored = state["q:1"]
    assert stored["name"] is None and stored["network"] is None and "P1" not in str(stored)
    for audience in (PARTICIPANT, FACILITATOR, PROJECTOR):
        assert "P1" not in str(Q.view(state, audience))
    # The person still sees it among their own.
    assert Q.personal(state, person(1))["asked"][0]["anon"] is True
    # Always anonymous, whatever the participant sends; never anonymous when names are required.
    state, _ = ask(State({}, config={**OPEN, "names": "anonymous"}), person(1), "X", anonymous=False)
    assert state["q:1"]["name"] is None
    state, _ = ask(State({}, config={**OPEN, "names": "named"}), person(1), "X", anonymous=True)
    assert state["q:1"]["name"] == "P1"


def test_each_person_upvotes_a_question_once_and_can_take_it_back():
    state, _ = ask(State({}, config=OPEN), person(1), "Q")
    state, out = run(state, person(2), "vote", question=1, up=True)
    assert state["q:1"]["votes"] == 1 and out.reply["voted"] == [1]
    state, again = run(state, person(2), "vote", question=1, up=True)
    assert again.changes == {} and again.reply["unchanged"] and state["q:1"]["votes"] == 1
    state, _ = run(state, person(3), "vote", question=1, up=True)
    assert state["q:1"]["votes"] == 2
    state, back = run(state, person(2), "vote", question=1, up=False)
    assert state["q:1"]["votes"] == 1 and back.reply["voted"] == []
    assert refused(state, person(1), "vote", question=1, up=True) == "own"
    assert refused(state, person(2), "vote", question=99, up=True) == "not_found"


def test_limits_per_person_duplicates_and_in_all():
    state = State({}, config=OPEN)
    for i in range(3):
        state, _ = ask(state, person(1), f"Domanda {i}")
    assert refused(state, person(1), "ask", text="Un'altra", anonymous=False) == "limit"
    state, _ = ask(state, person(2), "  domanda   0 ")  # someone else may ask the same
    state, _ = ask(state, person(2), "Mia")
    assert refused(state, person(2), "ask", text="MIA", anonymous=False) == "duplicate"
    full = State({"seq": {"n": MAX_QUESTIONS}}, config=OPEN)
    assert refused(full, person(9), "ask", text="Ancora", anonymous=False) == "full"


def test_hide_restore_answered_and_pin():
    state = State({}, config=OPEN)
    for i in range(1, MAX_PINNED + 2):
        state, _ = ask(state, person(i), f"Q{i}", at=float(i))
    state, _ = run(state, FAC, "moderate", question=1, do="hide")
    assert 1 in Q.view(state, PARTICIPANT)["gone"]
    assert [q["id"] for q in Q.view(state, FACILITATOR)["hidden"]] == [1]
    assert refused(state, person(5), "vote", question=1, up=True) == "not_found"
    assert refused(state, FAC, "moderate", question=1, do="pin") == "not_published"
    state, _ = run(state, FAC, "moderate", question=1, do="restore")
    assert 1 in [q["id"] for q in Q.view(state, PARTICIPANT)["questions"]]

    state, _ = run(state, FAC, "moderate", question=2, do="answered")
    assert state["q:2"]["answered"] and 2 not in [q["id"] for q in Q.view(state, PROJECTOR)["top"]]
    for i in range(1, MAX_PINNED + 1):
        state, _ = run(state, FAC, "moderate", question=i, do="pin")
    assert refused(state, FAC, "moderate", question=MAX_PINNED + 1, do="pin") == "pinned"
    assert [q["id"] for q in Q.view(state, PROJECTOR)["pinned"]] == [1, 3, 2]  # answered last
    # Hiding a pinned question unpins it.
    state, _ = run(state, FAC, "moderate", question=3, do="hide")
    assert not state["q:3"]["pinned"]
    assert refused(state, FAC, "moderate", question=42, do="hide") == "not_found"


def test_a_participant_cannot_moderate_or_merge():
    assert Q.actions["moderate"].roles == frozenset({"facilitator"})
    assert Q.actions["merge"].roles == frozenset({"facilitator"})
    assert Q.actions["ask"].roles == Q.actions["vote"].roles == frozenset({"participant"})


def test_merging_duplicates_counts_each_voter_once_and_redirects_votes():
    state = State({}, config=OPEN)
    state, _ = ask(state, person(1), "Tempi?", at=1.0)
    state, _ = ask(state, person(2), "Quanto tempo?", at=2.0)
    state, _ = ask(state, person(3), "Altro", at=3.0)
    for voter, question in ((4, 1), (5, 1), (5, 2), (6, 2)):
        state, _ = run(state, person(voter), "vote", question=question, up=True)
    state, out = run(state, FAC, "merge", question=2, into=1)
    assert out.reply == {"question": 2, "into": 1}
    assert state["q:1"]["votes"] == 3 and state["q:1"]["merged"] == [2] and state["q:2"]["into"] == 1
    view = Q.view(state, PARTICIPANT)
    assert [q["id"] for q in view["questions"]] == [1, 3] and view["into"] == {"2": 1} and 2 in view["gone"]
    # A vote on the old question counts on the one it went into, once per person.
    state, again = run(state, person(6), "vote", question=2, up=True)
    assert again.reply["unchanged"] and state["q:1"]["votes"] == 3
    state, _ = run(state, person(7), "vote", question=2, up=True)
    assert state["q:1"]["votes"] == 4
    # The author of the merged question sees it merged, and cannot upvote where it went.
    assert Q.personal(state, person(2))["asked"][0]["status"] == "merged"
    assert refused(state, person(2), "vote", question=1, up=True) == "own"
    # Merging what was merged, into itself, or into a hidden question is refused.
    assert refused(state, FAC, "merge", question=2, into=3) == "not_found"
    assert refused(state, FAC, "merge", question=1, into=1) == "invalid"
    state, _ = run(state, FAC, "moderate", question=3, do="hide")
    assert refused(state, FAC, "merge", question=1, into=3) == "not_published"
    # A chain: 1 (with 2) into a new question 4; 2 now points at 4 too.
    state, _ = ask(state, person(8), "Nuova", at=4.0)
    state, _ = run(state, FAC, "merge", question=1, into=4)
    assert state["q:2"]["into"] == 4 and sorted(state["q:4"]["merged"]) == [1, 2] and state["q:4"]["votes"] == 4


def test_participants_get_the_top_and_the_newest_the_projector_the_top_unanswered():
    state = State({}, config={**OPEN, "per_person": 20})
    total = LIST_TOP + LIST_RECENT + 10
    for i in range(1, total + 1):
        state, _ = ask(state, person(1000 + i), f"Q{i}", at=float(i))
    for voter in range(3):
        state, _ = run(state, person(voter), "vote", question=5, up=True)
    view = Q.view(state, PARTICIPANT)
    ids = [q["id"] for q in view["questions"]]
    assert view["total"] == total and len(ids) == LIST_TOP + LIST_RECENT and ids[0] == 5
    assert total in ids  # the newest is listed although it has no votes
    projector = Q.view(state, PROJECTOR)
    assert [q["id"] for q in projector["top"]] == [5, 1] and projector["total"] == total


def test_results_per_network_hide_anonymous_figures_of_fewer_than_three_people():
    state = State({}, config=OPEN)
    state, _ = ask(state, person(1, network=7), "A", anonymous=True)
    state, _ = ask(state, person(2, network=8), "B")
    for voter in (3, 4, 5):
        state, _ = run(state, person(voter, network=8), "vote", question=1, up=True)
    by = Q.view(state, FACILITATOR)["by_network"]
    assert by["7"] == {"askers": None, "asked": None, "voters": None, "votes": None}
    assert by["8"] == {"askers": 1, "asked": 1, "voters": 3, "votes": 3}


def test_a_network_keeps_the_room_s_questions_with_its_own_marked_and_names_only_of_its_people():
    state = State({}, config=OPEN)
    state, _ = ask(state, person(1, network=7), "Nostra", at=1.0)
    state, _ = ask(state, person(2, network=8), "Loro", at=2.0)
    state, _ = ask(state, person(3, network=8), "Nascosta", at=3.0)
    state, _ = run(state, FAC, "moderate", question=3, do="hide")
    state, _ = run(state, person(4, network=8), "vote", question=2, up=True)
    kept = Q.archive(state, 7)
    assert [(q["text"], q["mine"], q["name"]) for q in kept["questions"]] == [
        ("Loro", False, None),
        ("Nostra", True, "P1"),
    ]
    text = markdown("questions", kept, names=False)
    assert "| Loro | 1 |  |" in text and "P1" not in text and "Nascosta" not in text
    assert "P1" in markdown("questions", kept, names=True)


def test_markdown_cells_are_never_formulas():
    state, _ = ask(State({}, config=OPEN), person(1), "=SOMMA(A1)")
    assert "| '=SOMMA(A1) | 0 |" in markdown("questions", Q.archive(state, 5))
