"""The join form is rendered once for everyone arriving with a meeting's link (``pagecache``):
each visitor still gets a token of their own, and what the page shows follows every change."""

from __future__ import annotations

import re

import pytest
from flask import url_for

from facilitation import store
from facilitation.api.testing import built_app
from facilitation.auth import create_facilitator
from facilitation.db import borrowed, transaction

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def meeting(tmp_path, monkeypatch):
    with built_app(tmp_path, monkeypatch, WTF_CSRF_ENABLED=True) as app, borrowed(app) as db:
        with transaction(db):
            networks = [store.save_network(db, {"name": name}) for name in ("Rete Nord", "Rete Sud")]
            lab = store.save_lab(db, {"title": "Lab"}, networks)
            meeting_id = store.create_meeting(db, lab, {"title": "Plenaria di apertura"})
        yield {"app": app, "db": db, "lab": lab, "networks": networks, "id": meeting_id,
               "code": store.meeting(db, meeting_id)["join_code"]}


def tokens(page: str) -> set[str]:
    return set(TOKEN.findall(page))


def test_each_visitor_gets_a_token_of_their_own_and_only_their_own_works(meeting):
    app, code = meeting["app"], meeting["code"]
    ada, bo = app.test_client(), app.test_client()
    ada_page, bo_page = ada.get(f"/j/{code}").text, bo.get(f"/j/{code}").text
    assert len(tokens(ada_page)) == 1 and len(tokens(bo_page)) == 1  # the form and the language switch
    assert tokens(ada_page) != tokens(bo_page)
    assert TOKEN.sub("", ada_page) == TOKEN.sub("", bo_page)  # otherwise the same page
    (bo_token,) = tokens(bo_page)
    form = {"name": "Ada", "network": str(meeting["networks"][0])}
    assert ada.post(f"/j/{code}", data={**form, "csrf_token": bo_token}).status_code == 400
    (ada_token,) = tokens(ada_page)
    assert ada.post(f"/j/{code}", data={**form, "csrf_token": ada_token}).status_code == 302


def test_the_page_shows_a_new_title_a_new_network_and_the_visitors_language_at_once(meeting):
    app, db, code = meeting["app"], meeting["db"], meeting["code"]
    first = app.test_client().get(f"/j/{code}").text
    assert "Plenaria di apertura" in first and "Il tuo nome" in first
    with transaction(db):
        db["meetings"].update(meeting["id"], {"title": "Plenaria finale"})
        extra = store.save_network(db, {"name": "Rete Est"})
        store.save_lab(db, {"title": "Lab"}, [*meeting["networks"], extra], lab_id=meeting["lab"])
    again = app.test_client().get(f"/j/{code}").text
    assert "Plenaria finale" in again and "Plenaria di apertura" not in again and "Rete Est" in again
    reader = app.test_client()
    with reader.session_transaction() as session:
        session["lang"] = "en"  # chosen with the page's language switch
    english = reader.get(f"/j/{code}").text
    assert "Your name" in english and 'lang="en"' in english
    assert "Il tuo nome" in app.test_client().get(f"/j/{code}").text


def test_a_facilitator_sees_the_join_page_with_their_own_menu_and_visitors_never_do(meeting):
    app, code = meeting["app"], meeting["code"]
    with transaction(meeting["db"]):
        create_facilitator(meeting["db"], "fac@example.org", "Fac", "a long enough password")
    facilitator = app.test_client()
    with app.test_request_context():
        login = url_for("auth.login")
    (token,) = tokens(facilitator.get(login).text)
    assert facilitator.post(login, data={"csrf_token": token, "email": "fac@example.org",
                                            "password": "a long enough password"}).status_code == 302
    assert 'aria-label="Facilitatore"' in facilitator.get(f"/j/{code}").text
    assert 'aria-label="Facilitatore"' not in app.test_client().get(f"/j/{code}").text
