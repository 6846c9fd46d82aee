"""Error pages, network links that can be seen again, the join form that keeps a wrong code, the
participant's team, and the development-only components page: what a person gets from the server."""

from __future__ import annotations

import pytest

from facilitation import linkseal, store
from facilitation.db import transaction

from .conftest import built_app


@pytest.fixture
def erring_app(tmp_path, monkeypatch):
    """The app with a test plugin whose pages fail on purpose (tests/plugins/erring)."""
    with built_app(tmp_path, monkeypatch, PLUGINS=["tests.plugins.erring"], PROPAGATE_EXCEPTIONS=False) as app:
        yield app


@pytest.mark.parametrize(
    "code, italian, english",
    [
        (400, "La richiesta non è comprensibile", "The request could not be understood"),
        (403, "Non puoi aprire questa pagina", "You cannot open this page"),
        (404, "Pagina non trovata", "Page not found"),
        (405, "Questa pagina non si usa così", "This page cannot be used like this"),
        (413, "Ciò che hai inviato è troppo grande", "What you sent is too large"),
        (429, "Troppe richieste", "Too many requests"),
    ],
)
def test_every_error_is_a_designed_page_in_the_readers_language(erring_app, code, italian, english):
    http = erring_app.test_client()
    response = http.get(f"/abort/{code}")
    page = response.get_data(as_text=True)
    assert response.status_code == code
    assert f'data-code="{code}"' in page and f"<h1>{italian}</h1>" in page
    assert 'href="/"' in page and 'href="/f/login"' in page  # a way back
    assert 'class="lang-switch"' in page
    http.post("/lang", data={"lang": "en", "next": "/"})
    assert f"<h1>{english}</h1>" in http.get(f"/abort/{code}").get_data(as_text=True)


def test_a_server_error_is_a_designed_page_too(erring_app, caplog):
    response = erring_app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "<h1>Qualcosa è andato storto</h1>" in page and "Non è cambiato nulla" in page


def test_an_unknown_page_and_an_unknown_network_link_say_what_happened(app):
    http = app.test_client()
    page = http.get("/no/such/page").get_data(as_text=True)
    assert "<h1>Pagina non trovata</h1>" in page and "Not Found" not in page
    response = http.get("/n/not-a-link-of-anyone")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "<h1>Questo link della rete non è valido</h1>" in page
    assert "revocato o sostituito" in page


def test_a_network_link_is_sealed_at_rest_and_shown_again(app, seeded, login, db):
    http = app.test_client()
    login(http)
    network = seeded["networks"][0]
    issued = http.post(f"/f/networks/{network}/link")
    assert issued.status_code == 302  # then the network's page: a reload issues nothing new
    page = http.get(issued.headers["Location"]).get_data(as_text=True)
    assert "Il link è pronto" in page
    link = page.split('id="new-link" value="', 1)[1].split('"', 1)[0]
    token = link.rsplit("/n/", 1)[1]
    stored = db.execute("SELECT token_hash, secret_sealed FROM network_links WHERE revoked_at IS NULL").fetchone()
    assert token not in stored[0] and token not in stored[1]  # neither the hash nor the sealed secret shows it
    with app.app_context():
        assert linkseal.unseal(stored[1]) == token
    # Seen again later, with a copy button.
    again = http.get(f"/f/networks/{network}/archive").get_data(as_text=True)
    assert f'value="{link}"' in again and 'id="copy-link"' in again
    assert http.get(f"/n/{token}").status_code == 200


def test_a_link_that_cannot_be_shown_again_says_to_issue_a_new_one(app, seeded, login, db, tmp_path, monkeypatch):
    network = seeded["networks"][0]
    with transaction(db):
        store.issue_network_link(db, network, seeded["facilitator"])  # issued before secrets were sealed
    http = app.test_client()
    login(http)
    page = http.get(f"/f/networks/{network}/archive").get_data(as_text=True)
    assert 'id="link-hidden"' in page and 'id="new-link"' not in page
    assert "crea un nuovo link per vederlo" in page

    # Sealed under another SECRET_KEY (the key was changed): unreadable, never wrong.
    with transaction(db):
        store.issue_network_link(db, network, seeded["facilitator"], seal=lambda t: linkseal.seal(t, app))
    other = tmp_path / "other"
    other.mkdir()
    with built_app(other, monkeypatch, SECRET_KEY="another-secret", DATABASE=app.config["DATABASE"]) as changed:
        http = changed.test_client()
        login(http)
        page = http.get(f"/f/networks/{network}/archive").get_data(as_text=True)
        assert 'id="link-hidden"' in page and 'id="new-link"' not in page


def test_a_wrong_join_code_keeps_what_was_typed(app, seeded):
    response = app.test_client().post("/join", data={"code": "ZZZ 999"})
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert 'value="ZZZ 999"' in page and 'aria-invalid="true"' in page
    assert 'class="error-summary"' in page and 'href="#code"' in page


def test_the_participant_page_names_the_current_team_and_knows_the_other_teams(app, seeded, db):
    http = app.test_client()
    http.post(f"/j/{seeded['code']}", data={"name": "Ada", "network": str(seeded["networks"][0])})
    page = http.get(f"/j/{seeded['code']}").get_data(as_text=True)
    assert "Squadra: <bdi>Ambito di Dalmine</bdi>" in page
    assert 'id="network-names"' in page and "Brescia" in page
    with transaction(db):
        store.merge_networks(db, seeded["meeting"], [seeded["networks"][1], seeded["networks"][0]])
    assert "Squadra: <bdi>Brescia</bdi>" in http.get(f"/j/{seeded['code']}").get_data(as_text=True)


def test_the_components_page_exists_in_development_only(app, tmp_path, monkeypatch):
    assert app.test_client().get("/dev/components").status_code == 200
    prod = tmp_path / "prod"
    prod.mkdir()
    with built_app(prod, monkeypatch, PRODUCTION=True) as production:
        assert production.test_client().get("/dev/components").status_code == 404
