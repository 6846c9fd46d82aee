"""The squad canvas in a real browser, against the real server.

Two participants of one network build a canvas together and see each other's edits;
a third, of another network, sees only its own team; the facilitator sees both. After
the meeting, the network link shows the saved version, the map, and the comparison
with a later version edited through the link. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright import sync_api as playwright_api

from ..liveserver import demo_server
from .conftest import login

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
TIMEOUT = 10_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real server (eventlet, as `make run`) on a free port, on a fresh demo instance, in English."""
    with demo_server(tmp_path_factory.mktemp("instance"), env={"FACILITATION_BABEL_DEFAULT_LOCALE": "en"}) as running:
        yield running


SCRIPT_ERRORS: list[str] = []


def new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.on("pageerror", lambda exc: SCRIPT_ERRORS.append(f"{page.url}: {exc}"))
    # Script errors and CSP refusals; a missing favicon is no concern of this test.
    page.on("console", lambda msg: msg.type == "error" and "Failed to load resource" not in msg.text
            and SCRIPT_ERRORS.append(f"{page.url}: {msg.text}"))
    return page


def join(browser, server, name, network, code=None):
    page = new_page(browser)
    page.goto(f"{server.url}/j/{code or server.code}")
    page.fill("#name", name)
    page.fill("#organisation", "Org")
    page.select_option("#network", label=network)
    page.click("main button[type=submit]")
    page.wait_for_selector("#participant")
    return page


def open_item(fac, title):
    fac.locator("#agenda button", has_text=title).click()
    playwright_api.expect(fac.locator("#current-title")).to_have_text(title)
    fac.click('[data-cmd="open"]')


def tab(page, step):
    page.locator(".squad-tab").nth(step - 1).click()


def add(page, kind, values, scope=None):
    form = (scope or page).locator(f"form.squad-add[data-kind={kind}]").last
    for name, value in values.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()


def edit_text(page, key, value):
    field = page.locator(f'[data-key="{key}"][data-field=text]')
    field.click()
    field.fill(value)
    field.blur()


def map_texts(page, selector):
    return page.eval_on_selector_all(
        selector + " tspan",
        "nodes => nodes.map(n => [n.textContent, Number(n.getAttribute('x')), Number(n.getAttribute('y'))])")


def expect_text(locator, text):
    playwright_api.expect(locator).to_contain_text(text)


def test_two_members_build_a_squad_live_the_network_link_revisits_it(server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    fac = new_page(browser)
    login(fac, server)
    fac.click("text=Coprogettazione e welfare di comunità")
    fac.click("text=Incontro 1 - Leggere la rete")
    fac.click("#start-meeting")
    fac.wait_for_selector("#console")

    ada = join(browser, server, "Ada", "Ambito di Dalmine")
    bo = join(browser, server, "Bo", "Ambito di Dalmine")
    cy = join(browser, server, "Cy", "Garbagnate Milanese")

    open_item(fac, "La nostra squadra territoriale")
    for page in (ada, bo, cy):
        page.wait_for_selector(".squad-tab")

    # Step 1: Ada writes the needs and the goal; Bo sees them live.
    edit_text(ada, "needs", "Famiglie straniere isolate, scuole senza mediatori")
    edit_text(ada, "goal", "Una comunità che accoglie e include")
    playwright_api.expect(bo.locator('[data-key="goal"][data-field=text]')).to_have_value(
        "Una comunità che accoglie e include")
    expect_text(bo.locator(".squad-presence"), "Ada")

    # Step 2: one strategy each, with objectives.
    for page in (ada, bo):
        tab(page, 2)
    add(ada, "strategy", {"title": "Mediazione nelle scuole"})
    add(bo, "strategy", {"title": "Tavolo di coprogettazione"})
    playwright_api.expect(ada.locator(".squad-item")).to_have_count(2)
    playwright_api.expect(bo.locator(".squad-item")).to_have_count(2)
    add(ada, "objective", {"text": "Sportello in tre scuole"}, ada.locator(".squad-item").nth(0))
    add(bo, "objective", {"text": "Un tavolo al mese"}, bo.locator(".squad-item").nth(1))
    playwright_api.expect(ada.locator(".squad-objectives [data-field]")).to_have_count(2)

    # Step 3: three roles; each manages a strategy.
    for page in (ada, bo):
        tab(page, 3)
    add(ada, "role", {"title": "Mediatore culturale", "organisation": "Cooperativa Ponti", "profession": "mediatore"})
    add(bo, "role", {"title": "Referente scolastico", "organisation": "Istituto comprensivo"})
    add(ada, "role", {"title": "Assistente sociale", "organisation": "Comune di Dalmine"})
    playwright_api.expect(bo.locator(".squad-item")).to_have_count(3)
    ada.locator(".squad-item").nth(0).locator(".squad-manages input").nth(0).check()
    bo.locator(".squad-item").nth(1).locator(".squad-manages input").nth(1).check()

    # Step 4: interactions; the map updates on the other screen.
    for page in (ada, bo):
        tab(page, 4)
    form = bo.locator("form.squad-add[data-kind=interaction]")
    form.locator("select[name=source]").select_option(label="Mediatore culturale")
    form.locator("select[name=target]").select_option(label="Referente scolastico")
    add(bo, "interaction", {"what": "casi da seguire", "channel": "incontro", "frequency": "mensile"})
    form = ada.locator("form.squad-add[data-kind=interaction]")
    form.locator("select[name=source]").select_option(label="Referente scolastico")
    form.locator("select[name=target]").select_option(label="Assistente sociale")
    add(ada, "interaction", {"what": "segnalazioni", "channel": "email", "frequency": "settimanale"})
    expect_text(ada.locator(".squad-side svg"), "casi da seguire")
    expect_text(bo.locator(".squad-side svg"), "segnalazioni")
    playwright_api.expect(ada.locator(".squad-side svg g.node")).to_have_count(3)
    ada.locator(".squad").screenshot(path=str(ARTIFACTS / "squad-canvas.png"))

    # The other network's participant sees only its own (empty) team canvas.
    tab(cy, 2)
    playwright_api.expect(cy.locator(".squad-item")).to_have_count(0)
    assert "Mediazione" not in cy.content() and "Mediatore" not in cy.content()

    # The facilitator sees both teams side by side.
    cards = fac.locator(".squad-card")
    playwright_api.expect(cards).to_have_count(2)
    expect_text(fac.locator(".squad-grid"), "Una comunità che accoglie e include")
    expect_text(fac.locator(".squad-grid"), "Garbagnate Milanese")
    fac.locator(".squad-grid").screenshot(path=str(ARTIFACTS / "squad-facilitator-teams.png"))

    # The meeting ends: the canvas is saved as a version of the network.
    fac.click("#end-meeting")
    fac.locator("dialog.dialog [data-role=confirm]").click()
    ada.wait_for_selector("#exercise .waiting")
    fac.goto(server.url + "/f/")
    fac.click("text=Ambito di Dalmine")
    fac.click("#issue-link")
    link = fac.locator("#new-link").input_value()
    assert "/n/" in link

    team = new_page(browser)
    team.goto(link)
    expect_text(team.locator("#squad-versions"), "1")
    expect_text(team.locator("body"), "Una comunità che accoglie e include")
    assert team.locator("svg.squad-map").count() >= 1
    assert "Garbagnate" not in team.content()
    team.locator("#squad-versions a").first.click()
    team.locator("#squad-map svg").wait_for()
    team.locator("#squad-map").screenshot(path=str(ARTIFACTS / "squad-map.png"))
    expect_text(team.locator("#squad-map"), "casi da seguire")

    # Between meetings the team edits its canvas through the link and saves a later version.
    team.goto(link)
    team.click("#workspace-squad")
    team.wait_for_selector(".squad-tab")
    edit_text(team, "goal", "Una comunità che accoglie, include e cura")
    tab(team, 3)
    add(team, "role", {"title": "Educatore di strada"})
    playwright_api.expect(team.locator(".squad-item")).to_have_count(4)
    # The new role's place (laid out by the library in this browser) is stored before the version is saved.
    playwright_api.expect(team.locator(".squad-side svg.squad-map")).to_have_attribute("data-placed", "true")
    team.click("#squad-save")
    playwright_api.expect(team.locator(".squad-status")).not_to_be_empty()
    live_map = map_texts(team, ".squad-side svg")
    team.goto(link)
    team.locator("#squad-versions a", has_text="2").first.click()
    # The version's page has loaded (the click navigates) before its map is read.
    playwright_api.expect(team.locator("#squad-map svg tspan", has_text="Educatore di")).to_have_count(1)
    server_map = map_texts(team, "#squad-map svg")
    # The live map and the server's map of the same canvas put every label in the same place.
    assert [t for t, _, _ in live_map] == [t for t, _, _ in server_map] and len(live_map) >= 6
    assert all(abs(a[1] - b[1]) <= 0.2 and abs(a[2] - b[2]) <= 0.2 for a, b in zip(live_map, server_map))
    team.goto(link)
    playwright_api.expect(team.locator("#squad-versions tbody tr")).to_have_count(2)
    team.click("#since-t0")
    changes = team.locator("#changes")
    expect_text(changes, "Una comunità che accoglie, include e cura")
    expect_text(changes, "Educatore di strada")
    team.screenshot(path=str(ARTIFACTS / "squad-comparison.png"), full_page=True)
    assert SCRIPT_ERRORS == []


def test_merge_message_steps_conflict_and_undo_in_a_second_meeting(server, browser):
    fac = new_page(browser)
    login(fac, server)
    fac.click("text=Coprogettazione e welfare di comunità")
    fac.fill("main input[name=title]", "Incontro 2 - Ruoli")
    fac.click("main form[action$='/meetings'] button[type=submit]")
    fac.select_option("#add-type", value="squad")
    fac.click("main form[action$='/items'] button[type=submit]")
    fac.fill("input[name=title]", "Squadra, secondo giro")
    fac.click("main form button[type=submit]")
    code = fac.locator("#join-code").inner_text().replace(" ", "")
    fac.click("#start-meeting")
    fac.wait_for_selector("#console")
    ada = join(browser, server, "Ada", "Ambito di Dalmine", code)
    cy = join(browser, server, "Cy", "Garbagnate Milanese", code)
    open_item(fac, "Squadra, secondo giro")
    ada.wait_for_selector(".squad-tab")
    cy.wait_for_selector(".squad-tab")

    # The facilitator merges Garbagnate into Dalmine's team: Cy now works on Dalmine's canvas.
    edit_text(ada, "goal", "Obiettivo della squadra unita")
    fac.click("#tab-teams")
    fac.select_option("#merge-a", label="Ambito di Dalmine")
    fac.select_option("#merge-b", label="Garbagnate Milanese")
    fac.click("#merge")
    playwright_api.expect(cy.locator('[data-key="goal"][data-field=text]')).to_have_value("Obiettivo della squadra unita")
    expect_text(cy.locator(".squad-presence"), "Ada")
    playwright_api.expect(fac.locator(".squad-card")).to_have_count(1)
    fac.screenshot(path=str(ARTIFACTS / "squad-console.png"), full_page=True)

    # A message to every team.
    fac.click("#tab-time")
    fac.fill("#notice-text", "Dieci minuti per il passo 1")
    fac.click("#notice-send")
    for page in (ada, cy):
        expect_text(page.locator("#notice"), "Dieci minuti per il passo 1")

    # The same field at once: the later write wins everywhere, the other person sees both and can put theirs back.
    ada.locator('[data-key="goal"][data-field=text]').click()
    cy.locator('[data-key="goal"][data-field=text]').click()
    edit_text(ada, "goal", "La versione di Ada")
    # Ada's write is in (the console, where nobody types, shows it) before Cy's goes out: Cy's is the later one,
    # however long a busy machine takes to send Ada's.
    playwright_api.expect(fac.locator(".squad-card .squad-goal")).to_have_text("La versione di Ada")
    playwright_api.expect(cy.locator('[data-key="goal"][data-field=text]')).to_be_focused()
    cy.locator('[data-key="goal"][data-field=text]').fill("La versione di Cy")
    cy.locator('[data-key="goal"][data-field=text]').blur()
    conflict = ada.locator(".squad-conflict")
    expect_text(conflict, "La versione di Cy")
    expect_text(conflict, "La versione di Ada")
    playwright_api.expect(ada.locator('[data-key="goal"][data-field=text]')).to_have_value("La versione di Cy")
    ada.screenshot(path=str(ARTIFACTS / "squad-conflict.png"), full_page=True)
    conflict.locator("button", has_text="Put mine back").click()
    playwright_api.expect(cy.locator('[data-key="goal"][data-field=text]')).to_have_value("La versione di Ada")

    # Deleting a role takes its interactions; undo brings both back.
    edges, nodes = ada.locator(".squad-side svg g.edge"), cy.locator(".squad-side svg g.node")
    edges_before = edges.count()
    tab(ada, 3)
    roles_before = ada.locator(".squad-item").count()
    add(ada, "role", {"title": "Coordinatore"})
    add(ada, "role", {"title": "Educatore"})
    playwright_api.expect(nodes).to_have_count(roles_before + 2)
    tab(ada, 4)
    form = ada.locator("form.squad-add[data-kind=interaction]")
    form.locator("select[name=source]").select_option(label="Coordinatore")
    form.locator("select[name=target]").select_option(label="Educatore")
    add(ada, "interaction", {"what": "piano settimanale"})
    playwright_api.expect(edges).to_have_count(edges_before + 1)
    tab(ada, 3)
    ada.locator(".squad-item").nth(roles_before).locator("button.danger").click()
    playwright_api.expect(edges).to_have_count(edges_before)
    playwright_api.expect(nodes).to_have_count(roles_before + 1)
    ada.locator(".squad-undo button").click()
    playwright_api.expect(edges).to_have_count(edges_before + 1)
    playwright_api.expect(nodes).to_have_count(roles_before + 2)
    expect_text(cy.locator(".squad-side svg"), "piano settimanale")

    # The facilitator leads the teams to step 2: other steps are closed to participants.
    fac.locator(".squad-steps-control button").nth(2).click()
    playwright_api.expect(cy.locator(".squad-tab").nth(0)).to_be_disabled()
    playwright_api.expect(cy.locator(".squad-tab").nth(1)).to_have_attribute("aria-selected", "true")

    # The facilitator opens the team's canvas and works in it with them.
    fac.locator(".squad-card button").click()
    fac.wait_for_selector(".squad-team-open .squad-tab")
    tab(fac, 2)
    add(fac, "strategy", {"title": "Proposta della facilitatrice"})
    playwright_api.expect(cy.locator(".squad-item [data-field=title]").last).to_have_value(
        "Proposta della facilitatrice")

    # The same field at once, and Cy's later write replaces the facilitator's: she is told, as a participant is.
    fac_title = fac.locator(".squad-item [data-field=title]").last
    cy_title = cy.locator(".squad-item [data-field=title]").last
    fac_title.click()
    cy_title.click()
    fac_title.fill("Titolo della facilitatrice")
    fac_title.blur()
    # Hers is in (Ada, on the same canvas and not typing, sees it) before Cy's goes out.
    playwright_api.expect(ada.locator(".squad-item [data-field=title]").last).to_have_value("Titolo della facilitatrice")
    playwright_api.expect(cy_title).to_be_focused()
    cy_title.fill("Titolo di Cy")
    cy_title.blur()
    conflict = fac.locator(".squad-conflict")
    expect_text(conflict, "Titolo di Cy")
    expect_text(conflict, "Titolo della facilitatrice")
    playwright_api.expect(fac_title).to_have_value("Titolo di Cy")
    fac.screenshot(path=str(ARTIFACTS / "squad-facilitator-conflict.png"), full_page=True)
    assert SCRIPT_ERRORS == []
