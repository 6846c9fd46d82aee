"""The design in a real browser: every main view at 360, 1280 and 1920 px (screenshots in
test-artifacts/), none scrolling sideways on a phone, tap targets of 44 px; and the problems a
review found on phones, network links and elsewhere, each seen as a person would see it."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from .conftest import connected, join, login, start_meeting

WIDTHS = (360, 1280, 1920)
# A canvas version of the first demo network, twice (T0 and a later one), for the version and compare pages.
CANVAS = {
    "schema": "facilitation.squad/1",
    "goal": "Una comunità che accoglie",
    "needs": "Famiglie isolate",
    "strategies": [
        {"id": "s1", "title": "Mediazione nelle scuole", "objectives": [{"id": "o1", "text": "Tre sportelli"}]}
    ],
    "roles": [
        {
            "id": "r1",
            "title": "Mediatore culturale",
            "organisation": "Cooperativa Ponti",
            "profession": "mediatore",
            "manages": ["s1"],
        },
        {
            "id": "r2",
            "title": "Referente scolastico",
            "organisation": "Istituto comprensivo",
            "profession": "docente",
            "manages": [],
        },
    ],
    "interactions": [
        {
            "id": "i1",
            "source": "r1",
            "target": "r2",
            "what": "casi da seguire",
            "channel": "incontro",
            "frequency": "mensile",
        }
    ],
}

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# The innermost elements that stick out on the inline end, to say what pushes the page.
STICKING_OUT = """() => [...document.querySelectorAll('body *')]
  .filter((n) => n.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5
    && ![...n.children].some((c) => c.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5))
  .slice(0, 5).map((n) => n.tagName + '.' + n.className + ' ' + (n.textContent || '').trim().slice(0, 30))"""
# Controls a finger uses, smaller than 44 px on either side (links inside text are exempt).
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'button, select, a.button, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), summary, label.check')]
  .filter((n) => n.offsetParent !== null && !n.closest('.visually-hidden, .no-js-only'))
  .map((n) => [n, n.getBoundingClientRect()])
  .filter(([n, r]) => r.width > 2 && (Math.round(r.height) < 44 || Math.round(r.width) < 44))
  .map(([n, r]) => n.tagName + (n.id ? '#' + n.id : '') + '.' + n.className + ' ' + Math.round(r.width) + 'x' + Math.round(r.height))"""


class Survey:
    """Looks at a page at each width: a screenshot each, and what a phone user would suffer."""

    def __init__(self, shot):
        self.shot = shot
        self.sideways: dict[str, list] = {}
        self.small: dict[str, list[str]] = {}
        self.seen: list[str] = []

    def __call__(self, page, name: str) -> None:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            if width == 360:
                extra = page.evaluate(OVERFLOW)
                if extra > 0:
                    self.sideways[name] = [extra, page.evaluate(STICKING_OUT)]
                small = page.evaluate(SMALL_TARGETS)
                if small:
                    self.small[name] = small
            self.shot(page, f"{name}-{width}")
        page.set_viewport_size({"width": 1280, "height": 860})
        self.seen.append(name)


def add_versions(server) -> None:
    server.python(
        "from facilitation.api.testing import add_version\n"
        "canvas = values['canvas']\n"
        "add_version(db, 1, {'schema': 'facilitation.squad/1', 'canvas': canvas, 'reason': 'closed', 'authors': ['Ada']}, 'Squadra', exercise_type='squad')\n"
        "later = dict(canvas, goal='Una comunità che accoglie e cura')\n"
        "add_version(db, 1, {'schema': 'facilitation.squad/1', 'canvas': later, 'reason': 'saved', 'authors': ['Bo']}, 'Squadra', exercise_type='squad')\n",
        canvas=CANVAS,
    )


def test_every_main_view_at_360_1280_and_1920_px_no_sideways_scroll(live_server, new_page, facilitator_page, shot):
    survey = Survey(shot)
    add_versions(live_server)
    url = live_server.url

    visitor = new_page()
    for name, path in [
        ("home", "/"),
        ("join", f"/j/{live_server.code}"),
        ("login", "/f/login"),
        ("components", "/dev/components"),
        ("error-404", "/no/such/page"),
        ("error-link-404", "/n/not-a-link-of-anyone"),
    ]:
        visitor.goto(url + path)
        survey(visitor, name)
    visitor.goto(url + "/")
    visitor.fill("#code", "ZZZ999")
    visitor.click("main form button[type=submit]")
    survey(visitor, "home-wrong-code")
    # A form whose security token expired: the designed 400 page.
    visitor.goto(url + "/")
    visitor.evaluate("document.querySelector('main input[name=csrf_token]').value = 'expired'")
    visitor.fill("#code", live_server.code)
    visitor.click("main form button[type=submit]")
    expect(visitor.locator("#error")).to_have_attribute("data-code", "400")
    survey(visitor, "error-400")

    fac = facilitator_page
    survey(fac, "dashboard")
    fac.click("text=Coprogettazione e welfare di comunità")
    survey(fac, "lab")
    fac.click("text=Incontro 1 - Leggere la rete")
    survey(fac, "meeting-agenda")
    fac.locator(".agenda-item a", has_text="Modifica").first.click()
    fac.wait_for_selector("#f-title")
    survey(fac, "item-form")
    fac.goto(url + "/f/networks")
    survey(fac, "networks")
    fac.goto(url + "/f/networks/1/archive")
    fac.click("#issue-link")
    link = fac.locator("#new-link").input_value()
    survey(fac, "network-archive-facilitator")

    start_meeting(fac, live_server)
    phone = new_page(viewport={"width": 360, "height": 800})
    phone.goto(f"{url}/j/{live_server.code}")
    join(phone, live_server, "Ada Lovelace", "Ambito di Dalmine")
    other = new_page()
    other.goto(f"{url}/j/{live_server.code}")
    join(other, live_server, "Bo", "Garbagnate Milanese")
    fac.locator("#agenda button").first.click()
    fac.click('[data-cmd="open"]')
    phone.wait_for_selector("#exercise .choices")
    survey(phone, "participant-poll-open")
    survey(fac, "console-poll-open")
    projector = new_page()
    login(projector, live_server)
    projector.goto(f"{url}/f/meetings/{live_server.meeting_id}/projector")
    connected(projector)
    # The projector while people answer, once the results are revealed, once the answers are locked.
    phone.locator("button.choice").first.click()
    expect(projector.locator("#exercise .answered")).to_have_text("1 persona su 2 ha risposto")
    survey(projector, "projector-answering")
    fac.click("#item-controls [data-cmd=reveal]")
    expect(projector.locator("#exercise .bar-value").first).to_have_text("1 (100%)")
    survey(projector, "projector-revealed")
    survey(fac, "console-poll-revealed")
    fac.click("#item-controls [data-cmd=lock]")
    expect(projector.locator("#item-state")).to_be_visible()
    survey(projector, "projector-locked")
    fac.locator("#agenda button", has_text="La nostra squadra territoriale").click()
    expect(fac.locator("#current-title")).to_have_text("La nostra squadra territoriale")
    expect(projector.locator("#lobby-line")).to_be_visible()
    survey(projector, "projector-lobby")
    fac.click('[data-cmd="open"]')
    phone.wait_for_selector(".squad-tab")
    survey(phone, "participant-squad-canvas")
    phone.locator(".squad-tab").nth(3).click()
    survey(phone, "participant-squad-interactions")
    survey(fac, "console-squad")
    expect(projector.locator("#exercise .squad-card")).to_have_count(2)
    survey(projector, "projector-squad")
    fac.goto(f"{url}/f/meetings/{live_server.meeting_id}/participants")
    survey(fac, "participants")

    team = new_page()
    team.goto(link)
    survey(team, "network-archive-link")
    team.locator("#squad-versions a", has_text="2").first.click()
    survey(team, "squad-version")
    team.goto(link)
    team.click("#since-t0")
    expect(team.locator("#changes")).to_be_visible()
    survey(team, "squad-compare")
    team.goto(link)
    team.click("#workspace-squad")
    team.wait_for_selector(".squad-tab")
    survey(team, "workspace-link")

    assert len(survey.seen) >= 30
    assert survey.sideways == {}, f"pages scrolling sideways at 360 px (extra px): {survey.sideways}"
    assert survey.small == {}, f"tap targets under 44 px at 360 px: {json.dumps(survey.small, indent=1)}"


# Network links ------------------------------------------------------------------------------


def issue_link(fac, server) -> str:
    fac.goto(f"{server.url}/f/networks/1/archive")
    fac.click("#issue-link")
    return fac.locator("#new-link").input_value()


def test_a_network_link_has_a_copy_button_and_can_be_seen_again(live_server, facilitator_page):
    fac = facilitator_page
    fac.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    link = issue_link(fac, live_server)
    expect(fac.locator(".flash")).to_contain_text("Il link è pronto")
    fac.click("#copy-link")
    expect(fac.locator("#toasts .toast")).to_contain_text("Copiato")
    assert fac.evaluate("navigator.clipboard.readText()") == link

    # Later, from the network's page: the same link, still there to copy.
    fac.goto(f"{live_server.url}/f/")
    fac.click("text=Ambito di Dalmine")
    expect(fac.locator("#new-link")).to_have_value(link)
    expect(fac.locator("#copy-link")).to_be_visible()

    # Replacing it asks first; cancelling changes nothing.
    fac.click("#issue-link")
    dialog = fac.locator("dialog.dialog")
    expect(dialog).to_contain_text("Sostituire il link con uno nuovo?")
    dialog.locator("[data-role=cancel]").click()
    expect(fac.locator("#new-link")).to_have_value(link)
    fac.click("#issue-link")
    fac.locator("dialog.dialog [data-role=confirm]").click()
    expect(fac.locator(".flash")).to_contain_text("Il link precedente non funziona più")
    assert fac.locator("#new-link").input_value() != link


def test_an_open_tab_of_a_revoked_link_says_so_and_its_actions_fail_at_once(live_server, facilitator_page, new_page,
                                                                            shot):
    fac = facilitator_page
    link = issue_link(fac, live_server)
    team = new_page()
    team.goto(link)
    team.click("#workspace-squad")
    team.wait_for_selector(".squad-tab")
    connected(team)

    fac.click("#revoke-link")
    fac.locator("dialog.dialog [data-role=confirm]").click()
    expect(fac.locator(".flash")).to_contain_text("revocato")

    # The open tab: not "reconnecting" forever, but why, in its language.
    expect(team.locator("#status")).to_contain_text(
        "Questo link è stato revocato: chiedine uno nuovo al tuo facilitatore"
    )
    expect(team.locator("body")).to_have_attribute("data-connection", "refused")
    # Final, so in the page's flow under the way back, not over it as a passing "connection lost" is.
    expect(team.locator("a.back")).to_be_visible()
    assert team.locator("a.back").bounding_box()["y"] < team.locator("#status").bounding_box()["y"]
    shot(team, "refused-1280")
    # A role added now fails at once with that explanation (not 48 s later with "check your connection").
    team.locator(".squad-tab").nth(2).click()
    form = team.locator("form.squad-add[data-kind=role]").last
    form.locator("[name=title]").fill("Educatore di strada")
    form.locator("button[type=submit]").click()
    expect(team.locator(".squad-status")).to_contain_text("revocato", timeout=8_000)

    # A reload: the designed page, in Italian, with a way back; never Werkzeug's "Not Found".
    team.reload()
    expect(team.locator("#error")).to_have_attribute("data-code", "404")
    expect(team.locator("h1")).to_have_text("Questo link della rete non è valido")
    expect(team.locator("#error")).to_contain_text("Chiedine uno nuovo al tuo facilitatore")
    expect(team.locator("#error a.button").first).to_have_attribute("href", "/")
    assert "Not Found" not in team.content()


# Elsewhere ------------------------------------------------------------------------------------


def test_the_archive_shows_dates_in_the_readers_language(live_server, facilitator_page):
    live_server.python(
        "meeting = store.meeting(db, values['meeting'])\n"
        "store.add_artifact(db, network_id=1, lab_id=meeting['lab_id'], meeting_id=meeting['id'], item_id=None,\n"
        "                   exercise_type='squad', title='Squadra',\n"
        "                   data={'schema': 'facilitation.squad/1', 'canvas': values['canvas'], 'reason': 'closed', 'authors': ['Ada']})\n",
        meeting=live_server.meeting_id,
        canvas=CANVAS,
    )
    fac = facilitator_page
    fac.goto(f"{live_server.url}/f/networks/1/archive")
    heading = fac.locator("h3", has_text="Incontro 1")
    expect(heading).to_contain_text("1 dic 2026, 09:30")
    assert "2026-12-01T09:30" not in fac.content()
    fac.select_option("#lang-select", "en")
    expect(fac.locator("html")).to_have_attribute("lang", "en")
    expect(fac.locator("h3", has_text="Incontro 1")).to_contain_text("Dec 1, 2026, 9:30")


def test_a_wrong_join_code_keeps_what_was_typed(live_server, new_page):
    page = new_page(viewport={"width": 360, "height": 800})
    page.goto(live_server.url + "/")
    page.fill("#code", "ZZZ 999")
    page.click("main form button[type=submit]")
    expect(page.locator("#error-summary")).to_contain_text("Nessun incontro in corso")
    expect(page.locator("#code")).to_have_value("ZZZ 999")
    expect(page.locator("#code")).to_have_attribute("aria-invalid", "true")
    # The summary links to the field, GOV.UK style.
    page.locator("#error-summary a").click()
    expect(page.locator("#code")).to_be_focused()


def test_the_language_changes_on_selection_without_a_button(live_server, new_page):
    page = new_page()
    page.goto(live_server.url + "/")
    button = page.locator(".lang-switch button[type=submit]")
    box = button.bounding_box()
    assert box is None or box["width"] <= 1, "with JavaScript the submit button is visually hidden"
    page.select_option("#lang-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Join a meeting")


def test_a_participant_moved_to_another_team_is_told_and_the_header_follows(live_server, facilitator_page, participant):
    fac = facilitator_page
    start_meeting(fac, live_server)
    ada = participant("Ada", "Ambito di Dalmine", viewport={"width": 360, "height": 800})
    expect(ada.locator("#my-team")).to_have_text("Squadra: Ambito di Dalmine")
    fac.click("#tab-teams")
    move = fac.locator("select.move-team").first
    move.wait_for()
    move.select_option(label="Garbagnate Milanese")
    expect(ada.locator("#toasts .toast")).to_contain_text("Ora sei nella squadra di Garbagnate Milanese")
    expect(ada.locator("#my-team")).to_have_text("Squadra: Garbagnate Milanese")


@pytest.mark.parametrize("path", ["/dev/components"])
def test_the_components_page_shows_every_component_and_its_dialog_confirms(live_server, new_page, path):
    page = new_page(viewport={"width": 360, "height": 800})
    page.goto(live_server.url + path)
    for section in (
        "tokens-colour",
        "tokens-type",
        "buttons",
        "form",
        "cards",
        "notices",
        "dialogs",
        "empty",
        "tables",
    ):
        expect(page.locator(f"#{section}")).to_be_visible()
    page.click("#demo-confirm")
    expect(page.locator("dialog.dialog")).to_be_visible()
    expect(page.locator("dialog.dialog [data-role=cancel]")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("dialog.dialog")).to_have_count(0)
