"""The facilitator's pages over HTTP: log in, networks, labs, meetings, agenda, archive."""

from __future__ import annotations

import re

import pytest

from facilitation import store, throttle

from .conftest import PASSWORD, answer, control


@pytest.fixture
def fac(app, seeded, login):
    http = app.test_client()
    assert login(http).status_code == 302
    return http


def text(response) -> str:
    return response.get_data(as_text=True)


def follow(http, response):
    assert response.status_code == 302, response.status_code
    return http.get(response.headers["Location"])


def test_login_refuses_a_wrong_password_then_throttles(app, seeded, login, monkeypatch):
    http = app.test_client()
    http.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert http.get("/f/").headers["Location"].startswith("/f/login")
    wrong = login(http, password="not the password")
    assert wrong.status_code == 401 and "Email o password errate." in text(wrong)
    assert http.get("/f/").status_code == 302  # still not logged in
    for _ in range(throttle.LOGIN.limit - 1):
        assert login(http, password="guess").status_code == 401
    blocked = login(http, password=PASSWORD)  # even the right password waits now
    assert blocked.status_code == 429 and "Troppi tentativi falliti" in text(blocked)
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.10"
    blocked_account = login(other, password=PASSWORD)  # the account is throttled from anywhere
    assert blocked_account.status_code == 429
    later = throttle._now() + throttle.LOGIN.window + 1
    monkeypatch.setattr(throttle, "_now", lambda: later)  # a quarter of an hour later
    ok = login(other)
    assert ok.status_code == 302 and ok.headers["Location"] == "/f/"


def test_networks_are_added_and_edited(fac, db):
    page = text(
        follow(
            fac,
            fac.post(
                "/f/networks", data={"name": "Alto Garda", "lead_body": "Comune di Riva", "territory": "Trentino"}
            ),
        )
    )
    assert "Rete aggiunta." in page and 'value="Alto Garda"' in page
    duplicate = text(follow(fac, fac.post("/f/networks", data={"name": "Alto Garda"})))
    assert "Esiste già una rete con questo nome." in duplicate
    assert "Una rete ha bisogno di un nome." in text(follow(fac, fac.post("/f/networks", data={"name": " "})))
    found = store.row(db, "SELECT * FROM networks WHERE name = 'Alto Garda'")
    saved = text(
        follow(
            fac,
            fac.post(
                f"/f/networks/{found['id']}",
                data={"name": "Alto Garda e Ledro", "lead_body": "Comune di Riva del Garda", "territory": "Trentino"},
            ),
        )
    )
    assert "Rete salvata." in saved
    assert store.network(db, found["id"])["name"] == "Alto Garda e Ledro"
    assert store.row(db, "SELECT count(*) AS n FROM networks WHERE name LIKE 'Alto Garda%'")["n"] == 1


def test_labs_are_created_and_edited_with_their_networks(fac, seeded, db):
    n1, n2, n3 = seeded["networks"]
    refused = fac.post("/f/labs/new", data={"title": "", "networks": [str(n1)]})
    assert refused.status_code == 400 and "Un laboratorio ha bisogno di un titolo." in text(refused)
    created = fac.post(
        "/f/labs/new",
        data={"title": "Mediazione interculturale", "theme": "mediazione", "networks": [str(n1), str(n3)]},
    )
    lab_id = int(created.headers["Location"].rsplit("/", 1)[1])
    page = text(follow(fac, created))
    assert "Mediazione interculturale" in page and "Rete esterna" in page
    assert [n["id"] for n in store.lab_networks(db, lab_id)] == [n1, n3]
    saved = text(follow(fac, fac.post(f"/f/labs/{lab_id}", data={"title": "Mediazione", "networks": [str(n2)]})))
    assert "Laboratorio salvato." in saved
    assert store.lab(db, lab_id)["title"] == "Mediazione"
    assert [n["id"] for n in store.lab_networks(db, lab_id)] == [n2]


def test_meeting_is_created_and_its_agenda_built_from_declared_fields(fac, seeded, db):
    lab = seeded["lab"]
    assert "Un incontro ha bisogno di un titolo." in text(
        follow(fac, fac.post(f"/f/labs/{lab}/meetings", data={"title": ""}))
    )
    created = fac.post(f"/f/labs/{lab}/meetings", data={"title": "Incontro 3", "starts_at": "2026-12-15T09:30"})
    meeting_id = int(created.headers["Location"].rsplit("/", 1)[1])
    page = text(follow(fac, created))
    meeting = store.meeting(db, meeting_id)
    assert meeting["state"] == "draft" and store.format_code(meeting["join_code"]) in page
    assert "Il programma è vuoto: aggiungi un esercizio." in page
    lab_page = text(fac.get(f"/f/labs/{lab}"))
    assert "15 dic 2026, 09:30" in lab_page and "2026-12-15T09:30" not in lab_page, "the date as people read it"

    new_url = f"/f/meetings/{meeting_id}/items"

    def add_poll(config):
        return fac.post(new_url, data={"type": "poll", **config})

    # Choosing a type opens its config form, generated from the poll's declared fields; the agenda
    # gets nothing until a valid form is sent.
    form = text(fac.get(new_url + "?type=poll"))
    for name in ("title", "kind", "options", "scale_low", "scale_high", "hide_results"):
        assert f'name="{name}"' in form
    assert "Domanda" in form and '<option value="scale"' in form and "Scala da 1 a 5" in form
    assert fac.get(new_url + "?type=nothing").status_code == 404
    missing = add_poll({"title": "", "kind": "single", "options": "A\nB"})
    assert missing.status_code == 400 and "è obbligatorio" in text(missing)
    one_option = add_poll({"title": "Chi siete?", "kind": "single", "options": "Solo una"})
    assert one_option.status_code == 400
    assert "Un sondaggio a scelta ha bisogno di almeno due opzioni." in text(one_option)
    assert 'value="Chi siete?"' in text(one_option)  # what was typed is kept
    assert store.agenda(db, meeting_id) == []
    saved = add_poll({"title": "Chi siete?", "kind": "single", "options": "Scuola\nComune\n\n"})
    assert "Esercizio aggiunto al programma." in text(follow(fac, saved))
    first = store.agenda(db, meeting_id)[0]
    assert first["config"]["options"] == ["Scuola", "Comune"] and first["config"]["hide_results"] is False

    add_poll({"title": "Quanto?", "kind": "scale"})
    add_poll({"title": "Una parola", "kind": "open"})
    titles = lambda: [i["config"]["title"] for i in store.agenda(db, meeting_id)]  # noqa: E731
    assert titles() == ["Chi siete?", "Quanto?", "Una parola"]
    third = store.agenda(db, meeting_id)[2]["id"]
    fac.post(f"/f/items/{third}/move", data={"dir": "up"})
    assert titles() == ["Chi siete?", "Una parola", "Quanto?"]
    fac.post(f"/f/items/{first['id']}/move", data={"dir": "up"})  # already first: stays
    assert titles() == ["Chi siete?", "Una parola", "Quanto?"]
    # Removing asks first: without the dialog's answer, the confirmation page, and nothing removed.
    asked = fac.post(f"/f/items/{third}/delete")
    assert asked.status_code == 200 and "Togliere dal programma «<bdi>Una parola</bdi>»?" in text(asked)
    assert titles() == ["Chi siete?", "Una parola", "Quanto?"]
    removed = fac.post(f"/f/items/{third}/delete", data={"confirmed": "yes"})
    assert "Esercizio tolto dal programma." in text(follow(fac, removed))
    assert titles() == ["Chi siete?", "Quanto?"]
    page = text(fac.get(f"/f/meetings/{meeting_id}"))
    assert page.index("Chi siete?") < page.index("Quanto?")

    # Starting the meeting opens the console on the first exercise.
    started = fac.post(f"/f/meetings/{meeting_id}/start")
    assert started.headers["Location"] == f"/f/meetings/{meeting_id}/console"
    meeting = store.meeting(db, meeting_id)
    assert meeting["state"] == "live" and meeting["current_item_id"] == first["id"]
    console = text(fac.get(started.headers["Location"]))
    assert "Vista per il proiettore" in console and store.format_code(meeting["join_code"]) in console


def test_used_exercise_cannot_be_deleted(fac, sockets, seeded, db):
    control(sockets.facilitator(), "start")
    control(sockets.facilitator(), "open", item=seeded["single"])
    refused = text(follow(fac, fac.post(f"/f/items/{seeded['single']}/delete")))
    assert "Un esercizio già usato resta nella documentazione" in refused
    assert store.item(db, seeded["single"]) is not None


def network_part(page: str) -> str:
    """The 'this network' column of the poll artifact on an archive page."""
    return page.split("<h5>Questa rete</h5>", 1)[1].split("<h5>Tutti</h5>", 1)[0]


def test_network_archive_lists_a_locked_poll_by_lab_and_meeting(fac, sockets, seeded):
    n1, n2, n3 = seeded["networks"]
    facilitator = sockets.facilitator()
    ada = sockets.participant("Ada", n1)
    bo = sockets.participant("Bo", n2)
    control(facilitator, "start")
    control(facilitator, "open", item=seeded["single"])
    assert answer(ada, seeded["single"], 0)["ok"] and answer(bo, seeded["single"], 2)["ok"]
    control(facilitator, "lock", item=seeded["single"])

    page = text(fac.get(f"/f/networks/{n1}/archive")).split('<main id="main"', 1)[1]
    assert page.index('<h2 dir="auto">Lab</h2>') < page.index("<h3><bdi>Incontro 1") < page.index("<h4><bdi>Q1")
    assert "versione 1 di 1" in page
    mine = network_part(page)
    assert re.findall(r'<td class="num">(\d+)</td>', mine) == ["1", "0", "0"]
    assert "1 risposta" in mine
    assert "2 risposte" in page.split("<h5>Tutti</h5>", 1)[1]
    theirs = network_part(text(fac.get(f"/f/networks/{n2}/archive")))
    assert re.findall(r'<td class="num">(\d+)</td>', theirs) == ["0", "0", "1"]
    assert "Ancora nulla in archivio per questa rete." in text(fac.get(f"/f/networks/{n3}/archive"))
    assert fac.get("/f/networks/999/archive").status_code == 404
