"""Privacy: export one person's data, erase it (contributions stay, anonymous), purge old meetings."""

import json

from facilitation import privacy, store
from facilitation.db import dumps, loads, transaction
from facilitation.exercise import Actor
from facilitation.live.rooms import stream_key

from .conftest import answer, control, received


def everything_text(db) -> str:
    """Every value of every table, as one text to search."""
    out = []
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for row in db.execute(f'SELECT * FROM "{name}"'):
            out.append(" ".join(str(v) for v in row))
    return "\n".join(out)


def test_erase_removes_the_name_everywhere_and_keeps_the_answers(app, sockets, seeded, db, login):
    fac = sockets.facilitator()
    control(fac, "start")
    control(fac, "open", item=seeded["open"])
    zelda = sockets.participant("Zelda Quintavalle")
    zelda_id = received(zelda, "snapshot")[0]["args"][0]["me"]["id"]
    other = sockets.participant("Bo")
    assert answer(zelda, seeded["open"], "fiducia")["ok"]
    # The squad canvas copies its editors' names into units and versions.
    with transaction(db):
        squad = store.add_item(db, seeded["meeting"], "squad", {"title": "Squadra"})
    control(fac, "open", item=squad)
    assert zelda.emit("action", {"item": squad, "type": "add", "payload": {
        "kind": "strategy", "id": "s1", "fields": {"title": "Scuole aperte"}}}, callback=True)["ok"]
    control(fac, "lock", item=squad)
    control(fac, "goto", item=seeded["open"])
    assert answer(other, seeded["open"], "fiducia")["ok"]
    # Exercises may copy names into what they store (canvas authors, "by"): an event and an archived version.
    with transaction(db):
        store.append_event(db, stream_key(seeded["meeting"]), meeting_id=seeded["meeting"], item_id=seeded["open"],
                           actor_key=Actor("facilitator", seeded["facilitator"]).key, network_id=None, type="note",
                           payload={"text": "kept", "by": "Zelda Quintavalle"}, client_id=None, audience=[],
                           data={"authors": ["Zelda Quintavalle", "Bo"]})
    control(fac, "lock", item=seeded["open"])
    db.execute("UPDATE participants SET organisation = 'Cooperativa Zelda' WHERE id = ?", [zelda_id])
    with transaction(db):
        store.add_artifact(db, network_id=seeded["networks"][0], lab_id=seeded["lab"], meeting_id=seeded["meeting"],
                           item_id=seeded["single"], exercise_type="poll", title="t",
                           data={"authors": ["Zelda Quintavalle"], "by": "Zelda Quintavalle"})
    assert "Zelda Quintavalle" in everything_text(db)

    http = app.test_client()
    login(http)
    exported = http.get(f"/f/participants/{zelda_id}/export.json")
    assert exported.status_code == 200 and "attachment" in exported.headers["Content-Disposition"]
    data = json.loads(exported.data)
    assert data["participant"]["name"] == "Zelda Quintavalle" and data["network"] == "Ambito di Dalmine"
    assert [a["type"] for a in data["actions"]] == ["answer", "add"]
    assert data["actions"][0]["payload"] == {"value": "fiducia"}
    assert "token_hash" not in data["participant"]

    assert http.post(f"/f/participants/{zelda_id}/erase").status_code == 302
    text = everything_text(db)
    assert "Zelda" not in text and "Quintavalle" not in text
    assert not zelda.is_connected(), "their open connection is closed"
    person = store.participant(db, zelda_id)
    assert person["name"] == f"#{zelda_id}" and person["organisation"] == "" and person["erased_at"]
    # Contributions kept: the word cloud still counts two answers; the other author's name stays.
    assert "Scuole aperte" in text, "canvas items stay"
    words = {loads(v)["text"]: loads(v)["count"] for k, v in db.execute(
        "SELECT key, value FROM exercise_state WHERE space = ? AND key LIKE 'w:%'", [f"i{seeded['open']}"])}
    assert words == {"fiducia": 2}
    assert "Bo" in dumps([loads(r[0]) for r in db.execute("SELECT data FROM events WHERE type = 'note'")])
    # The device link no longer works.
    assert b'id="participant"' not in zelda.flask_test_client.get(f"/j/{seeded['code']}").data
    # Archived versions stay immutable to everything else.
    try:
        db.execute("UPDATE artifacts SET title = 'x'")
    except Exception as exc:
        assert "immutable" in str(exc)
    else:
        raise AssertionError("artifacts became mutable")


def test_participants_list_and_erase_need_a_facilitator(app, seeded, sockets):
    sockets.participant("Ada")
    anonymous = app.test_client()
    assert anonymous.get(f"/f/meetings/{seeded['meeting']}/participants").status_code == 302
    assert anonymous.post("/f/participants/1/erase").status_code == 302
    assert anonymous.get("/f/participants/1/export.json").status_code == 302


def test_purge_pseudonymises_participants_of_old_meetings_only(app, seeded, db, sockets):
    sockets.participant("Old Person")
    with transaction(db):
        store.add_participant(db, seeded["other_meeting"], "Recent Person", "", seeded["networks"][0])
        db.execute("UPDATE meetings SET created_at = '2020-01-01T10:00:00Z', ended_at = '2020-01-01T14:00:00Z'"
                   " WHERE id = ?", [seeded["meeting"]])
    app.config["RETENTION_DAYS"] = 365
    with app.app_context():  # as `facilitation purge` runs it
        result = app.test_cli_runner().invoke(args=["purge"])
        assert result.exit_code == 0, result.output
        assert "1 participants pseudonymised" in result.output
        names = {r[0] for r in db.execute("SELECT name FROM participants")}
        assert "Old Person" not in names and "Recent Person" in names
        assert app.test_cli_runner().invoke(args=["purge"]).output.startswith("0 participants")
    with app.app_context():  # plugins erase what they keep too: the app's plugin manager
        assert privacy.purge(db, 0, now=4102444800) == 1  # everyone, far in the future


def test_wrong_codes_are_counted_hashed_and_forgotten_after_their_window(app, seeded, db, monkeypatch):
    from facilitation import throttle

    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert client.post("/join", data={"code": "ZZZZZZ"}).status_code == 404
    stored = db.execute("SELECT kind, key FROM failed_attempts").fetchall()
    assert [kind for kind, _ in stored] == ["code"]
    assert "192.0.2.7" not in stored[0][1], "the address is kept only as a hash"
    later = throttle._now() + throttle.CODE.window + 1
    monkeypatch.setattr(throttle, "_now", lambda: later)
    with app.app_context():
        assert app.test_cli_runner().invoke(args=["purge"]).exit_code == 0
    assert db.execute("SELECT count(*) FROM failed_attempts").fetchone()[0] == 0
