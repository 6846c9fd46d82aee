"""Web security: CSRF on every form, cookie flags, CSP and templates without inline code,
code guessing and login throttling, production secret."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from facilitation import create_app, store, throttle
from facilitation.db import borrowed, migrate

from .test_hostile_input import table_counts

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted([*ROOT.glob("templates/**/*.html"), *ROOT.glob("plugins/*/templates/**/*.html")])
SCRIPTS = sorted([*ROOT.glob("static/js/*.js"), *ROOT.glob("plugins/*/static/*.js")])


@pytest.fixture
def csrf_app(tmp_path, monkeypatch):
    monkeypatch.setenv("FACILITATION_INSTANCE", str(tmp_path))
    app = create_app({"TESTING": True, "SECRET_KEY": "s", "DATABASE": str(tmp_path / "t.db")})
    with borrowed(app) as db:
        migrate(db, app.extensions["facilitation.registry"])
    yield app
    app.extensions["facilitation.pool"].close()


def test_every_post_route_refuses_a_request_without_csrf_token(csrf_app):
    assert csrf_app.config.get("WTF_CSRF_ENABLED", True)
    rules = [r for r in csrf_app.url_map.iter_rules() if "POST" in r.methods]
    assert len(rules) >= 15
    with borrowed(csrf_app) as db:
        before = table_counts(db)
        for rule in rules:
            for as_facilitator in (False, True):
                client = csrf_app.test_client()
                if as_facilitator:
                    with client.session_transaction() as session:
                        session["facilitator_id"] = 1
                url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "ABCDEF" if m.group(1) == "code" else "1", rule.rule)
                response = client.post(url, data={"name": "x", "title": "x", "code": "ABCDEF"})
                assert response.status_code == 400, (rule.rule, response.status_code)
                # The designed error page, saying why (the form had expired), in the person's language.
                assert b'data-reason="csrf"' in response.data, rule.rule
        assert table_counts(db) == before


def test_participant_and_session_cookies_are_httponly_lax_and_secure_in_production(tmp_path, monkeypatch):
    monkeypatch.setenv("FACILITATION_INSTANCE", str(tmp_path))
    for production in (False, True):
        app = create_app({"TESTING": True, "SECRET_KEY": "s", "DATABASE": str(tmp_path / f"{production}.db"),
                          "WTF_CSRF_ENABLED": False, "PRODUCTION": production})
        with borrowed(app) as db:
            migrate(db, app.extensions["facilitation.registry"])
            network = store.save_network(db, {"name": "Rete"})
            lab = store.save_lab(db, {"title": "Lab"}, [network])
            code = store.meeting(db, store.create_meeting(db, lab, {"title": "M"}))["join_code"]
        cookies = {}
        for response in (app.test_client().post(f"/j/{code}", data={"name": "Ada", "network": str(network)}),
                         app.test_client().post("/lang", data={"lang": "en", "next": "/"})):
            for header in response.headers.getlist("Set-Cookie"):
                cookies[header.split("=", 1)[0]] = header
        assert set(cookies) == {"session", "fp_1"}
        for header in cookies.values():
            assert "HttpOnly" in header and "SameSite=Lax" in header, header
            assert ("Secure" in header) == production, header
        app.extensions["facilitation.pool"].close()


def test_csp_forbids_inline_script_and_style(app):
    response = app.test_client().get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_hold_no_inline_script_or_style(path):
    text = path.read_text()
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag or 'type="application/json"' in tag, f"inline script in {path}: {tag}"
    assert not re.search(r"<style\b", text), f"style block in {path}"
    assert not re.search(r"\sstyle\s*=", text), f"style attribute in {path}"
    assert not re.search(r"\son[a-z]+\s*=", text), f"inline event handler in {path}"
    assert "javascript:" not in text
    assert "|safe" not in text.replace(" ", ""), f"unescaped output in {path}"


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_scripts_never_write_html(path):
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", path.read_text(), flags=re.S)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in code, f"{sink} in {path}"


def test_join_codes_cannot_be_enumerated(app, seeded, monkeypatch):
    client = app.test_client()
    for i in range(throttle.CODE.limit):
        assert client.post("/join", data={"code": f"ZZZZ{i:02d}"}).status_code == 404
    # Past the limit even the right code waits: guessing gives nothing away.
    assert client.post("/join", data={"code": seeded["code"]}).status_code == 429
    later = throttle._now() + throttle.CODE.window + 1
    monkeypatch.setattr(throttle, "_now", lambda: later)
    assert client.post("/join", data={"code": seeded["code"]}).status_code == 302


def test_login_is_throttled_per_address_and_account(app, seeded, monkeypatch):
    client = app.test_client()
    for _ in range(throttle.LOGIN.limit):
        assert client.post("/f/login", data={"email": "fac@example.org", "password": "wrong"}).status_code == 401
    ok = client.post("/f/login", data={"email": "fac@example.org", "password": "correct horse battery"})
    assert ok.status_code == 429, "the right password waits too while throttled"
    later = throttle._now() + throttle.LOGIN.window + 1
    monkeypatch.setattr(throttle, "_now", lambda: later)
    assert client.post("/f/login", data={"email": "fac@example.org",
                                         "password": "correct horse battery"}).status_code == 302
    with borrowed(app) as db:
        stored = [r[0] for r in db.execute("SELECT key FROM failed_attempts")]
    assert stored == [], "out of the window, or cleared by a good login: nothing kept"


def test_production_without_a_secret_key_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.setenv("FACILITATION_INSTANCE", str(tmp_path))
    monkeypatch.setenv("FACILITATION_PRODUCTION", "true")
    monkeypatch.delenv("FACILITATION_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()
    monkeypatch.setenv("FACILITATION_SECRET_KEY", "a real secret from the environment")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    app.extensions["facilitation.pool"].close()


def test_behind_a_trusted_proxy_limits_count_the_client_address(tmp_path, monkeypatch):
    from flask import request

    from facilitation import create_app

    monkeypatch.setenv("FACILITATION_INSTANCE", str(tmp_path))
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "p.db"),
                      "WTF_CSRF_ENABLED": False, "TRUSTED_PROXIES": 1})
    seen = []
    app.before_request(lambda: seen.append(request.remote_addr))
    app.test_client().get("/", headers={"X-Forwarded-For": "203.0.113.7"})
    assert seen == ["203.0.113.7"]
