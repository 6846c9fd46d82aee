"""The self-assessment through real Socket.IO clients: a team in a meeting, its network link
between meetings, who receives what, the versions it keeps, the radar in every format."""

import pytest
from flask import render_template_string

from facilitation.api.testing import add_version, archive, control, received, store, transaction, versions

CONFIG = {"title": "Potenziale generativo", "template": "method", "dimensions": [], "start": "latest"}


@pytest.fixture
def seed_items():
    return [("sa", "selfassessment", CONFIG, "meeting")]


def act(client, item, type_, team=None, **payload):
    message = {"item": item, "type": type_, "payload": payload}
    if team:
        message["team"] = team
    return client.emit("action", message, callback=True)


def on_workspace(client, type_, **payload):
    return client.emit("action", {"workspace": "selfassessment", "type": type_, "payload": payload}, callback=True)


def events(client):
    return [m["args"][0] for m in received(client, "event")]


def test_a_team_rates_together_and_other_networks_receive_nothing(sockets, seeded, db):
    n1, n2 = seeded["networks"][:2]
    fac = sockets.facilitator()
    ada, bo = sockets.participant("Ada", n1), sockets.participant("Bo", n1)
    cy = sockets.participant("Cy", n2)
    control(fac, "start")
    control(fac, "open", item=seeded["sa"])
    for client in (fac, ada, bo, cy):
        received(client)
    assert act(ada, seeded["sa"], "rate", dim="culture", value=4, base=0)["ok"]
    assert act(bo, seeded["sa"], "explain", dim="culture", text="Ci sentiamo ogni settimana", base=1)["ok"]
    got_bo = events(bo)
    assert [e["data"]["unit"]["v"] for e in got_bo] == [4, 4] and got_bo[-1]["data"]["unit"]["why"]
    assert len(events(fac)) == 2 and events(cy) == [], "the other network's team receives nothing"
    # Two people at once on one rating: the later wins, the replaced one is named to everyone.
    assert act(ada, seeded["sa"], "rate", dim="governance", value=2, base=0)["ok"]
    assert act(bo, seeded["sa"], "rate", dim="governance", value=5, base=0)["reply"]["conflict"]["lost"]["value"] == 2
    seen = events(ada)[-1]["data"]
    assert seen["unit"]["v"] == 5 and seen["conflict"]["lost"]["by"]["n"] == "Ada"
    # The facilitator works inside a team by naming it; a participant cannot.
    assert act(fac, seeded["sa"], "rate", team=f"n{n2}", dim="culture", value=1, base=0)["ok"]
    assert events(cy)[-1]["data"]["unit"]["v"] == 1 and events(ada) == []
    assert act(cy, seeded["sa"], "rate", team=f"n{n1}", dim="culture", value=1, base=0)["error"]["code"] == "forbidden"
    assert act(cy, seeded["sa"], "rate", dim="culture", value=9, base=0)["error"]["code"] == "invalid"
    control(fac, "lock", item=seeded["sa"])
    mine = versions(db, n1, "selfassessment")
    assert len(mine) == 1 and mine[0]["data"]["dims"][0]["why"] == "Ci sentiamo ogni settimana"
    assert mine[0]["data"]["authors"] == ["Ada", "Bo"]
    assert [d["value"] for d in versions(db, n2, "selfassessment")[0]["data"]["dims"]][:1] == [1]


def link(app, db, network):
    with transaction(db):
        token = store.issue_network_link(db, network)
    socketio = app.extensions["socketio"]
    http = app.test_client()
    http.get(f"/n/{token}")
    return token, socketio.test_client(
        app, flask_test_client=http, auth={"role": "network", "link": token, "name": "Eve"}
    )


def test_between_meetings_the_team_works_through_its_link_and_saves_a_version(app, db, seeded):
    n1, n2 = seeded["networks"][:2]
    with transaction(db):  # the network's T0, from a meeting with the Wilder factors
        add_version(
            db,
            n1,
            {
                "schema": 1,
                "template": "wilder",
                "dims": [{"id": "w01", "label": "", "group": "environment", "value": 2, "why": "Poca storia comune"}],
                "reason": "closed",
                "authors": ["Ada"],
                "saved_by": None,
            },
            exercise_type="selfassessment",
        )
    _token, eve = link(app, db, n1)
    _other_token, stranger = link(app, db, n2)
    snap = received(eve, "snapshot")[-1]["args"][0]["workspaces"]["selfassessment"]
    assert snap["view"]["template"] == "wilder" and snap["view"]["units"]["w01"]["v"] == 2
    assert snap["view"]["last"] == {"w01": 2}
    received(stranger)
    assert on_workspace(eve, "rate", dim="w01", value=3, base=1)["ok"]
    assert on_workspace(eve, "explain", dim="w17", text="Una visione scritta insieme", base=0)["ok"]
    assert on_workspace(eve, "save")["ok"]
    assert received(stranger, "event") == [], "another network's link receives nothing"
    saved = versions(db, n1, "selfassessment")
    assert len(saved) == 2 and saved[-1]["meeting_id"] is None and saved[-1]["data"]["saved_by"] == "Eve"
    assert {d["id"]: d["value"] for d in saved[-1]["data"]["dims"]}["w01"] == 3
    assert versions(db, n2, "selfassessment") == []


def render(app, artifact, fmt, names):
    with app.test_request_context():
        out = archive(artifact, fmt, names)
        return str(out) if fmt == "markdown" else render_template_string("{{ html }}", html=out)


def test_every_version_is_a_radar_against_t0_and_the_previous_one_in_every_format(app, db, seeded, login):
    n1 = seeded["networks"][0]

    def assessment(values, why=""):
        return {
            "schema": 1,
            "template": "method",
            "reason": "saved",
            "authors": ["Ada", "Bo"],
            "saved_by": "Ada",
            "dims": [
                {"id": i, "label": "", "group": "", "value": v, "why": why}
                for i, v in zip(("culture", "responsibility", "involvement", "evaluation", "governance"), values)
            ],
        }

    with transaction(db):
        for values in ((1, 2, 1, 1, 2), (2, 2, 3, 1, 3), (4, 3, 3, None, 4)):
            add_version(
                db, n1, assessment(values, "=perché sì"), "Potenziale generativo", exercise_type="selfassessment"
            )
    found = [{**v, "exercise_type": "selfassessment", "network_id": n1} for v in versions(db, n1, "selfassessment")]
    html = render(app, found[-1], "html", names=False)
    assert html.count("<svg") == 1 and 'role="img"' in html and "T0: " in html and "Precedente: " in html
    assert (
        '<th scope="row" dir="auto">1. Cultura di squadra</th><td class="num" dir="auto">1</td>'
        '<td class="num" dir="auto">2</td><td class="num" dir="auto">4</td>'
        in html
    )
    assert "Ada" not in html
    markdown = render(app, found[-1], "markdown", names=True)
    assert "| 4. Pratica della valutazione | 1 | 1 | – | '=perché sì |" in markdown and "Ada, Bo" in markdown
    assert "prima autovalutazione della rete" in render(app, found[0], "markdown", names=False)
    http = app.test_client()
    login(http)
    journey = http.get(f"/f/networks/{n1}/journey").get_data(as_text=True)
    assert 'id="sa-journey"' in journey and journey.count("<svg") == 1
    archive = http.get(f"/f/networks/{n1}/archive").get_data(as_text=True)
    assert 'class="sa-archive"' in archive
