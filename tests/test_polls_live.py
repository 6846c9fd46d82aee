"""Live polls through real Socket.IO clients: who receives what, and what is stored."""

from facilitation import store
from facilitation.db import loads

from .conftest import answer, control, received


def start(fac, item):
    control(fac, "start")
    control(fac, "open", item=item)


def test_join_vote_change_and_results_reach_only_facilitators_while_hidden(sockets, seeded, db):
    fac = sockets.facilitator()
    ada = sockets.participant("Ada", seeded["networks"][0])
    bo = sockets.participant("Bo", seeded["networks"][1])
    start(fac, seeded["single"])
    for c in (fac, ada, bo):
        received(c)

    ack = answer(ada, seeded["single"], 1)
    assert ack["ok"] and ack["seq"] > 0 and ack["reply"]["answer"] == 1
    ack2 = answer(ada, seeded["single"], 2)  # change of vote
    assert ack2["ok"] and ack2["seq"] > ack["seq"]
    answer(bo, seeded["single"], 2)
    app = fac.app
    app.extensions["facilitation.engine"].flush()

    results = received(fac, "results")
    assert results, "facilitators get live results"
    view = results[-1]["args"][0]["item"]["view"]
    assert view["results"]["counts"] == [0, 0, 2]
    assert view["results"]["total"] == 2
    assert view["by_network"][str(seeded["networks"][0])]["counts"] == [0, 0, 1]
    # hidden until revealed: participants receive no results
    assert received(ada, "results") == [] and received(bo, "results") == []


def test_reveal_sends_results_to_participants(sockets, seeded):
    fac = sockets.facilitator()
    ada = sockets.participant("Ada")
    start(fac, seeded["single"])
    answer(ada, seeded["single"], 0)
    received(ada)
    control(fac, "reveal", item=seeded["single"])
    meeting_msgs = received(ada, "meeting")
    assert meeting_msgs[-1]["args"][0]["item"]["view"]["results"]["counts"] == [1, 0, 0]
    assert meeting_msgs[-1]["args"][0]["item"]["revealed"] is True


def test_lock_refuses_further_answers_and_archives_per_network(sockets, seeded, db):
    fac = sockets.facilitator()
    ada = sockets.participant("Ada", seeded["networks"][0])
    bo = sockets.participant("Bo", seeded["networks"][1])
    start(fac, seeded["single"])
    answer(ada, seeded["single"], 0)
    answer(bo, seeded["single"], 1)
    control(fac, "lock", item=seeded["single"])
    ack = answer(ada, seeded["single"], 2)
    assert not ack["ok"] and ack["error"]["code"] == "closed"
    arts = store.artifacts_of_network(db, seeded["networks"][0])
    assert len(arts) == 1
    assert arts[0]["data"]["network"]["counts"] == [1, 0, 0]
    assert arts[0]["data"]["overall"]["counts"] == [1, 1, 0]


def test_duplicate_client_id_is_applied_once(sockets, seeded, db):
    fac = sockets.facilitator()
    ada = sockets.participant("Ada")
    start(fac, seeded["multiple"])
    first = answer(ada, seeded["multiple"], [0, 2], cid="retry-1")
    again = answer(ada, seeded["multiple"], [0, 2], cid="retry-1")
    assert first["seq"] == again["seq"] and again["duplicate"]
    tally = loads(db.execute("SELECT value FROM exercise_state WHERE space = ? AND key = 't'",
                             [f"i{seeded['multiple']}"]).fetchone()[0])
    assert tally == {"c": [1, 0, 1], "n": 1}
    assert db.execute("SELECT count(*) FROM events WHERE client_id = 'retry-1'").fetchone()[0] == 1


def test_reconnect_catches_up_with_snapshot_and_own_vote(sockets, seeded):
    fac = sockets.facilitator()
    http = sockets.join("Ada")
    ada = sockets.participant(http=http)
    start(fac, seeded["scale"])
    ack = answer(ada, seeded["scale"], 4)
    ada.disconnect()
    control(fac, "timer", seconds=60)
    again = sockets.participant(http=http)
    snap = received(again, "snapshot")[-1]["args"][0]
    assert snap["seq"] > ack["seq"]
    assert snap["item"]["personal"] == {"answer": 4}
    assert snap["meeting"]["timer_end"]


def test_sync_lists_missed_events_of_my_rooms_only(sockets, seeded):
    fac = sockets.facilitator()
    start(fac, seeded["single"])
    ada = sockets.participant("Ada")
    bo = sockets.participant("Bo")
    answer(bo, seeded["single"], 1)  # Bo's vote is no event for Ada
    since = received(ada, "snapshot")[-1]["args"][0]["seq"]
    control(fac, "reveal", item=seeded["single"])
    control(fac, "timer", seconds=30)
    reply = ada.emit("sync", {"since": since}, callback=True)
    assert reply["ok"]
    assert [m["type"] for m in reply["missed"]] == ["control.reveal", "control.timer"]
    assert reply["snapshot"]["item"]["revealed"] is True
    assert reply["snapshot"]["seq"] == reply["seq"]


def test_participant_cannot_control_and_other_meeting_is_refused(sockets, seeded):
    ada = sockets.participant("Ada")
    ack = ada.emit("control", {"cmd": "start"}, callback=True)
    assert ack == {"ok": False, "error": {"code": "forbidden", "message": ack["error"]["message"]}}
    fac = sockets.facilitator()
    start(fac, seeded["single"])
    wrong = answer(ada, seeded["other_item"], 0)
    assert not wrong["ok"] and wrong["error"]["code"] == "not_found"


def test_participant_cookie_of_one_meeting_does_not_open_another(app, sockets, seeded):
    http = sockets.join("Ada")
    client = app.extensions["socketio"].test_client(
        app, flask_test_client=http, auth={"meeting": seeded["other_meeting"], "role": "participant"})
    assert not client.is_connected()


def test_bad_input_gets_clear_errors_and_stores_nothing(sockets, seeded, db):
    fac = sockets.facilitator()
    ada = sockets.participant("Ada")
    start(fac, seeded["single"])
    before = db.execute("SELECT count(*) FROM events").fetchone()[0]
    cases = [
        None, "text", 42, [], {"item": "x"}, {"item": seeded["single"]},
        {"item": seeded["single"], "type": "answer", "payload": {"value": 99}},
        {"item": seeded["single"], "type": "answer", "payload": {"value": "1"}},
        {"item": seeded["single"], "type": "answer", "payload": {"value": True}},
        {"item": seeded["single"], "type": "answer", "payload": {}},
        {"item": seeded["single"], "type": "answer", "payload": {"value": 1, "extra": 2}},
        {"item": seeded["single"], "type": "answer", "payload": {"value": 1}, "evil": 1},
        {"item": seeded["single"], "type": "nope", "payload": {}},
        {"item": seeded["single"], "type": "answer", "payload": {"value": 1}, "cid": "../../etc"},
        {"item": seeded["single"], "type": "answer", "payload": {"value": [[[[[[[[[[1]]]]]]]]]]}},
    ]
    for case in cases:
        ack = ada.emit("action", case, callback=True)
        assert ack["ok"] is False and ack["error"]["message"], case
    unknown = ada.emit("no_such_event", {"a": 1}, callback=True)
    assert unknown["error"]["code"] == "unknown_event"
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == before
    assert ada.is_connected()


def test_presence_goes_to_facilitators_only(sockets, seeded):
    fac = sockets.facilitator()
    engine = fac.app.extensions["facilitation.engine"]
    ada = sockets.participant("Ada")
    received(ada)
    engine.flush()
    presence = received(fac, "presence")
    assert [(p["name"], p["online"]) for p in presence[-1]["args"][0]["people"]] == [("Ada", True)]
    bo = sockets.participant("Bo")
    bo.disconnect()
    engine.flush()
    assert received(ada, "presence") == []
    # Bo joined and left between two pushes: one batch, holding his latest state only.
    assert [(p["name"], p["online"]) for p in received(fac, "presence")[-1]["args"][0]["people"]] == [("Bo", False)]


def test_word_cloud_counts_normalised_answers(sockets, seeded):
    fac = sockets.facilitator()
    people = [sockets.participant(n) for n in ("A", "B", "C")]
    start(fac, seeded["open"])
    for client, word in zip(people, ["Fiducia", " fiducia ", "Ascolto"]):
        assert answer(client, seeded["open"], word)["ok"]
    received(people[0])
    fac.app.extensions["facilitation.engine"].flush()
    words = received(people[0], "results")[-1]["args"][0]["item"]["view"]["results"]["words"]
    assert words[0] == {"text": "Fiducia", "count": 2} and words[1]["text"] == "Ascolto"


def test_a_write_lock_held_elsewhere_answers_busy_and_the_same_action_lands_once(
        app, sockets, seeded, db, monkeypatch):
    import sqlite3

    fac = sockets.facilitator()
    ada = sockets.participant("Ada")
    start(fac, seeded["single"])
    monkeypatch.setattr(app.extensions["facilitation.pool"], "write_wait", 0.3)
    app.extensions["facilitation.pool"].close()  # connections made from now on wait 0.3 s
    other = sqlite3.connect(app.config["DATABASE"], isolation_level=None)  # another server process
    other.execute("BEGIN IMMEDIATE")
    try:
        ack = answer(ada, seeded["single"], 1, cid="vote-1")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert ack["ok"] is False and ack["error"]["code"] == "busy"
    assert "nothing was changed" in ack["error"]["message"] or "non è ancora cambiato" in ack["error"]["message"]
    assert store.row(db, "SELECT count(*) AS n FROM events WHERE type = 'answer'")["n"] == 0
    received(fac)
    again = answer(ada, seeded["single"], 1, cid="vote-1")  # what live.js does on `busy`
    assert again["ok"] and again["reply"]["answer"] == 1
    assert answer(ada, seeded["single"], 1, cid="vote-1")["ok"]  # a late duplicate changes nothing
    assert store.row(db, "SELECT count(*) AS n FROM events WHERE type = 'answer'")["n"] == 1
