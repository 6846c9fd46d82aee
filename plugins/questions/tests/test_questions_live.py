"""Questions with upvotes through real Socket.IO clients: who receives what (held questions,
anonymous ones, other meetings), what participants may not do, what each network keeps."""

import json
import time

import pytest

from facilitation.api.testing import act, control, received, store, versions

HELD = {"title": "Domande ai relatori", "moderation": "held", "names": "choice", "per_person": 3, "top": 3}
OPEN = {**HELD, "moderation": "open"}
ANONYMOUS = {**OPEN, "names": "anonymous"}


@pytest.fixture
def seed_items():
    return [
        ("held", "questions", HELD, "meeting"),
        ("open", "questions", OPEN, "meeting"),
        ("anonymous", "questions", ANONYMOUS, "meeting"),
    ]


def flush(client):
    client.app.extensions["facilitation.engine"].flush()


def shown(client, events=("results", "meeting", "event")) -> str:
    """Everything a client received about exercises, as text (to look for what must not be there)."""
    return json.dumps([m["args"] for m in received(client) if m["name"] in events], ensure_ascii=False)


def gathered(client, needle, tries=100):
    """Everything a client got about exercises, as text, once ``needle`` is in it (pushes come on a schedule)."""
    text = ""
    for _ in range(tries):
        flush(client)
        text += shown(client)
        if needle in text:
            return text
        time.sleep(0.05)
    raise AssertionError(f"{needle!r} never reached the client")


def last_view(client, check=lambda view: True, tries=100):
    """The latest results view a client got, once it passes ``check``: results are pushed on a
    schedule by a background task, so the test waits for the condition (never for a time)."""
    views = []
    for _ in range(tries):
        flush(client)
        views += [m["args"][0]["item"]["view"] for m in received(client, "results")]
        if views and check(views[-1]):
            return views[-1]
        time.sleep(0.05)
    raise AssertionError(f"no results view passed the check: {views[-1:]}")


def open_item(fac, item):
    control(fac, "start")
    control(fac, "open", item=item)


def test_a_held_question_reaches_the_console_only_until_the_facilitator_approves_it(sockets, seeded):
    n1, n2 = seeded["networks"][:2]
    fac = sockets.facilitator()
    screen = sockets.facilitator(role="projector")
    ada, bo, cy = sockets.participant("Ada", n1), sockets.participant("Bo", n1), sockets.participant("Cy", n2)
    open_item(fac, seeded["held"])
    for c in (fac, screen, ada, bo, cy):
        received(c)

    ack = act(ada, seeded["held"], "ask", {"text": "Come misuriamo il cambiamento?"})
    assert ack["ok"] and ack["reply"]["asked"][0]["status"] == "held"
    console = last_view(fac, lambda v: v["held"])
    assert [q["text"] for q in console["held"]] == ["Come misuriamo il cambiamento?"]
    assert console["held"][0]["name"] == "Ada"
    for other in (screen, bo, cy):
        assert "Come misuriamo" not in shown(other)
    assert "Come misuriamo" not in shown(ada)  # her own is in her ack (and her snapshot), not in the room's view

    question = console["held"][0]["id"]
    assert act(fac, seeded["held"], "moderate", {"question": question, "do": "approve"})["ok"]
    assert [q["text"] for q in last_view(bo, lambda v: v["questions"])["questions"]] == [
        "Come misuriamo il cambiamento?"
    ]
    assert act(bo, seeded["held"], "vote", {"question": question, "up": True})["ok"]
    assert [q["votes"] for q in last_view(screen, lambda v: v["top"] and v["top"][0]["votes"])["top"]] == [1]


def test_anonymous_questions_name_nobody_to_anyone(sockets, seeded, db):
    fac = sockets.facilitator()
    screen = sockets.facilitator(role="projector")
    ada, bo = sockets.participant("Adalgisa"), sockets.participant("Bo")
    open_item(fac, seeded["anonymous"])
    for c in (fac, screen, ada, bo):
        received(c)
    assert act(ada, seeded["anonymous"], "ask", {"text": "Chi decide le priorità?", "anonymous": False})["ok"]
    for c in (fac, screen, bo):
        assert "Adalgisa" not in gathered(c, "Chi decide le priorità?")
    # Nor in what is stored of the question (the core's event log keeps who sent what, as for any action).
    stored = db.execute(
        "SELECT group_concat(value) FROM exercise_state WHERE space = ? AND key LIKE 'q:%'", [f"i{seeded['anonymous']}"]
    ).fetchone()[0]
    assert "Chi decide" in stored and "Adalgisa" not in stored


def test_a_participant_cannot_moderate_merge_or_send_bad_input_and_nothing_changes(sockets, seeded, db):
    fac = sockets.facilitator()
    ada, bo = sockets.participant("Ada"), sockets.participant("Bo")
    open_item(fac, seeded["held"])
    assert act(ada, seeded["held"], "ask", {"text": "Una domanda"})["ok"]
    before = db.execute(
        "SELECT key, value FROM exercise_state WHERE space = ? ORDER BY key", [f"i{seeded['held']}"]
    ).fetchall()
    cases = [
        ("moderate", {"question": 1, "do": "approve"}, "forbidden"),
        ("merge", {"question": 1, "into": 1}, "forbidden"),
        ("vote", {"question": 1, "up": True}, "not_found"),  # held: not open to votes
        ("vote", {"question": "1"}, None),
        ("vote", {"question": 2**70}, "invalid"),
        ("vote", {"question": 1, "extra": 1}, "invalid"),
        ("ask", {"text": "x" * 281}, "invalid"),
        ("ask", {"text": "\x00\x1b[31m\u202e"}, "invalid"),
        ("ask", {"text": 12}, "invalid"),
        ("shout", {}, "unknown_action"),
    ]
    for type_, payload, code in cases:
        ack = act(bo, seeded["held"], type_, payload)
        assert not ack["ok"], (type_, payload, ack)
        if code:
            assert ack["error"]["code"] == code, (type_, payload, ack)
    after = db.execute(
        "SELECT key, value FROM exercise_state WHERE space = ? ORDER BY key", [f"i{seeded['held']}"]
    ).fetchall()
    assert after == before
    # A facilitator's moderation of a question that does not exist is refused the same way.
    ack = act(fac, seeded["held"], "moderate", {"question": 99, "do": "hide"})
    assert ack["error"]["code"] == "not_found"


def test_each_person_upvotes_once_whatever_they_resend(sockets, seeded):
    fac = sockets.facilitator()
    ada, bo = sockets.participant("Ada"), sockets.participant("Bo")
    open_item(fac, seeded["open"])
    question = act(ada, seeded["open"], "ask", {"text": "Quando ci rivediamo?"})["reply"]["question"]
    first = act(bo, seeded["open"], "vote", {"question": question}, cid="vote-1")
    retry = act(bo, seeded["open"], "vote", {"question": question}, cid="vote-1")
    again = act(bo, seeded["open"], "vote", {"question": question}, cid="vote-2")
    assert first["ok"] and retry["duplicate"] and again["reply"]["unchanged"]
    own = act(ada, seeded["open"], "vote", {"question": question})
    assert own["error"]["code"] == "own"
    assert last_view(fac, lambda v: v["questions"] and v["questions"][0]["votes"])["questions"][0]["votes"] == 1


def test_another_meeting_receives_nothing_and_cannot_act_here(sockets, seeded, db):
    fac = sockets.facilitator()
    ada = sockets.participant("Ada")
    other_code = store.meeting(db, seeded["other_meeting"])["join_code"]
    stranger = sockets.participant("Eve", http=sockets.join("Eve", code=other_code), meeting=seeded["other_meeting"])
    open_item(fac, seeded["open"])
    received(stranger)
    assert act(ada, seeded["open"], "ask", {"text": "Domanda di questa sala"})["ok"]
    flush(fac)
    assert "Domanda di questa sala" not in shown(stranger)
    ack = act(stranger, seeded["open"], "vote", {"question": 1})
    assert ack["error"]["code"] == "not_found"


def test_a_reconnecting_participant_finds_their_held_question(sockets, seeded):
    fac = sockets.facilitator()
    http = sockets.join("Ada")
    ada = sockets.participant("Ada", http=http)
    open_item(fac, seeded["held"])
    assert act(ada, seeded["held"], "ask", {"text": "Ancora in attesa"})["ok"]
    ada.disconnect()
    again = sockets.participant("Ada", http=http)
    snapshot = received(again, "snapshot")[-1]["args"][0]
    assert snapshot["item"]["personal"]["asked"][0]["text"] == "Ancora in attesa"
    assert snapshot["personal"][str(seeded["held"])]["asked"][0]["status"] == "held"


def test_lock_archives_the_room_s_questions_for_each_network_with_its_own_marked(sockets, seeded, db):
    n1, n2 = seeded["networks"][:2]
    fac = sockets.facilitator()
    ada, cy = sockets.participant("Ada", n1), sockets.participant("Cy", n2)
    open_item(fac, seeded["open"])
    act(ada, seeded["open"], "ask", {"text": "Dalla rete uno"})
    act(cy, seeded["open"], "ask", {"text": "Dalla rete due"})
    act(cy, seeded["open"], "vote", {"question": 1})
    control(fac, "lock", item=seeded["open"])
    assert act(ada, seeded["open"], "ask", {"text": "Troppo tardi"})["error"]["code"] == "closed"
    mine = versions(db, n1, "questions")[-1]["data"]
    theirs = versions(db, n2, "questions")[-1]["data"]
    assert [(q["text"], q["mine"], q["name"]) for q in mine["questions"]] == [
        ("Dalla rete uno", True, "Ada"),
        ("Dalla rete due", False, None),
    ]
    assert [(q["text"], q["mine"], q["name"]) for q in theirs["questions"]] == [
        ("Dalla rete uno", False, None),
        ("Dalla rete due", True, "Cy"),
    ]
    # The network's archive page renders it.
    http = fac.app.test_client()
    http.post("/f/login", data={"email": "fac@example.org", "password": "correct horse battery"})
    page = http.get(f"/f/networks/{n1}/archive").get_data(as_text=True)
    assert "Dalla rete uno" in page and "Domande ai relatori" in page


def test_erasing_a_person_removes_their_name_from_their_questions_and_keeps_the_questions(sockets, seeded, db, login):
    n1 = seeded["networks"][0]
    fac = sockets.facilitator()
    ada = sockets.participant("Adalgisa", n1)
    open_item(fac, seeded["open"])
    assert act(ada, seeded["open"], "ask", {"text": "Resta la domanda?"})["ok"]
    control(fac, "lock", item=seeded["open"])
    person = [p for p in store.participants_with_presence(db, seeded["meeting"]) if p["name"] == "Adalgisa"][0]
    http = fac.app.test_client()
    login(http)
    assert (
        http.get(f"/f/participants/{person['id']}/export.json").get_json()["actions"][0]["payload"]["text"]
        == "Resta la domanda?"
    )
    assert http.post(f"/f/participants/{person['id']}/erase").status_code == 302
    stored = db.execute(
        "SELECT group_concat(value) FROM exercise_state WHERE space = ?", [f"i{seeded['open']}"]
    ).fetchone()[0]
    kept = versions(db, n1, "questions")[-1]["data"]["questions"][0]
    assert "Adalgisa" not in stored and "Resta la domanda?" in stored
    assert kept["text"] == "Resta la domanda?" and kept["name"] == f"#{person['id']}"
