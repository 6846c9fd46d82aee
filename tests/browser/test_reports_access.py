"""In a real browser: a facilitator makes an API token (shown once, with a copy button), a program
reads the API with it, the facilitator revokes it after confirming; a network's team opens its
dossier through its link and sees its own network only. Screenshots at 360 and 1280 px."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from playwright.sync_api import expect

from .conftest import login

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def read_api(server, path: str, token: str) -> int:
    request = urllib.request.Request(server.url + path, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            json.loads(answer.read())
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_an_api_token_is_made_shown_once_used_and_revoked(new_page, live_server, shot):
    page = new_page({"width": 360, "height": 800})
    login(page, live_server)
    page.goto(f"{live_server.url}/f/account")
    page.click("#api-tokens-link")
    expect(page.locator("#no-tokens")).to_be_visible()
    page.click("#create-token")
    expect(page.locator(".error-summary")).to_be_visible()  # a token needs a name
    page.fill("#token-name", "Foglio di monitoraggio")
    page.click("#create-token")
    secret = page.locator("#token-secret").input_value()
    assert secret.startswith("fapi_")
    expect(page.locator("#copy-token")).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0
    shot(page, "token-created-360")
    assert read_api(live_server, "/api/v1/labs", secret) == 200
    page.goto(f"{live_server.url}/f/account/tokens")
    expect(page.locator("#token-secret")).to_have_count(0)  # shown once
    expect(page.locator("#token-list")).to_contain_text("Foglio di monitoraggio")
    page.locator("#token-list button.danger").click()
    page.locator("dialog.dialog [data-role=confirm]").click()
    expect(page.locator("#token-list")).to_contain_text("revocato")
    page.set_viewport_size({"width": 1280, "height": 860})
    shot(page, "token-revoked-1280")
    assert read_api(live_server, "/api/v1/labs", secret) == 401


def test_a_network_team_opens_its_dossier_through_its_link(new_page, live_server, shot):
    fac = new_page()
    login(fac, live_server)
    fac.goto(f"{live_server.url}/f/networks")
    fac.goto(f"{live_server.url}/f/networks/1/archive")
    fac.click("#issue-link")
    link = fac.locator("#new-link").input_value()
    fac.click("#open-dossier")
    expect(fac.locator("h1")).to_contain_text("Ambito di Dalmine")
    expect(fac.locator("input[name=names]")).to_have_count(2)
    team = new_page({"width": 360, "height": 800})
    team.goto(link)
    team.click("#open-dossier")
    expect(team.locator("h1")).to_contain_text("Ambito di Dalmine")
    expect(team.locator("input[name=names]")).to_have_count(0)  # names are the facilitator's choice
    expect(team.locator("#build-dossier-pdf")).to_be_visible()
    assert "Brescia" not in team.content()
    assert team.evaluate(OVERFLOW) <= 0
    shot(team, "dossier-team-360")
    team.set_viewport_size({"width": 1280, "height": 860})
    shot(team, "dossier-team-1280")
