"""The squad canvas through real Socket.IO clients: teams, conflicts, rooms, links, versions."""

from functools import partial

import pytest

from facilitation.api import testing
from facilitation.api.testing import control, received, store, transaction

versions = partial(testing.versions, exercise_type="squad")
add_version = partial(testing.add_version, exercise_type="squad")


@pytest.fixture
def squad(seeded, db):
    with transaction(db):
        item = store.add_item(db, seeded["meeting"], "squad", {"title": "Squadra", "start": "latest"})
    return item


def act(client, item, type_, team=None, **payload):
    message = {"item": item, "type": type_, "payload": payload}
    if team:
        message["team"] = team
    return client.emit("action", message, callback=True)


def events(client):
    return [m["args"][0] for m in received(client, "event")]


def open_squad(fac, item):
    control(fac, "start")
    control(fac, "open", item=item)


def two_teams(sockets, seeded, squad):
    """A facilitator, Ada of the first network and Cy of the second, the squad canvas open."""
    n1, n2 = seeded["networks"][:2]
    fac = sockets.facilitator()
    ada = sockets.participant("Ada", n1)
    cy = sockets.participant("Cy", n2)
    open_squad(fac, squad)
    return fac, ada, cy


def test_team_members_co_edit_and_other_networks_receive_nothing(sockets, seeded, squad, db):
    n1, n2 = seeded["networks"][:2]
    fac = sockets.facilitator()
    ada = sockets.participant("Ada", n1)
    bo = sockets.participant("Bo", n1)
    cy = sockets.participant("Cy", n2)
    open_squad(fac, squad)
    for c in (fac, ada, bo, cy):
        received(c)

    # Different items at once: both accepted, no conflict, both seen by the team.
    assert act(ada, squad, "add", kind="strategy", id="s1", fields={"title": "Scuole"})["ok"]
    assert act(bo, squad, "add", kind="role", id="r1", fields={"title": "Mediatore"})["ok"]
    one = act(ada, squad, "edit", kind="strategy", id="s1", field="title", value="Scuole aperte", base=1)
    two = act(bo, squad, "edit", kind="role", id="r1", field="title", value="Mediatrice", base=1)
    assert one["ok"] and two["ok"] and "conflict" not in one["reply"] and "conflict" not in two["reply"]
    for member in (ada, bo):
        keys = [op["key"] for e in events(member) for op in e["data"]["ops"]]
        assert keys == ["s:s1", "r:r1", "s:s1", "r:r1"]

    # The same field at once: both saw version 2 of strategy s1.
    first = act(ada, squad, "edit", kind="strategy", id="s1", field="title", value="Ada", base=2)
    second = act(bo, squad, "edit", kind="strategy", id="s1", field="title", value="Bo", base=2)
    assert first["ok"] and second["ok"]
    assert second["reply"]["conflict"]["lost"]["value"] == "Ada"
    last = [e for e in events(ada)][-1]
    ada_id = store.row(db, "SELECT id FROM participants WHERE name = 'Ada'")["id"]
    assert last["data"]["conflict"]["lost"]["by"]["k"] == f"participant:{ada_id}"
    assert last["data"]["ops"][0]["unit"]["title"] == "Bo"
    assert last["data"]["ops"][0]["unit"]["prev"]["title"]["value"] == "Ada"
    assert events(bo)[-1]["seq"] == last["seq"]

    # Another network's member received none of it; its own canvas is empty.
    assert events(cy) == []
    fac_events = events(fac)
    assert {e["by"]["team"] for e in fac_events} == {f"n{n1}"} and len(fac_events) == 6

    # Cy's edit reaches Cy's team and the facilitator, not Ada nor Bo.
    assert act(cy, squad, "edit", kind="goal", field="text", value="Brescia goal", base=0)["ok"]
    assert events(ada) == [] and events(bo) == []
    assert [e["by"]["team"] for e in events(fac)] == [f"n{n2}"]
    assert len(events(cy)) == 1


def test_facilitator_sees_every_team_and_can_work_inside_one(sockets, seeded, squad):
    n1, n2 = seeded["networks"][:2]
    fac, ada, cy = two_teams(sockets, seeded, squad)
    act(ada, squad, "edit", kind="goal", field="text", value="Goal A", base=0)
    act(cy, squad, "edit", kind="goal", field="text", value="Goal B", base=0)
    snap = fac.emit("sync", {}, callback=True)["snapshot"]
    teams = snap["item"]["teams"]
    assert teams[f"n{n1}"]["view"]["units"]["goal"]["text"] == "Goal A"
    assert teams[f"n{n2}"]["view"]["units"]["goal"]["text"] == "Goal B"
    received(ada)
    received(cy)
    ack = act(fac, squad, "add", team=f"n{n1}", kind="strategy", id="fs", fields={"title": "From the facilitator"})
    assert ack["ok"]
    assert [op["key"] for e in events(ada) for op in e["data"]["ops"]] == ["s:fs"]
    assert events(cy) == []
    # Steps for all teams at once, and refused to participants.
    assert act(fac, squad, "set_step", step=2)["ok"]
    assert events(ada)[-1]["data"]["step"] == 2 and events(cy)[-1]["data"]["step"] == 2
    refused = act(ada, squad, "edit", kind="goal", field="text", value="x", base=0)
    assert refused["error"]["code"] == "other_step"
    assert act(ada, squad, "set_step", step=0)["error"]["code"] == "forbidden"


def test_team_move_and_merge_move_live_connections_between_rooms(sockets, seeded, squad, db):
    n1, n2 = seeded["networks"][:2]
    fac, ada, cy = two_teams(sockets, seeded, squad)
    act(ada, squad, "edit", kind="goal", field="text", value="Goal A", base=0)
    received(cy)
    control(fac, "merge", networks=[n1, n2])
    snap = received(cy, "snapshot")[-1]["args"][0]
    assert snap["item"]["team"] == f"n{n1}" and snap["item"]["view"]["units"]["goal"]["text"] == "Goal A"
    received(ada)
    act(cy, squad, "edit", kind="goal", field="text", value="Together", base=1)
    assert events(ada)[-1]["data"]["ops"][0]["unit"]["text"] == "Together"
    # A late joiner of the merged network lands in the merged team.
    late = sockets.participant("Dan", n2)
    assert received(late, "snapshot")[-1]["args"][0]["item"]["team"] == f"n{n1}"
    # Split again, then move one person alone.
    control(fac, "merge", networks=[n2])
    received(ada)
    act(cy, squad, "edit", kind="needs", field="text", value="Only Brescia", base=0)
    assert events(ada) == []
    cy_id = store.row(db, "SELECT id FROM participants WHERE name = 'Cy'")["id"]
    control(fac, "move", participant=cy_id, team=f"n{n1}")
    received(ada)
    act(cy, squad, "edit", kind="needs", field="text", value="Back with Dalmine", base=0)
    assert events(ada)[-1]["data"]["ops"][0]["unit"]["text"] == "Back with Dalmine"
    bad = fac.emit("control", {"cmd": "move", "participant": cy_id, "team": f"n{seeded['networks'][2]}"}, callback=True)
    assert bad["error"]["code"] == "invalid"


def test_versions_on_save_and_lock_and_next_meeting_starts_from_latest(sockets, seeded, squad, db):
    n1 = seeded["networks"][0]
    fac = sockets.facilitator()
    ada = sockets.participant("Ada", n1)
    open_squad(fac, squad)
    act(ada, squad, "edit", kind="goal", field="text", value="First goal", base=0)
    assert act(ada, squad, "save")["ok"]
    act(ada, squad, "edit", kind="goal", field="text", value="Second goal", base=1)
    control(fac, "lock", item=squad)
    found = versions(db, n1)
    assert [v["data"]["canvas"]["goal"] for v in found] == ["First goal", "Second goal"]
    assert [v["data"]["reason"] for v in found] == ["saved", "closed"]
    assert found[0]["data"]["authors"] == ["Ada"] and found[0]["meeting_id"] == seeded["meeting"]
    with pytest.raises(Exception, match="immutable"):
        db.execute("UPDATE artifacts SET data = '{}' WHERE id = ?", [found[0]["id"]])
    # The next meeting's canvas starts from the latest version; a blank one starts empty.
    with transaction(db):
        latest = store.add_item(db, seeded["other_meeting"], "squad", {"title": "", "start": "latest"})
        blank = store.add_item(db, seeded["other_meeting"], "squad", {"title": "", "start": "blank"})
    fac2 = sockets.facilitator(meeting=seeded["other_meeting"])
    control(fac2, "start")
    control(fac2, "open", item=latest)
    http = sockets.join("Ada", n1, code=store.meeting(db, seeded["other_meeting"])["join_code"])
    ada2 = sockets.participant(http=http, meeting=seeded["other_meeting"])
    item = received(ada2, "snapshot")[-1]["args"][0]["item"]
    assert item["view"]["units"]["goal"]["text"] == "Second goal"
    control(fac2, "open", item=blank)
    assert received(ada2, "meeting")[-1]["args"][0]["item"]["view"]["units"] == {}


def issue_link(app, login, network_id):
    http = app.test_client()
    login(http)
    page = http.post(f"/f/networks/{network_id}/link", follow_redirects=True).get_data(as_text=True)
    token = page.split('id="new-link" value="', 1)[1].split('"', 1)[0].rsplit("/n/", 1)[1]
    return http, token


def test_network_link_workspace_is_live_private_and_revocable(app, sockets, seeded, login, db):
    n1, n2 = seeded["networks"][:2]
    socketio = app.extensions["socketio"]
    fac_http, token = issue_link(app, login, n1)
    _, other_token = issue_link(app, login, n2)
    assert len(token) >= 22 and store.row(db, "SELECT token_hash FROM network_links WHERE network_id = ?",
                                          [n1])["token_hash"] != token

    def member(tok, name):
        http = app.test_client()
        assert http.get(f"/n/{tok}").status_code == 200
        return socketio.test_client(app, flask_test_client=http, auth={"role": "network", "link": tok, "name": name})

    eve, fay, gus = member(token, "Eve"), member(token, "Fay"), member(other_token, "Gus")
    assert eve.is_connected() and fay.is_connected() and gus.is_connected()
    for c in (eve, fay, gus):
        received(c)
    ws = {"workspace": "squad", "type": "add", "payload": {"kind": "role", "id": "r1", "fields": {"title": "Tutor"}}}
    assert eve.emit("action", ws, callback=True)["ok"]
    assert [m["args"][0]["data"]["ops"][0]["key"] for m in received(fay, "event")] == ["r:r1"]
    assert received(gus, "event") == []
    assert eve.emit("action", {"workspace": "squad", "type": "save", "payload": {}}, callback=True)["ok"]
    assert versions(db, n1)[-1]["data"]["canvas"]["roles"][0]["title"] == "Tutor"
    assert versions(db, n2) == []

    # Revoking disconnects the open sockets at once; the link and new sockets are refused.
    assert fac_http.post(f"/f/networks/{n1}/link/revoke").status_code == 302
    assert not eve.is_connected() and not fay.is_connected() and gus.is_connected()
    assert app.test_client().get(f"/n/{token}").status_code == 404
    again = socketio.test_client(app, auth={"role": "network", "link": token})
    assert not again.is_connected()
    assert app.test_client().get(f"/n/{token}/squad/1").status_code == 404


def test_rotating_a_link_drops_the_old_one(app, sockets, seeded, login):
    n1 = seeded["networks"][0]
    socketio = app.extensions["socketio"]
    _, old = issue_link(app, login, n1)
    client = socketio.test_client(app, auth={"role": "network", "link": old})
    assert client.is_connected()
    _, new = issue_link(app, login, n1)
    assert not client.is_connected()
    assert app.test_client().get(f"/n/{old}").status_code == 404
    assert app.test_client().get(f"/n/{new}").status_code == 200


def test_presence_and_editing_reach_the_team_and_facilitators_only(sockets, seeded, squad):
    n1, n2 = seeded["networks"][:2]
    fac, ada, cy = two_teams(sockets, seeded, squad)
    engine = fac.app.extensions["facilitation.engine"]
    engine.flush()  # team presence is coalesced: push what is pending before counting
    for c in (fac, ada, cy):
        received(c)
    bo = sockets.participant("Bo", n1)
    engine.flush()
    here = [m["args"][0] for m in received(ada, "team_presence")]
    assert here[-1]["team"] == f"n{n1}" and [p["name"] for p in here[-1]["members"]] == ["Ada", "Bo"]
    assert [m["args"][0]["team"] for m in received(fac, "team_presence")] == [f"n{n1}"]
    assert received(cy, "team_presence") == []
    assert act(bo, squad, "focus", target="goal")["ok"]
    editing = events(ada)[-1]["data"]["ops"][0]
    assert editing["unit"]["name"] == "Bo" and editing["unit"]["target"] == "goal"
    assert events(cy) == []
    bo.disconnect()
    engine.flush()
    assert [p["name"] for p in received(ada, "team_presence")[-1]["args"][0]["members"]] == ["Ada"]


def test_a_message_from_the_facilitator_reaches_every_team(sockets, seeded, squad):
    fac, ada, cy = two_teams(sockets, seeded, squad)
    received(ada)
    received(cy)
    control(fac, "message", text="Dieci minuti alla fine del passo 2")
    for client in (ada, cy):
        assert received(client, "meeting")[-1]["args"][0]["meeting"]["notice"] == "Dieci minuti alla fine del passo 2"
    control(fac, "message", text="")
    assert received(ada, "meeting")[-1]["args"][0]["meeting"]["notice"] is None


def test_facilitator_works_on_a_network_workspace_with_its_team(app, sockets, seeded, login):
    n1, n2 = seeded["networks"][:2]
    socketio = app.extensions["socketio"]
    _, token = issue_link(app, login, n1)
    eve = socketio.test_client(app, auth={"role": "network", "link": token, "name": "Eve"})
    fac_http = app.test_client()
    login(fac_http)
    fac = socketio.test_client(app, flask_test_client=fac_http, auth={"role": "network", "network": n1})
    app.extensions["facilitation.engine"].flush()  # team presence is coalesced
    got = received(fac)
    snap = [m for m in got if m["name"] == "snapshot"][-1]["args"][0]
    assert snap["network"] == n1 and "squad" in snap["workspaces"]
    presence = [m for m in got if m["name"] == "team_presence"][-1]["args"][0]
    assert [p["name"] for p in presence["members"]] == ["Eve", "Fac"]
    received(eve)
    ack = fac.emit("action", {"workspace": "squad", "type": "edit",
                              "payload": {"kind": "goal", "field": "text", "value": "Dal facilitatore", "base": 0}},
                   callback=True)
    assert ack["ok"]
    assert received(eve, "event")[-1]["args"][0]["data"]["ops"][0]["unit"]["text"] == "Dal facilitatore"
    stranger = socketio.test_client(app, auth={"role": "network", "network": n2})
    assert not stranger.is_connected()  # no facilitator session, no link
    bad = eve.emit("action", {"workspace": "poll", "type": "answer", "payload": {"value": 1}}, callback=True)
    assert bad["error"]["code"] == "not_found"


def test_workspace_follows_newer_versions_but_never_drops_unsaved_work(app, sockets, seeded, login, db):
    n1 = seeded["networks"][0]
    socketio = app.extensions["socketio"]
    _, token = issue_link(app, login, n1)

    def connect():
        client = socketio.test_client(app, auth={"role": "network", "link": token})
        return client, received(client, "snapshot")[-1]["args"][0]["workspaces"]["squad"]

    def newer_version(goal):
        from facilitation_squad.canvas import SCHEMA


        with transaction(db):
            add_version(db, n1, {"schema": SCHEMA, "reason": "closed", "authors": ["Ada"], "canvas": {
                "schema": SCHEMA, "goal": goal, "needs": "", "strategies": [], "roles": [], "interactions": []}}, "S")

    newer_version("From meeting 1")
    eve, item = connect()
    assert item["view"]["units"]["goal"]["text"] == "From meeting 1" and not item["behind"]
    newer_version("From meeting 2")
    eve, item = connect()
    assert item["view"]["units"]["goal"]["text"] == "From meeting 2"  # nothing unsaved: it follows
    edit = {"workspace": "squad", "type": "edit",
            "payload": {"kind": "needs", "field": "text", "value": "Unsaved work", "base": 0}}
    assert eve.emit("action", edit, callback=True)["ok"]
    newer_version("From meeting 3")
    eve, item = connect()
    assert item["view"]["units"]["needs"]["text"] == "Unsaved work" and item["behind"]
    assert eve.emit("action", {"workspace": "squad", "type": "save", "payload": {}}, callback=True)["ok"]
    eve, item = connect()
    assert not item["behind"] and versions(db, n1)[-1]["data"]["canvas"]["needs"] == "Unsaved work"


def test_moving_a_role_reaches_its_team_and_the_facilitators_with_the_figures_of_each_change(sockets, seeded, squad):
    n1, n2 = seeded["networks"][:2]
    fac, ada, cy = two_teams(sockets, seeded, squad)
    bo = sockets.participant("Bo", n1)
    for client in (fac, ada, bo, cy):
        received(client)
    assert act(ada, squad, "add", kind="role", id="r1", fields={"title": "Assistente sociale"})["ok"]
    assert act(ada, squad, "add", kind="role", id="r2", fields={"title": "Scuola"})["ok"]
    assert act(bo, squad, "add", kind="interaction", id="i1", fields={"source": "r2", "target": "r1"})["ok"]
    # Every change of the map brings the team's figures, computed on the server, to everyone who sees it.
    figures = [e["data"]["figures"] for e in events(bo)]
    assert [f["isolated"] for f in figures] == [["r1"], ["r1", "r2"], []]
    assert [e["data"]["figures"]["flows"] for e in events(fac)][-1] == 1
    # The layout (from the browser of whoever changed the map), then a person's move.
    assert act(bo, squad, "place", positions={"r1": [100, 40], "r2": [100, 160]})["ok"]
    moved = act(ada, squad, "move", id="r2", x=260, y=160)
    assert moved["ok"] and moved["reply"]["ops"][0]["unit"]["pinned"] is True
    seen = [op["unit"] for e in events(bo) for op in e["data"]["ops"] if op["key"] == "r:r2"]
    assert (seen[-1]["x"], seen[-1]["y"], seen[-1]["pinned"]) == (260, 160, True)
    assert [e["by"]["team"] for e in events(fac)] == [f"n{n1}", f"n{n1}"]
    assert events(cy) == [], "another network sees nothing of it"
    # A move or a layout in a team's canvas is refused outside it, and the payload is checked.
    assert act(cy, squad, "move", id="r2", x=1, y=1)["error"]["code"] == "gone"
    for bad in ({"id": "r2", "x": -5, "y": 1}, {"id": "r2", "x": "1", "y": 1.5}, {"id": "../r2", "x": 1, "y": 1}):
        assert act(ada, squad, "move", **bad)["error"]["code"] == "invalid", bad
    assert act(ada, squad, "place", positions={"r1": [1, 2, 3]})["error"]["code"] == "invalid"
    snap = fac.emit("sync", {}, callback=True)["snapshot"]
    view = snap["item"]["teams"][f"n{n1}"]["view"]
    assert view["units"]["r:r2"]["x"] == 260 and view["figures"]["only_links"] == []


def test_a_layout_does_not_count_as_unsaved_work_in_a_workspace(app, sockets, seeded, login, db):
    from facilitation_squad.canvas import SCHEMA

    n1 = seeded["networks"][0]
    socketio = app.extensions["socketio"]
    _, token = issue_link(app, login, n1)
    canvas = {"schema": "facilitation.squad/1", "goal": "G", "needs": "", "strategies": [], "interactions": [],
              "roles": [{"id": "r1", "title": "Tutor", "organisation": "", "profession": "", "manages": []}]}
    with transaction(db):
        add_version(db, n1, {"schema": "facilitation.squad/1", "reason": "closed", "authors": ["Ada"], "canvas": canvas}, "S")
    eve = socketio.test_client(app, auth={"role": "network", "link": token})
    item = received(eve, "snapshot")[-1]["args"][0]["workspaces"]["squad"]
    assert "x" not in item["view"]["units"]["r:r1"], "a version saved before positions: laid out by the browser"
    assert eve.emit("action", {"workspace": "squad", "type": "place", "payload": {"positions": {"r1": [60, 30]}}},
                    callback=True)["ok"]
    with transaction(db):
        add_version(db, n1, {"schema": SCHEMA, "reason": "closed", "authors": ["Ada"],
                             "canvas": {**canvas, "schema": SCHEMA, "goal": "Newer"}}, "S")
    again = socketio.test_client(app, auth={"role": "network", "link": token})
    item = received(again, "snapshot")[-1]["args"][0]["workspaces"]["squad"]
    assert item["view"]["units"]["goal"]["text"] == "Newer" and not item["behind"]
