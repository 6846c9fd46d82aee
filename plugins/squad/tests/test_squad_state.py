"""The squad canvas's pure state function: every step, the checks, undo, concurrent edits."""

import pytest

from facilitation.api import Action, ActionError, Actor, State
from facilitation.api.testing import exercise, validate
from facilitation_squad.canvas import canvas_of, checks, compare, units_of

SQUAD = exercise("squad")
ADA = Actor("participant", 1, "Ada", 1, "n1")
BO = Actor("participant", 2, "Bo", 1, "n1")
FAC = Actor("facilitator", 9, "Fac")


def team_state(data=None, step=0):
    return State(data or {"@start": {"artifact": None}}, scope="n1", shared=State({"step": {"step": step}}))


class Canvas:
    """Chains actions on a state as the engine would, in server order."""

    def __init__(self, state=None):
        self.state = state or team_state()
        self.at = 0.0

    def do(self, actor, type_, **payload):
        self.at += 1
        payload = validate(SQUAD.actions[type_].fields, payload)  # as the engine does first
        outcome = SQUAD.apply(self.state, Action(type_, payload, at=self.at), actor)
        self.state = self.state.with_changes(outcome.changes)
        return outcome

    def canvas(self):
        return canvas_of(SQUAD.units(self.state))

    def checks(self):
        return {(c["code"], c["key"]) for c in checks(SQUAD.units(self.state))}


def build(c: Canvas):
    c.do(ADA, "edit", kind="needs", field="text", value="Famiglie isolate", base=0)
    c.do(ADA, "edit", kind="goal", field="text", value="Una comunità che accoglie", base=0)
    c.do(ADA, "add", kind="strategy", id="s1", fields={"title": "Mediazione nelle scuole"})
    c.do(BO, "add", kind="objective", id="o1", fields={"strategy": "s1", "text": "Sportello in 3 scuole"})
    c.do(BO, "add", kind="strategy", id="s2", fields={"title": "Tavolo di coprogettazione"})
    c.do(ADA, "add", kind="role", id="r1", fields={"title": "Mediatore", "organisation": "Coop", "profession": "mediatore"})
    c.do(ADA, "add", kind="role", id="r2", fields={"title": "Referente scuola"})
    c.do(ADA, "manage", role="r1", strategy="s1")
    c.do(BO, "add", kind="interaction", id="i1",
         fields={"source": "r1", "target": "r2", "what": "casi", "channel": "incontro", "frequency": "mensile"})


def test_four_steps_build_the_canvas_in_order():
    c = Canvas()
    build(c)
    canvas = c.canvas()
    assert canvas["needs"] == "Famiglie isolate" and canvas["goal"] == "Una comunità che accoglie"
    assert [s["title"] for s in canvas["strategies"]] == ["Mediazione nelle scuole", "Tavolo di coprogettazione"]
    assert canvas["strategies"][0]["objectives"] == [{"id": "o1", "text": "Sportello in 3 scuole"}]
    assert canvas["roles"][0] == {"id": "r1", "title": "Mediatore", "organisation": "Coop",
                                  "profession": "mediatore", "manages": ["s1"]}
    assert canvas["interactions"] == [{"id": "i1", "source": "r1", "target": "r2", "what": "casi",
                                       "channel": "incontro", "frequency": "mensile"}]
    assert sorted(SQUAD.view(c.state, "participant")["authors"]) == ["Ada", "Bo"]


def test_edits_to_different_items_touch_only_their_keys():
    c = Canvas()
    build(c)
    one = c.do(ADA, "edit", kind="strategy", id="s1", field="title", value="Mediazione", base=1)
    two = c.do(BO, "edit", kind="role", id="r2", field="title", value="Docente referente", base=1)
    assert set(one.changes) == {"s:s1"} and set(two.changes) == {"r:r2"}
    assert "conflict" not in one.reply and "conflict" not in two.reply


def test_checks_find_what_is_missing():
    c = Canvas()
    build(c)
    assert c.checks() == {("strategy_without_objective", "s:s2"), ("strategy_unmanaged", "s:s2")}
    c.do(ADA, "add", kind="role", id="r3", fields={"title": "Assistente sociale"})
    assert ("role_without_interaction", "r:r3") in c.checks()
    # An interaction restored after its role went away points to a deleted role.
    c.do(ADA, "add", kind="interaction", id="i2", fields={"source": "r3", "target": "r1", "what": "x"})
    c.do(ADA, "delete", kind="interaction", id="i2")
    c.do(ADA, "delete", kind="role", id="r3")
    c.do(ADA, "restore", kind="interaction", id="i2")
    assert ("interaction_to_deleted_role", "i:i2") in c.checks()
    assert all(i["id"] != "i2" for i in c.canvas()["interactions"])


def test_deleting_a_role_removes_its_links_and_undo_brings_them_back():
    c = Canvas()
    build(c)
    before = c.canvas()
    out = c.do(ADA, "delete", kind="role", id="r2")
    assert set(out.changes) == {"r:r2", "i:i1", "authors"} or set(out.changes) == {"r:r2", "i:i1"}
    assert c.canvas()["interactions"] == [] and [r["id"] for r in c.canvas()["roles"]] == ["r1"]
    with pytest.raises(ActionError) as gone:
        c.do(BO, "edit", kind="role", id="r2", field="title", value="x", base=1)
    assert gone.value.code == "gone"
    c.do(BO, "restore", kind="role", id="r2")
    assert c.canvas() == before


def test_concurrent_edits_of_one_field_resolve_by_server_order_and_keep_both_values():
    c = Canvas()
    build(c)
    seen = c.state["s:s1"]["v"]
    first = c.do(ADA, "edit", kind="strategy", id="s1", field="title", value="Ada's title", base=seen)
    second = c.do(BO, "edit", kind="strategy", id="s1", field="title", value="Bo's title", base=seen)
    assert "conflict" not in first.reply
    conflict = second.reply["conflict"]
    assert conflict["lost"] == {"value": "Ada's title", "by": {"k": ADA.key, "n": "Ada"}}
    assert conflict["won"]["value"] == "Bo's title"
    unit = c.state["s:s1"]
    assert unit["title"] == "Bo's title" and unit["prev"]["title"]["value"] == "Ada's title"
    # The broadcast every screen applies carries the same unit and names the loser.
    data = second.broadcast[0][1]
    assert data["conflict"]["lost"]["by"]["k"] == ADA.key and data["ops"][0]["unit"] == unit
    # Replayed in the same order, any screen ends with the same state.
    again = Canvas()
    build(again)
    again.do(ADA, "edit", kind="strategy", id="s1", field="title", value="Ada's title", base=seen)
    again.do(BO, "edit", kind="strategy", id="s1", field="title", value="Bo's title", base=seen)
    assert again.state["s:s1"] == unit


def test_same_item_different_fields_is_no_conflict():
    c = Canvas()
    build(c)
    seen = c.state["r:r1"]["v"]
    c.do(ADA, "edit", kind="role", id="r1", field="title", value="Mediatrice", base=seen)
    out = c.do(BO, "edit", kind="role", id="r1", field="profession", value="mediatrice culturale", base=seen)
    assert "conflict" not in out.reply
    assert c.state["r:r1"]["title"] == "Mediatrice" and c.state["r:r1"]["profession"] == "mediatrice culturale"


def test_bad_edits_are_refused():
    c = Canvas()
    build(c)
    cases = [
        dict(type_="add", kind="strategy", id="s1", fields={"title": "again"}),
        dict(type_="add", kind="objective", id="o9", fields={"strategy": "nope", "text": "x"}),
        dict(type_="add", kind="interaction", id="i9", fields={"source": "r1", "target": "zz"}),
        dict(type_="edit", kind="goal", field="nope", value="x", base=0),
        dict(type_="edit", kind="goal", field="text", value=123, base=0),
        dict(type_="edit", kind="goal", field="text", value="x" * 1001, base=0),
        dict(type_="edit", kind="strategy", field="title", value="x", base=0),
        dict(type_="manage", role="r1", strategy="missing", on=True),
        dict(type_="restore", kind="role", id="r1"),
        dict(type_="focus", target="../etc"),
    ]
    for case in cases:
        type_ = case.pop("type_")
        before = c.state
        with pytest.raises(ActionError):
            c.do(ADA, type_, **case)
        assert c.state is before


def test_steps_led_by_the_facilitator_limit_participants():
    c = Canvas(team_state(step=2))
    with pytest.raises(ActionError) as other:
        c.do(ADA, "edit", kind="goal", field="text", value="x", base=0)
    assert other.value.code == "other_step"
    c.do(ADA, "add", kind="strategy", id="s1", fields={"title": "ok"})
    c.do(FAC, "edit", kind="goal", field="text", value="facilitator may", base=0)
    step = SQUAD.apply(State({}), Action("set_step", {"step": 3}), FAC)  # meeting-wide, for every team
    assert step.changes == {"step": {"step": 3}}


def test_focus_tells_who_edits_which_item():
    c = Canvas()
    build(c)
    c.do(BO, "focus", target="s:s1")
    assert SQUAD.view(c.state, "participant")["editing"][BO.key]["target"] == "s:s1"
    c.do(BO, "focus", target="")
    assert BO.key not in SQUAD.view(c.state, "participant")["editing"]


def test_save_returns_a_version_and_new_meetings_start_from_it():
    c = Canvas()
    build(c)
    saved = c.do(ADA, "save")
    assert saved.archive["canvas"] == c.canvas() and saved.archive["reason"] == "saved"
    start = SQUAD.start_state({"start": "latest"}, saved.archive)
    assert canvas_of(start) == c.canvas()
    blank = SQUAD.start_state({"start": "blank"}, saved.archive)
    assert SQUAD.units(State(blank)) == {} and blank["t0"] == saved.archive["t0"], "a blank canvas still knows T0"
    assert canvas_of(units_of(c.canvas())) == c.canvas()


def test_archive_skips_teams_that_never_worked():
    assert SQUAD.archive(State({}, scope="n1"), 1) is None
    c = Canvas()
    build(c)
    assert SQUAD.archive(c.state, 1)["canvas"] == c.canvas()


def test_compare_lists_exactly_what_changed():
    c = Canvas()
    build(c)
    a = c.canvas()
    c.do(ADA, "edit", kind="goal", field="text", value="Nuovo obiettivo", base=1)
    c.do(ADA, "delete", kind="strategy", id="s2")
    c.do(BO, "add", kind="role", id="r3", fields={"title": "Educatore"})
    c.do(BO, "edit", kind="interaction", id="i1", field="frequency", value="settimanale", base=1)
    changes = compare(a, c.canvas())
    assert [(x["change"], x["kind"], x["id"]) for x in changes["goal"]] == [("changed", "goal", "goal")]
    assert [(x["change"], x["id"]) for x in changes["strategies"]] == [("removed", "s2")]
    assert [(x["change"], x["id"]) for x in changes["roles"]] == [("added", "r3")]
    assert changes["interactions"][0]["fields"] == [{"field": "frequency", "before": "mensile", "after": "settimanale"}]
    assert compare(a, a) == {"goal": [], "strategies": [], "roles": [], "interactions": []}


# positions on the map -----------------------------------------------------------

def test_a_role_moved_by_a_person_stays_where_it_was_put():
    c = Canvas()
    build(c)
    out = c.do(ADA, "move", id="r1", x=120, y=80)
    assert out.changes["r:r1"]["x"] == 120 and out.changes["r:r1"]["pinned"] is True
    assert out.broadcast[0][1]["ops"][0]["unit"] == c.state["r:r1"]
    # The automatic layout places everyone else, and leaves the role a person placed where it is.
    out = c.do(BO, "place", positions={"r1": [10, 10], "r2": [300, 200]})
    assert set(out.changes) == {"r:r2"} and out.presence, "a layout is nobody's work"
    assert [(r["id"], r.get("x"), r.get("y"), r.get("pinned")) for r in c.canvas()["roles"]] == [
        ("r1", 120, 80, True), ("r2", 300, 200, False)]
    # Asked for (rearranging the map), it places every role, the pinned one too.
    out = c.do(BO, "place", positions={"r1": [10, 10], "r2": [300, 260]}, all=True)
    assert not out.presence and c.canvas()["roles"][0] == {**c.canvas()["roles"][0], "x": 10, "y": 10, "pinned": False}
    assert c.do(BO, "place", positions={"r1": [10, 10]}).reply == {"unchanged": True}
    # Positions travel with the version and come back with it.
    assert canvas_of(units_of(c.canvas())) == c.canvas()


def test_a_layout_never_makes_anyone_an_author():
    c = Canvas()
    c.do(ADA, "add", kind="role", id="r1", fields={"title": "Mediatore"})
    out = c.do(BO, "place", positions={"r1": [40, 40]})
    assert "authors" not in out.changes and c.state["authors"] == {ADA.key: "Ada"}


def test_bad_positions_are_refused_and_change_nothing():
    c = Canvas()
    build(c)
    bad = [{"r1": [1, 2, 3]}, {"r1": [True, 2]}, {"r1": [1.5, 2]}, {"r1": [-1, 2]}, {"r1": [1, 10_001]},
           {"../x": [1, 2]}, {"r1": "1,2"}, ["r1", 1, 2], {f"r{n}": [1, 1] for n in range(81)}]
    for positions in bad:
        before = c.state
        with pytest.raises(ActionError) as refused:
            c.do(ADA, "place", positions=positions)
        assert refused.value.code == "invalid" and c.state is before
    with pytest.raises(ActionError):
        c.do(ADA, "move", id="r9", x=1, y=1)
    # A role deleted while the layout was on its way keeps nothing of it.
    c.do(ADA, "delete", kind="role", id="r2")
    assert set(c.do(ADA, "place", positions={"r1": [5, 5], "r2": [9, 9]}).changes) == {"r:r1"}


def test_a_title_cannot_be_cleared_and_says_why():
    c = Canvas()
    build(c)
    for kind, item, field in (("role", "r1", "title"), ("strategy", "s1", "title"), ("objective", "o1", "text")):
        with pytest.raises(ActionError) as refused:
            c.do(ADA, "edit", kind=kind, id=item, field=field, value="  ", base=5)
        assert refused.value.code == "required" and "delete" in str(refused.value.message)
    with pytest.raises(ActionError) as refused:
        c.do(ADA, "add", kind="role", id="r9", fields={"title": ""})
    assert refused.value.code == "required"
    # Texts an item can be without are cleared as asked (the payload's value may even be missing).
    c.do(ADA, "edit", kind="role", id="r1", field="organisation", value="", base=5)
    assert c.state["r:r1"]["organisation"] == ""
    assert validate(SQUAD.actions["edit"].fields, {"kind": "goal", "field": "text"})["value"] == ""


def test_changes_of_the_map_carry_its_figures_and_text_edits_do_not():
    c = Canvas()
    build(c)
    out = c.do(ADA, "add", kind="role", id="r3", fields={"title": "Assistente sociale"})
    data = out.broadcast[0][1]
    assert data["figures"]["isolated"] == ["r3"] and data["since_t0"] is None
    out = c.do(ADA, "add", kind="interaction", id="i2", fields={"source": "r2", "target": "r3"})
    figures = out.broadcast[0][1]["figures"]
    assert figures["only_links"] == [{"role": "r2", "groups": [["r1"], ["r3"]]}] and figures["isolated"] == []
    out = c.do(ADA, "edit", kind="interaction", id="i2", field="target", value="r1", base=5)
    assert out.broadcast[0][1]["figures"]["isolated"] == ["r3"]
    for type_, payload in (("edit", {"kind": "role", "id": "r3", "field": "title", "value": "AS", "base": 9}),
                           ("move", {"id": "r3", "x": 5, "y": 5})):
        assert "figures" not in c.do(ADA, type_, **payload).broadcast[0][1]
    assert c.do(ADA, "manage", role="r3", strategy="s2").broadcast[0][1]["figures"]["unmanaged"] == []
    assert SQUAD.view(c.state, "participant")["figures"]["roles"][2]["title"] == "AS"


def test_t0_figures_travel_from_version_to_version():
    c = Canvas()
    build(c)
    first = c.do(ADA, "save")
    # The first version a canvas saves is its network's T0: its figures are kept, and come with every later one.
    assert first.archive["t0"]["figures"]["flows"] == 1 and first.changes["t0"] == first.archive["t0"]
    c.state = c.state.with_changes(first.changes)
    c.do(ADA, "add", kind="role", id="r3", fields={"title": "Assistente sociale"})
    later = c.do(ADA, "save")
    assert later.archive["t0"] == first.archive["t0"] and "t0" not in later.changes
    # A new meeting starts from the latest version and still knows T0: its view says how the figures changed.
    state = State(SQUAD.start_state({"start": "latest"}, later.archive), scope="n1", shared=State({}))
    view = SQUAD.view(state, "participant")
    assert {f["figure"]: (f["before"], f["after"]) for f in view["since_t0"]["figures"]}["roles"] == (2, 3)
    # A version saved before versions carried T0 leaves it unknown, never guessed.
    legacy = {"schema": "facilitation.squad/1", "canvas": {**later.archive["canvas"], "schema": "facilitation.squad/1"}}
    state = State({**SQUAD.start_state({"start": "latest"}, legacy), "@start": {"artifact": 4}}, scope="n1",
                  shared=State({}))
    assert SQUAD.view(state, "participant")["since_t0"] is None and "t0" not in SQUAD.archive(
        state.with_changes({"authors": {ADA.key: "Ada"}}), 1)
