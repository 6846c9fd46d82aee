"""The prompt card through real Socket.IO clients: who receives the replies, anonymity, what a
participant may not do, what each network keeps."""

import json
import time

import pytest

from facilitation.api.testing import act, control, received, versions

CONFIG = {
    "ready": "third_culture",
    "prompt": "La terza cultura",
    "ask": "Che cosa ne pensate?",
    "title": "",
    "anonymous": False,
    "wall": True,
    "per_person": 3,
}


@pytest.fixture
def seed_items():
    return [
        ("named", "prompt", CONFIG, "meeting"),
        ("anonymous", "prompt", {**CONFIG, "anonymous": True}, "meeting"),
        ("screen_only", "prompt", {**CONFIG, "wall": False}, "meeting"),
    ]


def flush(client):
    client.app.extensions["facilitation.engine"].flush()


def pushes(client) -> list:
    """The arguments of what a client got about exercises since the last look."""
    return [m["args"] for m in received(client) if m["name"] in ("results", "meeting", "event")]


def shown(client) -> str:
    return json.dumps(pushes(client), ensure_ascii=False)


def collected(client, needle, tries=100) -> list:
    """Everything a client got about exercises, once ``needle`` is in it (pushes come on a schedule,
    so it may take several looks: each look's pushes are added to the list)."""
    found = []
    for _ in range(tries):
        flush(client)
        found += pushes(client)
        if needle in json.dumps(found, ensure_ascii=False):
            return found
        time.sleep(0.05)
    raise AssertionError(f"{needle!r} never reached the client")


def gathered(client, needle, tries=100) -> str:
    """The same, as text."""
    return json.dumps(collected(client, needle, tries), ensure_ascii=False)


def views(client, needle):
    """The results views a client got, the last one holding ``needle``."""
    return [
        m[0]["item"]["view"]
        for m in collected(client, needle)
        if m and isinstance(m[0].get("item"), dict) and "view" in m[0]["item"]
    ]


def test_replies_reach_the_wall_of_everyone_and_the_highlight_the_projector(sockets, seeded):
    n1, n2 = seeded["networks"][:2]
    fac = sockets.facilitator()
    screen = sockets.facilitator(role="projector")
    ada, cy = sockets.participant("Ada", n1), sockets.participant("Cy", n2)
    control(fac, "start")
    control(fac, "open", item=seeded["named"])
    for c in (fac, screen, ada, cy):
        received(c)
    ack = act(ada, seeded["named"], "reply", {"text": "Una cultura di tutti"})
    assert ack["ok"] and ack["reply"]["mine"][0]["text"] == "Una cultura di tutti"
    wall = views(cy, "Una cultura di tutti")[-1]
    assert [r["text"] for r in wall["replies"]] == ["Una cultura di tutti"] and wall["replies"][0]["name"] == "Ada"
    assert act(fac, seeded["named"], "highlight", {"reply": 1, "on": True})["ok"]
    for _ in range(100):
        view = views(screen, "Una cultura di tutti")[-1]
        if view["highlighted"]:
            break
    assert [r["text"] for r in view["highlighted"]] == ["Una cultura di tutti"]


def test_anonymous_replies_name_nobody_and_a_wall_kept_for_the_shared_screen_reaches_no_phone(sockets, seeded):
    fac = sockets.facilitator()
    screen = sockets.facilitator(role="projector")
    ada, bo = sockets.participant("Adalgisa"), sockets.participant("Bo")
    control(fac, "start")
    control(fac, "open", item=seeded["anonymous"])
    for c in (fac, screen, ada, bo):
        received(c)
    assert act(ada, seeded["anonymous"], "reply", {"text": "Nessun nome"})["ok"]
    for c in (fac, screen, bo):
        assert "Adalgisa" not in gathered(c, "Nessun nome")

    control(fac, "open", item=seeded["screen_only"])
    for c in (fac, screen, ada, bo):
        received(c)
    assert act(ada, seeded["screen_only"], "reply", {"text": "Solo sullo schermo"})["ok"]
    gathered(screen, "Solo sullo schermo")
    assert "Solo sullo schermo" not in shown(bo)


def test_a_participant_cannot_highlight_hide_or_take_back_another_s_reply(sockets, seeded, db):
    fac = sockets.facilitator()
    ada, bo = sockets.participant("Ada"), sockets.participant("Bo")
    control(fac, "start")
    control(fac, "open", item=seeded["named"])
    assert act(ada, seeded["named"], "reply", {"text": "Mia"})["ok"]
    before = db.execute(
        "SELECT key, value FROM exercise_state WHERE space = ? ORDER BY key", [f"i{seeded['named']}"]
    ).fetchall()
    for type_, payload, code in [
        ("highlight", {"reply": 1}, "forbidden"),
        ("hide", {"reply": 1}, "forbidden"),
        ("withdraw", {"reply": 1}, "not_found"),
        ("reply", {"text": "x" * 201}, "invalid"),
        ("reply", {"text": "\u200b\u200b"}, "invalid"),
        ("withdraw", {"reply": -1}, "invalid"),
        ("reply", {"text": "ok", "name": "Finto"}, "invalid"),
    ]:
        ack = act(bo, seeded["named"], type_, payload)
        assert not ack["ok"] and ack["error"]["code"] == code, (type_, payload, ack)
    after = db.execute(
        "SELECT key, value FROM exercise_state WHERE space = ? ORDER BY key", [f"i{seeded['named']}"]
    ).fetchall()
    assert after == before


def test_lock_archives_the_replies_for_each_network_with_its_own_marked(sockets, seeded, db):
    n1, n2 = seeded["networks"][:2]
    fac = sockets.facilitator()
    ada, cy = sockets.participant("Ada", n1), sockets.participant("Cy", n2)
    control(fac, "start")
    control(fac, "open", item=seeded["named"])
    act(ada, seeded["named"], "reply", {"text": "Dalla rete uno"})
    act(cy, seeded["named"], "reply", {"text": "Dalla rete due"})
    control(fac, "lock", item=seeded["named"])
    assert act(ada, seeded["named"], "reply", {"text": "Tardi"})["error"]["code"] == "closed"
    kept = versions(db, n1, "prompt")[-1]["data"]
    assert kept["prompt"] == "La terza cultura"
    assert [(r["text"], r["mine"], r["name"]) for r in kept["replies"]] == [
        ("Dalla rete uno", True, "Ada"),
        ("Dalla rete due", False, None),
    ]
