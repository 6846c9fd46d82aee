"""Ranking through real Socket.IO clients: hidden results reach the console only, revealed ones
everyone; bad orders are refused and change nothing; each network keeps its own breakdown."""

import time

from facilitation.api.testing import act, control, received, store, transaction, versions

CONFIG = {"title": "Cosa curare prima?", "options": ["Valutazione", "Cultura di squadra", "Ruolo attivo"],
          "hide_results": True}


def pushed(app, client):
    app.extensions["facilitation.engine"].flush()
    return [m["args"][0]["item"]["view"] for m in received(client, "results")]


def latest(app, client, check, timeout=10):
    """The newest view pushed to a client once it is as ``check`` expects (the background task
    may be sending it meanwhile)."""
    seen = []
    deadline = time.monotonic() + timeout
    while not (seen and check(seen[-1])):
        assert time.monotonic() < deadline, f"no push as expected; the last was {seen[-1:]}"
        time.sleep(0.02)
        seen += pushed(app, client)
    return seen[-1]


def test_rankings_results_reveal_refusals_and_archive(app, sockets, seeded, db):
    n1, n2 = seeded["networks"][:2]
    with transaction(db):
        item = store.add_item(db, seeded["meeting"], "ranking", CONFIG)
    fac = sockets.facilitator()
    projector = sockets.facilitator(role="projector")
    people = [sockets.participant(name, n1) for name in ("Ada", "Bo", "Ciro")] + [sockets.participant("Dea", n2)]
    control(fac, "start")
    control(fac, "open", item=item)
    for client in (fac, projector, *people):
        received(client)

    for person, order in zip(people, ([1, 0, 2], [1, 2, 0], [0, 1, 2], [2, 1, 0])):
        assert act(person, item, "rank", {"order": order})["reply"] == {"order": order}
    refused = [act(people[0], item, "rank", {"order": bad}) for bad in ([0, 0, 1], [0, 1], [0, 1, 9], "0,1,2", [True, 0, 1])]
    assert [r["error"]["code"] for r in refused] == ["invalid"] * 5
    assert act(fac, item, "rank", {"order": [0, 1, 2]})["error"]["code"] == "forbidden"

    console = latest(app, fac, lambda v: v["results"]["n"] == 4)
    assert console["results"]["n"] == 4 and console["results"]["options"][0]["option"] == "Cultura di squadra"
    assert console["by_network"][str(n1)]["n"] == 3 and console["by_network"][str(n2)] == {"n": 1, "hidden": True}
    assert latest(app, projector, lambda v: v.get("answered") == 4) == {"question": CONFIG["title"], "options": CONFIG["options"], "answered": 4}
    assert all(pushed(app, p) == [] for p in people)  # hidden: participants get no results

    control(fac, "reveal", item=item)
    shown = received(people[3], "meeting")[-1]["args"][0]["item"]["view"]
    assert shown["results"]["n"] == 4 and "by_network" not in shown

    control(fac, "lock", item=item)
    assert versions(db, n1, "ranking")[-1]["data"]["network"]["n"] == 3
    assert versions(db, n2, "ranking")[-1]["data"]["network"] == {"n": 1, "hidden": True}
