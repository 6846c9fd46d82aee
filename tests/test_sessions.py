"""Facilitator sessions end on the server: logging out, "log out everywhere" and a new password
end them for every copy of the cookie, on HTTP and on the live connection; idle or old sessions
end by themselves. The replay tests copy a real session cookie into another client of the real
server (``facilitation serve``), as someone who copied it would."""

from __future__ import annotations

import copy
import re

import pytest
import socketio

from facilitation import auth, store

from .liveserver import FormClient, LiveClient, wait_until


def dashboard(http: FormClient) -> bool:
    """Whether this client reaches the facilitator's dashboard (not the login form)."""
    status, body = http.get("/f/")
    return status == 200 and 'name="password"' not in body and "/f/labs/new" in body


def copy_of(http: FormClient, server) -> FormClient:
    """Another client holding a copy of ``http``'s cookies (a stolen or copied session cookie)."""
    thief = FormClient(server.url)
    for cookie in http.jar:
        thief.jar.set_cookie(copy.copy(cookie))
    return thief


def console_connects(server, http: FormClient) -> bool:
    client = LiveClient(server, http, server.meeting_id, role="console", reconnect=False)
    try:
        client.connect()
    except socketio.exceptions.ConnectionError:
        return False
    client.close()
    return True


def logged_in(server) -> FormClient:
    http = FormClient(server.url)
    http.login(server.email, server.password)
    assert dashboard(http)
    return http


def test_a_copied_cookie_stops_working_when_its_session_logs_out(live_server):
    server = live_server
    owner = logged_in(server)
    thief = copy_of(owner, server)
    assert dashboard(thief) and console_connects(server, thief), "a copy works while the session is open"
    other_device = logged_in(server)

    owner.post("/f/logout", {}, token_from="/f/")
    assert not dashboard(owner)
    assert not dashboard(thief), "the copied cookie still opened the dashboard after logging out"
    assert not console_connects(server, thief), "the copied cookie still opened the live console"
    assert dashboard(other_device), "logging out ends this session only"


def test_log_out_everywhere_and_a_new_password_end_every_session(live_server):
    server = live_server
    me, laptop = logged_in(server), logged_in(server)
    thief = copy_of(me, server)
    console = LiveClient(server, laptop, server.meeting_id, role="console", reconnect=False)
    console.connect()
    assert wait_until(lambda: console.snapshots, 10)
    status, page = me.get("/f/account")
    assert status == 200 and "connesso su 2 browser o dispositivi" in page  # the copy is the same session

    me.post("/f/account/logout-everywhere", {}, token_from="/f/account")
    assert not any(dashboard(c) for c in (me, laptop, thief))
    assert wait_until(lambda: not console.sio.connected, 10), "the open console stayed connected"
    assert not console_connects(server, laptop) and not console_connects(server, thief)

    # A new password: every other session ends; this browser stays in with a new one.
    me.login(server.email, server.password)
    laptop.login(server.email, server.password)
    thief = copy_of(me, server)
    new_password = "a new and longer passphrase"
    status, body = me.post("/f/account", {"current_password": server.password, "new_password": new_password,
                                          "confirm_password": new_password})
    assert status == 200 and "Password cambiata" in body
    assert dashboard(me) and console_connects(server, me)
    assert not dashboard(laptop) and not dashboard(thief) and not console_connects(server, thief)
    with pytest.raises(RuntimeError):
        FormClient(server.url).login(server.email, server.password)
    FormClient(server.url).login(server.email, new_password)


def test_idle_and_old_sessions_end_by_themselves(app, seeded, login, monkeypatch):
    http = app.test_client()
    login(http)
    assert http.get("/f/").status_code == 200
    start = auth._now()
    idle = app.config["SESSION_IDLE_MINUTES"] * 60
    # Used now and then: it stays open past the idle limit...
    for step in (0.6, 1.2, 1.8):
        monkeypatch.setattr(auth, "_now", lambda s=step: start + s * idle)
        assert http.get("/f/").status_code == 200, step
    # ...but not once idle for longer than the limit,
    monkeypatch.setattr(auth, "_now", lambda: start + 3.0 * idle + 1)
    assert http.get("/f/").status_code == 302
    assert http.get("/f/").status_code == 302  # and the cookie lost its facilitator for good

    other = app.test_client()
    monkeypatch.setattr(auth, "_now", lambda: start)
    login(other)
    longest = app.config["SESSION_MAX_DAYS"] * 86400
    at = start
    while at < start + longest - idle:  # in use every half idle period, for days
        at += idle / 2
        monkeypatch.setattr(auth, "_now", lambda a=at: a)
        assert other.get("/f/").status_code == 200
    monkeypatch.setattr(auth, "_now", lambda: start + longest + 1)
    assert other.get("/f/").status_code == 302, "a session ends at SESSION_MAX_DAYS however busy"


def test_a_session_with_no_server_row_is_not_a_facilitator(app, seeded, db):
    """A cookie signed with the right key but naming no open session (an older cookie, a forged
    payload) is logged out: the facilitator id in it is not enough."""
    http = app.test_client()
    with http.session_transaction() as session:
        session["facilitator_id"] = seeded["facilitator"]
        session["facilitator_name"] = "Fac"
    assert http.get("/f/").status_code == 302
    with http.session_transaction() as session:
        assert "facilitator_id" not in session
    socket = app.extensions["socketio"].test_client(app, flask_test_client=http,
                                                    auth={"meeting": seeded["meeting"], "role": "console"})
    assert not socket.is_connected()
    assert store.facilitator_session_count(db, seeded["facilitator"]) == 0


def test_the_account_page_explains_each_error_and_changes_nothing(app, seeded, login, db):
    http = app.test_client()
    login(http)
    before = store.facilitator(db, seeded["facilitator"])["password_hash"]
    page = http.post("/f/account", data={"current_password": "wrong", "new_password": "short",
                                         "confirm_password": "other"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "<title>Errore: Il tuo account" in html
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert re.findall(r'href="#(\w+)"', summary) == ["current_password", "new_password"]
    assert 'aria-describedby="new_password-hint new_password-error"' in html
    assert 'autofocus' in summary.split(">", 1)[0] + html.split('class="error-summary"', 1)[0][-200:]
    page = http.post("/f/account", data={"current_password": "correct horse battery",
                                         "new_password": "long enough now", "confirm_password": "not the same"})
    assert page.status_code == 400 and 'href="#confirm_password"' in page.get_data(as_text=True)
    assert store.facilitator(db, seeded["facilitator"])["password_hash"] == before
    assert http.get("/f/").status_code == 200, "a refused change leaves the session open"
    # Guessing the current password from a stolen session is throttled like a login.
    for _ in range(10):
        http.post("/f/account", data={"current_password": "guess", "new_password": "long enough now",
                                      "confirm_password": "long enough now"})
    page = http.post("/f/account", data={"current_password": "correct horse battery",
                                         "new_password": "long enough now", "confirm_password": "long enough now"})
    assert page.status_code == 429
    assert store.facilitator(db, seeded["facilitator"])["password_hash"] == before
