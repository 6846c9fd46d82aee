"""The obstacle board's pure rules: writing, moderation (held notes, removal), clusters, dot
limits, phases, what each audience sees, what a network keeps, its Markdown."""

import pytest

from facilitation.api import FACILITATOR, PARTICIPANT, PROJECTOR, Action, ActionError, Actor, State
from facilitation.api.testing import exercise, markdown

BOARD = exercise("board")
CONFIG = {"title": "Ostacoli", "columns": ["Cultura di squadra", "Corresponsabilità", "Da sviluppare"],
          "scope": "team", "anonymous": False, "controlled": False, "team_clusters": True, "dots": 3,
          "stack": False}
ADA = Actor("participant", 1, "Ada", 7, "n7")
BO = Actor("participant", 2, "Bo", 7, "n7")
FAC = Actor("facilitator", 1, "Fac")


class Board_:
    """A team's board and the meeting-wide state (where the phase is), chained through actions."""

    def __init__(self, **config):
        self.config = {**CONFIG, **config}
        self.shared = State({}, config=self.config)
        self.team = State({}, config=self.config, scope="n7", shared=self.shared)

    def act(self, actor, type_, **payload):
        scoped = type_ != "phase"
        state = self.team if scoped else self.shared
        out = BOARD.apply(state, Action(type_, payload, at=1.0), actor)
        if scoped:
            self.team = self.team.with_changes(out.changes)
        else:
            self.shared = self.shared.with_changes(out.changes)
            self.team = State(dict(self.team), config=self.config, scope="n7", shared=self.shared)
        return out

    def phase(self, name):
        return self.act(FAC, "phase", phase=name)

    def view(self, audience=PARTICIPANT):
        return BOARD.view(self.team, audience)

    def personal(self, actor):
        return BOARD.personal(self.team, actor)


def test_notes_show_to_the_team_with_their_authors_and_the_writer_gets_their_own_part():
    board = Board_()
    out = board.act(ADA, "write", column=0, text="Poco tempo per incontrarsi")
    assert out.dirty and out.broadcast == []  # the board travels as coalesced results, never as events
    assert out.reply["mine"] == [{"id": "n1", "col": 0, "text": "Poco tempo per incontrarsi", "held": False}]
    assert out.reply["left"] == 3
    board.act(BO, "write", column=2, text="Valutazione condivisa")
    notes = board.view()["notes"]
    assert [(n["text"], n["name"]) for n in notes] == [("Poco tempo per incontrarsi", "Ada"),
                                                       ("Valutazione condivisa", "Bo")]
    assert "dots" not in notes[0] and "held" not in notes[0]


def test_anonymous_notes_carry_no_name_anywhere():
    board = Board_(anonymous=True)
    board.act(ADA, "write", column=0, text="Silos tra servizi")
    for audience in (PARTICIPANT, FACILITATOR, PROJECTOR):
        assert "name" not in board.view(audience)["notes"][0]
    assert "Ada" not in repr(dict(board.team))
    assert board.personal(ADA)["mine"][0]["text"] == "Silos tra servizi"


def test_controlled_mode_holds_notes_until_the_facilitator_approves():
    board = Board_(controlled=True)
    out = board.act(ADA, "write", column=1, text="Nessuno si sente responsabile")
    assert out.reply["held"] is True
    assert board.view(PARTICIPANT)["notes"] == [] and board.view(PROJECTOR)["notes"] == []
    assert board.view(FACILITATOR)["held"] == 1 and board.view(FACILITATOR)["notes"][0]["held"] is True
    assert board.personal(ADA)["mine"][0]["held"] is True
    assert board.personal(BO)["mine"] == []
    # A facilitator's own note is never held.
    board.act(FAC, "write", column=0, text="Dal facilitatore")
    assert [n["text"] for n in board.view()["notes"]] == ["Dal facilitatore"]
    board.act(FAC, "approve", note="n1")
    assert [n["text"] for n in board.view()["notes"]] == ["Nessuno si sente responsabile", "Dal facilitatore"]
    assert board.personal(ADA)["mine"][0]["held"] is False


def test_only_facilitators_approve_and_participants_withdraw_only_their_own_notes():
    board = Board_(controlled=True)
    board.act(ADA, "write", column=0, text="Uno")
    assert "participant" not in BOARD.actions["approve"].roles and "participant" not in BOARD.actions["phase"].roles
    with pytest.raises(ActionError) as refused:
        board.act(BO, "remove", note="n1")
    assert refused.value.code == "not_yours"
    assert board.act(ADA, "remove", note="n1").reply["mine"] == []
    assert board.view(FACILITATOR)["notes"] == []
    board.act(ADA, "write", column=0, text="Due")
    board.act(FAC, "remove", note="n2")  # a facilitator refuses a held note by removing it
    assert board.personal(ADA)["mine"] == [] and board.team["c"]["live"] == 0


def test_writing_limits_and_wrong_columns_are_refused_and_change_nothing():
    board = Board_()
    with pytest.raises(ActionError) as refused:
        board.act(ADA, "write", column=3, text="Colonna che non c'è")
    assert refused.value.code == "invalid" and dict(board.team) == {}
    for n in range(20):
        board.act(ADA, "write", column=0, text=f"nota {n}")
    with pytest.raises(ActionError) as refused:
        board.act(ADA, "write", column=0, text="una di troppo")
    assert refused.value.code == "too_many" and len(board.personal(ADA)["mine"]) == 20


def test_phases_gate_every_action_and_are_set_for_all_teams_at_once():
    board = Board_()
    board.act(ADA, "write", column=0, text="Uno")
    with pytest.raises(ActionError) as refused:
        board.act(ADA, "vote", note="n1")
    assert refused.value.code == "wrong_phase"
    with pytest.raises(ActionError):
        board.act(ADA, "cluster", column=0, name="Tempo")  # participants cluster in the clustering phase
    board.phase("voting")
    with pytest.raises(ActionError) as refused:
        board.act(ADA, "write", column=0, text="Tardi")
    assert refused.value.code == "wrong_phase"
    with pytest.raises(ActionError) as refused:
        BOARD.apply(board.team, Action("phase", {"phase": "writing"}), FAC)  # inside one team: refused
    assert refused.value.code == "invalid"
    with pytest.raises(ActionError) as refused:
        BOARD.apply(State({}, config=CONFIG), Action("write", {"column": 0, "text": "x"}), ADA)
    assert refused.value.code == "no_team"


def test_clusters_group_notes_of_their_own_column_by_the_team_or_only_the_facilitator():
    board = Board_()
    for text, column in (("Poco tempo", 0), ("Orari diversi", 0), ("Ruoli poco chiari", 1)):
        board.act(ADA, "write", column=column, text=text)
    board.act(FAC, "cluster", column=0, name="Tempo")  # facilitators may cluster while notes are written
    board.phase("clustering")
    assert board.act(BO, "cluster", column=1, name="Ruoli").reply == {"cluster": "k2"}
    board.act(BO, "group", note="n1", cluster="k1")
    board.act(ADA, "group", note="n2", cluster="k1")
    with pytest.raises(ActionError) as refused:
        board.act(ADA, "group", note="n3", cluster="k1")
    assert refused.value.code == "invalid"
    board.act(ADA, "rename", cluster="k1", name="Il tempo")
    view = board.view()
    assert [(k["id"], k["name"]) for k in view["clusters"]] == [("k1", "Il tempo"), ("k2", "Ruoli")]
    assert {n["id"]: n["cl"] for n in view["notes"]} == {"n1": "k1", "n2": "k1", "n3": None}
    board.act(ADA, "drop", cluster="k1")
    assert all(n["cl"] is None for n in board.view()["notes"])
    only_fac = Board_(team_clusters=False)
    only_fac.phase("clustering")
    with pytest.raises(ActionError) as refused:
        only_fac.act(ADA, "cluster", column=0, name="No")
    assert refused.value.code == "forbidden"
    assert only_fac.act(FAC, "cluster", column=0, name="Sì").changes


def test_dot_limits_one_per_note_unless_stacking_and_votes_hidden_until_results():
    board = Board_(dots=2)
    for text in ("A", "B", "C"):
        board.act(ADA, "write", column=0, text=text)
    board.phase("voting")
    assert board.act(BO, "vote", note="n1").reply["left"] == 1
    with pytest.raises(ActionError) as refused:
        board.act(BO, "vote", note="n1")
    assert refused.value.code == "one_dot"
    board.act(BO, "vote", note="n2")
    with pytest.raises(ActionError) as refused:
        board.act(BO, "vote", note="n3")
    assert refused.value.code == "no_dots" and board.personal(BO)["left"] == 0
    board.act(BO, "vote", note="n2", add=False)
    assert board.personal(BO) | {"mine": []} == {"mine": [], "dots": {"n1": 1}, "left": 1}
    with pytest.raises(ActionError) as refused:
        board.act(BO, "vote", note="n3", add=False)
    assert refused.value.code == "no_dot"
    # Others' dots: not in the participants' nor the projector's view before the results.
    assert all("dots" not in n for n in board.view()["notes"]) and "ranking" not in board.view()
    assert all("dots" not in n for n in board.view(PROJECTOR)["notes"])
    assert [n["dots"] for n in board.view(FACILITATOR)["notes"]] == [1, 0, 0]
    stacking = Board_(dots=3, stack=True)
    stacking.act(ADA, "write", column=0, text="A")
    stacking.phase("voting")
    for _ in range(3):
        stacking.act(BO, "vote", note="n1")
    assert stacking.personal(BO)["dots"] == {"n1": 3}
    with pytest.raises(ActionError):
        stacking.act(BO, "vote", note="n1")


def test_a_removed_note_gives_its_dots_back():
    board = Board_(dots=2)
    board.act(ADA, "write", column=0, text="A")
    board.act(ADA, "write", column=0, text="B")
    board.phase("voting")
    board.act(ADA, "vote", note="n1")
    board.act(BO, "vote", note="n1")
    board.act(FAC, "remove", note="n1")
    assert board.personal(ADA)["left"] == 2 and board.personal(BO)["left"] == 2
    assert [n["text"] for n in board.personal(ADA)["mine"]] == ["B"]


def test_results_rank_clusters_and_notes_by_dots_per_column():
    board = Board_(dots=3, stack=True)
    for text in ("Poco tempo", "Orari", "Sedi lontane"):
        board.act(ADA, "write", column=0, text=text)
    board.phase("clustering")
    board.act(ADA, "cluster", column=0, name="Tempo")
    board.act(ADA, "group", note="n1", cluster="k1")
    board.act(ADA, "group", note="n2", cluster="k1")
    board.phase("voting")
    board.act(ADA, "vote", note="n3")
    board.act(ADA, "vote", note="n3")
    board.act(BO, "vote", note="n1")
    board.act(BO, "vote", note="n2")
    board.act(BO, "vote", note="n2")
    board.phase("results")
    column = board.view()["ranking"][0]
    assert [(e["kind"], e["rank"], e["dots"]) for e in column["entries"]] == [("cluster", 1, 3), ("note", 2, 2)]
    assert [n["text"] for n in column["entries"][0]["notes"]] == ["Orari", "Poco tempo"]
    assert board.view()["notes"][2]["dots"] == 2  # dots are public once the results are shown
    assert board.view()["ranking"][1]["entries"] == []
    top = BOARD.view(board.team, PROJECTOR)["top"]
    assert top[0]["entries"][0]["name"] == "Tempo"


def test_the_archive_keeps_the_ranked_board_and_the_room_board_names_only_its_own_people():
    board = Board_()
    board.act(ADA, "write", column=0, text="Uno")
    archived = BOARD.archive(board.team, 7)
    assert archived["mode"] == "team" and archived["notes"] == 1
    assert archived["ranking"][0]["entries"][0]["name"] == "Ada"
    assert BOARD.archive(Board_().team, 7) is None  # an empty board adds no version

    room = {**CONFIG, "scope": "room"}
    state = State({}, config=room)
    for actor, text in ((ADA, "Nostra"), (Actor("participant", 3, "Cy", 8, "n8"), "Loro")):
        state = state.with_changes(BOARD.apply(state, Action("write", {"column": 0, "text": text}), actor).changes)
    kept = {e["text"]: e for e in BOARD.archive(state, 7)["ranking"][0]["entries"]}
    assert kept["Nostra"]["mine"] and kept["Nostra"]["name"] == "Ada"
    assert not kept["Loro"]["mine"] and "name" not in kept["Loro"]


def test_the_markdown_lists_each_column_ranked_without_names_unless_asked():
    board = Board_()
    board.act(ADA, "write", column=0, text="=HYPERLINK(\"x\") | pipe")
    text = markdown("board", BOARD.archive(board.team, 7))
    assert "**Cultura di squadra**" in text and "1. '=HYPERLINK" in text and "\\|" in text and "Ada" not in text
    assert "Ada" in markdown("board", BOARD.archive(board.team, 7), names=True)


def test_the_console_declares_the_four_phases_and_the_room_board_is_not_team_scoped():
    assert [(c.name, c.payload["phase"], c.action) for c in BOARD.controls(CONFIG, "open", False)] == [
        ("phase", "writing", True), ("phase", "clustering", True), ("phase", "voting", True),
        ("phase", "results", True)]
    assert BOARD.is_team_scoped(CONFIG) and not BOARD.is_team_scoped({**CONFIG, "scope": "room"})


def test_removed_notes_are_named_so_their_authors_drop_them():
    board = Board_(controlled=True)
    board.act(ADA, "write", column=0, text="Fuori tema")
    board.act(FAC, "remove", note="n1")
    assert board.view(PARTICIPANT)["removed"] == ["n1"] and board.view(PARTICIPANT)["notes"] == []
