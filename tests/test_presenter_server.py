"""The server's side of the projector's presenter mode and of an agenda that only holds configured
exercises: what the shared screen receives (options and counts, never names; the controls its
shortcuts send), and a blank item, made before configuring came first, kept from the room."""

from __future__ import annotations

import json

from facilitation import store
from facilitation.db import transaction

from .conftest import answer, control, received


def test_the_projector_gets_the_options_and_how_many_answered_never_who(sockets, seeded):
    fac = sockets.facilitator()
    screen = sockets.facilitator(role="projector")
    ada = sockets.participant("Ada Lovelace", seeded["networks"][0])
    control(fac, "start")
    control(fac, "open", item=seeded["single"])
    answer(ada, seeded["single"], 1)
    fac.app.extensions["facilitation.engine"].flush()

    pushed = received(screen, "results")[-1]["args"][0]["item"]
    assert pushed["view"]["options"] == ["A", "B", "C"] and pushed["view"]["answered"] == 1
    assert "results" not in pushed["view"], "hidden until revealed"
    assert [c["name"] for c in pushed["controls"]] == ["reveal"], "what the shortcut R sends"
    control(fac, "reveal", item=seeded["single"])
    shown = received(screen, "meeting")[-1]["args"][0]["item"]
    assert shown["view"]["results"]["counts"] == [0, 1, 0] and shown["view"]["answered"] == 1
    assert [c["name"] for c in shown["controls"]] == ["hide"]
    everything = json.dumps(received(screen) + [shown, pushed])
    assert "Ada" not in everything and "by_network" not in everything


def test_the_projector_runs_the_meeting_with_the_same_controls(sockets, seeded):
    screen = sockets.facilitator(role="projector")
    ada = sockets.participant("Ada")
    control(screen, "start")
    control(screen, "open", item=seeded["single"])
    control(screen, "reveal", item=seeded["single"])
    control(screen, "lock", item=seeded["single"])
    control(screen, "next")
    control(screen, "timer", seconds=180)
    last = received(ada, "meeting")[-1]["args"][0]
    assert last["meeting"]["current"] == seeded["multiple"] and last["meeting"]["timer_end"]


def test_a_blank_item_is_not_opened_and_its_form_says_what_it_lacks(sockets, seeded, db, app, login):
    with transaction(db):
        blank = store.add_item(db, seeded["meeting"], "poll", {"title": "", "kind": "single", "options": []})
    fac = sockets.facilitator()
    ada = sockets.participant("Ada")
    control(fac, "start")
    received(ada)
    ack = fac.emit("control", {"cmd": "open", "item": blank}, callback=True)
    assert not ack["ok"] and ack["error"]["code"] == "not_configured"
    assert "completalo nel programma" in ack["error"]["message"]
    assert store.item(db, blank)["status"] == "pending" and received(ada, "meeting") == []
    control(fac, "open", item=seeded["single"])  # a configured one opens as ever

    http = app.test_client()
    login(http)
    agenda = http.get(f"/f/meetings/{seeded['meeting']}").get_data(as_text=True)
    assert agenda.count("da completare") == 1
    form = http.get(f"/f/items/{blank}")
    assert form.status_code == 200 and 'id="error-summary"' in form.get_data(as_text=True)
