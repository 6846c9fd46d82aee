"""The obstacle board through real Socket.IO clients: who receives which board (held notes,
anonymous notes, other teams), refusals that change nothing, the archive per network."""

import time

import pytest

from facilitation.api.testing import control, received, store, transaction, versions

CONFIG = {"title": "Ostacoli", "columns": ["Cultura di squadra", "Corresponsabilità", "Da sviluppare"],
          "scope": "team", "anonymous": True, "controlled": True, "team_clusters": True, "dots": 2,
          "stack": False}


@pytest.fixture
def board(seeded, db):
    def make(**config):
        with transaction(db):
            return store.add_item(db, seeded["meeting"], "board", {**CONFIG, **config})
    return make


def act(client, item, type_, team=None, **payload):
    message = {"item": item, "type": type_, "payload": payload}
    if team:
        message["team"] = team
    return client.emit("action", message, callback=True)


def boards(app, client):
    """Every board a client got in `results` pushes, after pushing what is pending."""
    app.extensions["facilitation.engine"].flush()
    return [m["args"][0]["item"] for m in received(client, "results")]


def latest(app, client, check=lambda item: True, timeout=10):
    """The newest board pushed to a client, once it is as ``check`` expects (the background
    task may be sending it meanwhile); fails with what came if it never is."""
    seen = []
    deadline = time.monotonic() + timeout
    while True:
        seen += boards(app, client)
        if seen and check(seen[-1]):
            return seen[-1]
        if time.monotonic() > deadline:
            raise AssertionError(f"no push as expected; the last was {seen[-1:]}")
        time.sleep(0.02)


def texts(view):
    return [n["text"] for n in view["notes"]]


def test_held_and_anonymous_notes_reach_only_whom_they_may_and_never_another_team(app, sockets, seeded, board):
    n1, n2 = seeded["networks"][:2]
    item = board()
    fac = sockets.facilitator()
    projector = sockets.facilitator(role="projector")
    ada, bo = sockets.participant("Ada", n1), sockets.participant("Bo", n1)
    cy = sockets.participant("Cy", n2)
    control(fac, "start")
    control(fac, "open", item=item)
    for client in (fac, projector, ada, bo, cy):
        received(client)

    ack = act(ada, item, "write", column=0, text="Poco tempo per incontrarsi")
    assert ack["ok"] and ack["reply"]["held"] is True and ack["reply"]["mine"][0]["text"] == "Poco tempo per incontrarsi"
    console = latest(app, fac, lambda i: i["teams"][f"n{n1}"]["view"]["held"] == 1)
    team = console["teams"][f"n{n1}"]["view"]
    assert team["held"] == 1 and team["notes"][0]["held"] and "name" not in team["notes"][0]
    # Bo, of Ada's team, gets the team's board without the held note; the projector neither; Cy nothing.
    assert texts(latest(app, bo)["view"]) == []
    assert texts(latest(app, projector)["teams"][f"n{n1}"]["view"]) == []
    assert boards(app, cy) == []
    assert all(received(c, "event") == [] for c in (fac, ada, bo, cy))  # no per-action broadcast names Ada

    # Approved inside Ada's team: Bo sees it, with no name; Cy still receives nothing of it.
    assert act(fac, item, "approve", team=f"n{n1}", note="n1")["ok"]
    shown = latest(app, bo, lambda i: i["view"]["notes"])["view"]["notes"]
    assert [(n["text"], n.get("name")) for n in shown] == [("Poco tempo per incontrarsi", None)]
    assert "Ada" not in repr(boards(app, ada)) + repr(boards(app, fac))
    assert boards(app, cy) == []

    # Cy's own note goes to Cy's team only.
    assert act(cy, item, "write", column=2, text="Valutazione")["ok"]
    act(fac, item, "approve", team=f"n{n2}", note="n1")
    assert texts(latest(app, cy, lambda i: texts(i["view"]))["view"]) == ["Valutazione"]
    assert boards(app, bo) == []


def test_refusals_are_clear_and_change_nothing(app, sockets, seeded, board, db):
    n1, n2 = seeded["networks"][:2]
    item = board(controlled=False)
    fac = sockets.facilitator()
    ada, cy = sockets.participant("Ada", n1), sockets.participant("Cy", n2)
    control(fac, "start")
    control(fac, "open", item=item)
    act(ada, item, "write", column=0, text="Uno")
    before = store.state_items(db, f"i{item}:n{n1}")

    refused = {
        "approve": act(ada, item, "approve", note="n1"),
        "phase": act(ada, item, "phase", phase="results"),
        "team": act(cy, item, "write", team=f"n{n1}", column=0, text="Nella squadra degli altri"),
        "remove": act(cy, item, "remove", note="n1"),  # Cy's team has no such note
        "wrong type": act(ada, item, "write", column="0", text=["x"]),
        "huge": act(ada, item, "write", column=2**70, text="x"),
        "control chars only": act(ada, item, "write", column=0, text="\x00\x1b[31m\u202e"),
        "oversize": act(ada, item, "write", column=0, text="x" * 201),
        "unknown field": act(ada, item, "write", column=0, text="x", by="participant:99"),
        "unknown action": act(ada, item, "moderate", note="n1"),
        "vote while writing": act(ada, item, "vote", note="n1"),
    }
    codes = {name: ack["error"]["code"] for name, ack in refused.items()}
    assert codes == {"approve": "forbidden", "phase": "forbidden", "team": "forbidden", "remove": "gone",
                     "wrong type": "invalid", "huge": "invalid", "control chars only": "invalid",
                     "oversize": "invalid", "unknown field": "invalid", "unknown action": "unknown_action",
                     "vote while writing": "wrong_phase"}
    assert all(ack["error"]["message"] for ack in refused.values())
    assert store.state_items(db, f"i{item}:n{n1}") == before

    # More dots than allowed: the third is refused and the board keeps two.
    act(ada, item, "write", column=0, text="Due")
    act(ada, item, "write", column=0, text="Tre")
    assert act(fac, item, "phase", phase="voting")["ok"]
    assert act(cy, item, "vote", note="n1")["error"]["code"] == "gone"  # Cy's board is empty
    assert act(ada, item, "vote", note="n1")["reply"]["left"] == 1
    assert act(ada, item, "vote", note="n1")["error"]["code"] == "one_dot"
    assert act(ada, item, "vote", note="n2")["reply"]["left"] == 0
    assert act(ada, item, "vote", note="n3")["error"]["code"] == "no_dots"
    assert act(fac, item, "vote", note="n3")["error"]["code"] == "forbidden"  # facilitators do not vote
    latest(app, fac, lambda i: [n["dots"] for n in i["teams"][f"n{n1}"]["view"]["notes"]] == [1, 1, 0])


def test_phases_reach_every_team_votes_stay_private_until_results_and_each_network_keeps_its_board(
        app, sockets, seeded, board, db):
    n1, n2 = seeded["networks"][:2]
    item = board(controlled=False, anonymous=False)
    fac = sockets.facilitator()
    ada, bo = sockets.participant("Ada", n1), sockets.participant("Bo", n1)
    cy = sockets.participant("Cy", n2)
    control(fac, "start")
    control(fac, "open", item=item)
    act(ada, item, "write", column=0, text="Poco tempo")
    act(bo, item, "write", column=0, text="Orari diversi")
    act(cy, item, "write", column=1, text="Ruoli poco chiari")
    act(fac, item, "phase", phase="clustering")
    assert act(bo, item, "cluster", column=0, name="Tempo")["ok"]
    assert act(ada, item, "group", note="n1", cluster="k1")["ok"]
    act(fac, item, "phase", phase="voting")
    for client in (ada, bo, cy):
        received(client)
    act(bo, item, "vote", note="n1")
    act(ada, item, "vote", note="n1")
    # Ada's and Bo's pushes carry no dots while people vote; the phase reached Cy's team too.
    latest(app, fac, lambda i: sum(n["dots"] for n in i["teams"][f"n{n1}"]["view"]["notes"]) == 2)
    ada_views = [v["view"] for v in boards(app, ada)]
    assert ada_views and all("dots" not in n for v in ada_views for n in v["notes"])
    act(fac, item, "phase", phase="results")
    cy_view = latest(app, cy, lambda i: i["view"]["phase"] == "results")["view"]
    assert texts(cy_view) == ["Ruoli poco chiari"]
    ranked = latest(app, bo, lambda i: i["view"]["phase"] == "results")["view"]["ranking"][0]["entries"]
    assert [(e["kind"], e["dots"]) for e in ranked] == [("cluster", 2), ("note", 0)]

    control(fac, "lock", item=item)
    mine = versions(db, n1, "board")[-1]["data"]
    theirs = versions(db, n2, "board")[-1]["data"]
    assert mine["ranking"][0]["entries"][0]["name"] == "Tempo" and mine["voters"] == 2
    assert "Ruoli poco chiari" not in repr(mine) and "Poco tempo" not in repr(theirs)


def test_one_board_for_the_whole_room_reaches_everyone_but_held_notes(app, sockets, seeded, board, db):
    n1, n2 = seeded["networks"][:2]
    item = board(scope="room", anonymous=False)
    fac = sockets.facilitator()
    ada, cy = sockets.participant("Ada", n1), sockets.participant("Cy", n2)
    control(fac, "start")
    control(fac, "open", item=item)
    for client in (fac, ada, cy):
        received(client)
    act(ada, item, "write", column=0, text="Di Ada")
    act(fac, item, "write", column=1, text="Del facilitatore")
    assert texts(latest(app, cy, lambda i: texts(i["view"]))["view"]) == ["Del facilitatore"]
    assert latest(app, fac, lambda i: len(i["view"]["notes"]) == 2)["view"]["held"] == 1
    act(fac, item, "approve", note="n1")
    assert [(n["text"], n.get("name")) for n in latest(app, cy, lambda i: len(i["view"]["notes"]) == 2)["view"]["notes"]] == [
        ("Di Ada", "Ada"), ("Del facilitatore", "Fac")]
    control(fac, "lock", item=item)
    kept = {e["text"]: e for e in versions(db, n2, "board")[-1]["data"]["ranking"][0]["entries"]}
    assert not kept["Di Ada"]["mine"] and "name" not in kept["Di Ada"]


def test_erasing_a_person_replaces_their_name_on_their_notes_and_keeps_the_notes(app, sockets, seeded, board, db,
                                                                                  login):
    n1 = seeded["networks"][0]
    item = board(controlled=False, anonymous=False)
    fac = sockets.facilitator()
    ada = sockets.participant("Ada Lovelace", n1)
    control(fac, "start")
    control(fac, "open", item=item)
    act(ada, item, "write", column=0, text="Poco tempo")
    ada_id = store.row(db, "SELECT id FROM participants WHERE name = 'Ada Lovelace'")["id"]
    http = app.test_client()
    login(http)
    assert http.post(f"/f/participants/{ada_id}/erase").status_code in (302, 303)
    note = dict(store.state_items(db, f"i{item}:n{n1}"))["n:n1"]
    assert note["text"] == "Poco tempo" and note["name"] != "Ada Lovelace"
