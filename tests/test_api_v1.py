"""The read API (/api/v1): every endpoint checked against the OpenAPI document the app serves by a
schema-driven tool (schemathesis), with a facilitator's API token and with a network link; a
network link reads its own network only; a revoked token is refused; tokens are made, shown once,
stored hashed and revoked from the account's pages."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from facilitation import create_app, store
from facilitation.db import borrowed, migrate, transaction

from . import reports_world


@pytest.fixture(scope="module")
def api_world(tmp_path_factory):
    path = tmp_path_factory.mktemp("api")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FACILITATION_INSTANCE", str(path))
        app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE": str(path / "test.db"),
                          "WTF_CSRF_ENABLED": False})
        with borrowed(app) as db:
            migrate(db, app.extensions["facilitation.registry"])
            made = reports_world.build(app, db)
            with transaction(db):
                _id, token = store.add_api_token(db, made["facilitator"], "Monitoraggio")
                link_a = store.issue_network_link(db, made["networks"]["A"], made["facilitator"])
        yield {"app": app, "token": token, "link": link_a, **made}
        app.extensions["facilitation.pool"].close()


@pytest.fixture(scope="module")
def api_schema(api_world):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_world["app"])


FEW = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def every_operation_matches(schema, headers) -> int:
    """Cases generated from the document for every operation (valid ones, and ones the document
    says are not), each sent and its answer checked against the document: status documented,
    body matching its schema, content type, no server error. (Schemathesis' pytest plugin needs
    an older pytest; its Python API drives Hypothesis the same way.)"""
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @FEW
        def run(case):
            case.call_and_validate(headers=headers)

        run()
        checked += 1
    return checked


def test_every_endpoint_matches_its_document_with_a_token(api_schema, api_world):
    assert every_operation_matches(api_schema, {"Authorization": f"Bearer {api_world['token']}"}) == 8


def test_every_endpoint_matches_its_document_with_a_network_link(api_schema, api_world):
    assert every_operation_matches(api_schema, {"X-Network-Link": api_world["link"]}) == 8


def get(api_world, url, **headers):
    return api_world["app"].test_client().get(url, headers=headers)


def test_the_document_is_generated_and_describes_both_ways_in(api_world):
    doc = get(api_world, "/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.") and doc["info"]["version"] == "1.0"
    assert set(doc["components"]["securitySchemes"]) == {"token", "networkLink"}
    assert {"/api/v1/networks", "/api/v1/networks/{network_id}", "/api/v1/networks/{network_id}/archive",
            "/api/v1/labs", "/api/v1/labs/{lab_id}", "/api/v1/meetings/{meeting_id}",
            "/api/v1/meetings/{meeting_id}/results", "/api/v1/dashboard"} == set(doc["paths"])


def test_a_token_reads_everything_and_the_figures_are_the_dashboards(api_world):
    auth = {"Authorization": f"Bearer {api_world['token']}"}
    assert len(get(api_world, "/api/v1/networks", **auth).get_json()) == 4
    meeting = get(api_world, f"/api/v1/meetings/{api_world['meetings']['M1']}", **auth).get_json()
    assert meeting["participation"] == {"attendances": 3, "people": 3, "hours": 4.0, "participant_hours": 8.5,
                                        "networks": 2}
    assert "Ada Rossi" not in str(meeting)
    results = get(api_world, f"/api/v1/meetings/{api_world['meetings']['M1']}/results", **auth).get_json()
    assert sorted(r["network_id"] for r in results) == sorted(api_world["networks"][k] for k in "ABC")
    figures = get(api_world, f"/api/v1/dashboard?lab={api_world['labs'][0]}", **auth).get_json()
    summary = figures["sections"][0]["figures"][0]
    assert summary["key"] == "summary" and summary["rows"][0][1] == 6 and summary["rows"][4][1] == 13.0
    assert get(api_world, "/api/v1/dashboard?from=yesterday", **auth).status_code == 422
    assert get(api_world, "/api/v1/dashboard?lab=99999", **auth).status_code == 404


def test_a_network_link_reads_its_own_network_only(api_world):
    a, b = api_world["networks"]["A"], api_world["networks"]["B"]
    link = {"X-Network-Link": api_world["link"]}
    assert [n["id"] for n in get(api_world, "/api/v1/networks", **link).get_json()] == [a]
    assert get(api_world, f"/api/v1/networks/{a}", **link).status_code == 200
    archive = get(api_world, f"/api/v1/networks/{a}/archive", **link).get_json()
    assert archive and {r["network_id"] for r in archive} == {a}
    for url in (f"/api/v1/networks/{b}", f"/api/v1/networks/{b}/archive"):
        response = get(api_world, url, **link)
        assert response.status_code == 404 and "Brescia" not in response.get_data(as_text=True)
    for url in ("/api/v1/labs", f"/api/v1/meetings/{api_world['meetings']['M1']}", "/api/v1/dashboard"):
        assert get(api_world, url, **link).status_code == 403


def test_without_a_token_nothing_and_a_session_is_not_a_token(api_world):
    app = api_world["app"]
    client = app.test_client()
    client.post("/f/login", data={"email": "fac@example.org", "password": reports_world.PASSWORD})
    response = client.get("/api/v1/networks")
    assert response.status_code == 401 and response.get_json()["code"] == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert get(api_world, "/api/v1/networks", Authorization="Bearer fapi_not-a-token").status_code == 401
    assert get(api_world, "/api/v1/networks", Authorization=f"Bearer {api_world['link']}").status_code == 401
    assert get(api_world, "/api/v1/nothing-here", Authorization=f"Bearer {api_world['token']}").get_json()["code"] == 404


def test_tokens_are_created_shown_once_stored_hashed_and_revoked(api_world):
    app = api_world["app"]
    client = app.test_client()
    client.post("/f/login", data={"email": "fac@example.org", "password": reports_world.PASSWORD})
    assert client.post("/f/account/tokens", data={"name": "   "}).status_code == 400
    page = client.post("/f/account/tokens", data={"name": "Foglio regionale"}).get_data(as_text=True)
    secret = re.search(r'id="token-secret" value="(fapi_[\w-]+)"', page).group(1)
    assert get(api_world, "/api/v1/labs", Authorization=f"Bearer {secret}").status_code == 200
    listed = client.get("/f/account/tokens").get_data(as_text=True)
    assert "Foglio regionale" in listed and secret not in listed, "shown once"
    with borrowed(app) as db:
        token_id, stored = db.execute("SELECT id, token_hash FROM api_tokens WHERE name = 'Foglio regionale'"
                                      ).fetchone()
    assert stored == store.hash_token(secret) and secret not in stored
    assert f'id="revoke-token-{token_id}"' in listed
    assert client.post(f"/f/account/tokens/{token_id}/revoke").status_code == 302
    response = get(api_world, "/api/v1/labs", Authorization=f"Bearer {secret}")
    assert response.status_code == 401, "a revoked token is refused"
    other = app.test_client()
    assert other.post(f"/f/account/tokens/{token_id}/revoke").status_code == 302  # to the login page
