"""Where each network started and where it is now, in a real browser against the real server.

- A facilitator adds the evaluation questionnaire to a meeting; people of two networks fill it
  in on their phones; each network's archive then compares its efficacy with its T0, taken at
  an earlier meeting (hidden where that T0 had fewer than 3 people and was anonymous).
- A network's team assesses itself through its network link between meetings, two people at
  once, and saves a version: its journey shows the radar against its T0.
- The journey page is read by the team through its link, and another network's link never
  reaches it.

Screenshots at 360 and 1280 px go to test-artifacts/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from facilitation.api import Action, Actor, State
from facilitation_evaluation import Evaluation

from ..liveserver import demo_server
from .conftest import connected, login
from .test_design import OVERFLOW, SMALL_TARGETS, STICKING_OUT

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 860}
A, B = "Ambito di Dalmine", "Garbagnate Milanese"
# The questionnaire's Italian defaults: a network's T0 compares indicator by indicator, by wording.
INDICATORS = [
    "Competenze di coprogettazione",
    "Lavoro di squadra tra ruoli",
    "Mediazione orientata alla comunità",
    "Uso di strumenti di collaborazione tra enti pubblici e terzo settore",
]
T0_CONFIG = {
    "title": "Questionario di valutazione",
    "criteria": ["Competenza dei professionisti", "Personalizzazione", "Argomenti trattati"],
    "critical": ["Tempo", "Persone disponibili"],
    "indicators": INDICATORS,
    "questions": [],
    "anonymous": True,
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with demo_server(tmp_path_factory.mktemp("instance")) as running:
        yield running


def t0_archives() -> dict[str, dict]:
    """What each network kept of an anonymous questionnaire at its first meeting, made by the
    exercise itself: three people of the first network (ratings 2,2,3 · 2,3,2 · 1,2,1 · 1,1,2 by
    indicator), two of the second (too few to show)."""
    exercise, state = Evaluation(), State({}, config=T0_CONFIG)
    people = [
        (1, [2, 2, 1, 1], 8),
        (1, [2, 3, 2, 1], 9),
        (1, [3, 2, 1, 2], 7),
        (2, [4, 4, 4, 4], 10),
        (2, [1, 1, 1, 1], 5),
    ]
    for who, (network, ratings, recommend) in enumerate(people, start=1):
        payload = {
            "recommend": recommend,
            "criteria": [0],
            "use": "",
            "critical": [],
            "comments": "",
            "ratings": ratings,
            "process": [],
        }
        state = state.with_changes(
            exercise.apply(state, Action("answer", payload), Actor("participant", who, "", network)).changes
        )
    return {A: exercise.archive(state, 1), B: exercise.archive(state, 2)}


def seed_t0(server) -> dict[str, int]:
    """An earlier meeting of the demo lab where both networks took part and answered."""
    return server.python(
        "lab = store.lab_titled(db, 'Coprogettazione e welfare di comunità')\n"
        "nets = {n['name']: n['id'] for n in store.networks(db)}\n"
        "m0 = store.create_meeting(db, lab['id'], {'title': 'Incontro 0 - Punto di partenza', 'starts_at': '2026-10-01T09:30'})\n"
        "item = store.add_item(db, m0, 'evaluation', values['config'])\n"
        "for name, net in values['people']:\n"
        "    store.add_participant(db, m0, name, 'Org', nets[net])\n"
        "db['meetings'].update(m0, {'state': 'ended'})\n"
        "for net, data in values['archives'].items():\n"
        "    store.add_artifact(db, network_id=nets[net], lab_id=lab['id'], meeting_id=m0, item_id=item,\n"
        "                       exercise_type='evaluation', title='Questionario di valutazione', data=data)\n"
        "result = nets",
        config=T0_CONFIG,
        archives=t0_archives(),
        people=[["P1", A], ["P2", A], ["P3", A], ["P4", B], ["P5", B]],
    )


def look(page, shot, name, widths=(360, 1280)):
    """A screenshot at each width; at 360 px nothing scrolls sideways and every control is 44 px."""
    for width in widths:
        page.set_viewport_size({"width": width, "height": 800})
        if width == 360:
            assert page.evaluate(OVERFLOW) <= 0, (name, page.evaluate(STICKING_OUT))
            assert page.evaluate(SMALL_TARGETS) == [], name
        shot(page, f"{name}-{width}")


def person(new_page, server, name, network, viewport=PHONE):
    page = new_page(viewport=viewport)
    page.goto(f"{server.url}/j/{server.code}")
    page.fill("#name", name)
    page.fill("#organisation", "Cooperativa Esempio")
    page.select_option("#network", label=network)
    page.click("main form button[type=submit]")
    page.wait_for_selector("#participant")
    connected(page)
    return page


def test_a_questionnaire_filled_by_two_networks_compares_with_their_t0(server, new_page, shot):
    nets = seed_t0(server)
    fac = new_page(viewport=DESKTOP)
    login(fac, server)
    fac.goto(f"{server.url}/f/meetings/{server.meeting_id}")
    # The form comes from the exercise's declared fields, with the method's defaults in Italian.
    fac.select_option("#add-type", "evaluation")
    fac.click("main form.inline-row button[type=submit]")
    expect(fac.locator("#f-indicators")).to_have_value("\n".join(INDICATORS))
    fac.fill("#f-title", "Valutazione del secondo incontro")
    fac.fill("#f-questions", "Quante persone della vostra rete avete coinvolto?")
    fac.uncheck("#f-anonymous")
    look(fac, shot, "form")
    fac.click("main form button[type=submit]")
    expect(fac.locator(".flash")).to_have_text("Esercizio aggiunto al programma.")

    fac.click("#start-meeting")
    fac.wait_for_selector("#console")
    connected(fac)
    ada = person(new_page, server, "Ada", A)
    cy = person(new_page, server, "Cy", B)
    fac.locator("#agenda button", has_text="Valutazione del secondo incontro").click()
    expect(fac.locator("#current-title")).to_have_text("Valutazione del secondo incontro")
    fac.click('[data-cmd="open"]')

    for page, recommend, ratings, words in (
        (ada, "9", ["4", "4", "3", "3"], "Abbiamo coinvolto dodici persone"),
        (cy, "6", ["3", "3", "3", "3"], "Due, per ora"),
    ):
        form = page.locator("form.evaluation-form")
        expect(form).to_be_visible()
        form.locator("fieldset.ev-question").first.locator("label.ev-option", has_text=recommend).first.click()
        form.locator("label.check", has_text="Personalizzazione").click()
        for i, rating in enumerate(ratings):
            form.locator(f'input[name$="-rating-{i}"][value="{rating}"]').check()
        form.locator("textarea").last.fill(words)
        if page is ada:
            # The keyboard works too: from the first indicator's choice, the arrow moves it.
            form.locator('input[name$="-rating-0"][value="4"]').focus()
            page.keyboard.press("ArrowLeft")
            page.keyboard.press("ArrowRight")
            expect(form.locator('input[name$="-rating-0"][value="4"]')).to_be_checked()
            look(page, shot, "participant-form")
        form.locator("button[type=submit]").click()
        expect(form.locator(".poll-status")).to_contain_text("Le tue risposte sono salvate")
    look(ada, shot, "participant-saved")

    # The console: everyone, each network, and people's words with their names (not anonymous).
    stage = fac.locator("#exercise")
    expect(stage.locator(".ev-list")).to_contain_text("2")
    expect(stage.locator("table.ev-networks")).to_contain_text(A)
    expect(stage).to_contain_text("Abbiamo coinvolto dodici persone")
    look(fac, shot, "console")
    fac.click('[data-cmd="lock"]')
    expect(fac.locator('[data-cmd="lock"]')).to_be_disabled()

    # Each network's archive: its efficacy against its T0 (three people then: 2,3 on the first indicator).
    archive = new_page(viewport=DESKTOP)
    login(archive, server)
    archive.goto(f"{server.url}/f/networks/{nets[A]}/archive")
    latest = archive.locator(".evaluation-archive").first
    table = latest.locator("table.chart-table").last
    expect(table).to_contain_text("2,3 (3 persone)")
    expect(table).to_contain_text("4,0 (1 persona)")
    expect(latest.locator(".evaluation-changes")).to_contain_text("+1,67 dal T0")
    expect(latest).to_contain_text("Abbiamo coinvolto dodici persone")
    look(archive, shot, "archive-a")
    archive.goto(f"{server.url}/f/networks/{nets[B]}/archive")
    # The second network's T0 had two people, anonymous: it is not shown, now is.
    row = (
        archive.locator(".evaluation-archive")
        .first.locator("table.chart-table")
        .last.locator("tr", has_text=INDICATORS[0])
    )
    expect(row.locator("td").nth(0)).to_have_text("–")
    expect(row.locator("td").nth(1)).to_have_text("3,0 (1 persona)")
    archive.goto(f"{server.url}/f/networks/{nets[A]}/journey")
    expect(archive.locator("#evaluation-journey tbody tr")).to_have_count(2)
    expect(archive.locator("#evaluation-journey")).to_contain_text("T0")
    look(archive, shot, "journey-a")


def seed_links(server) -> dict:
    return server.python(
        "nets = {n['name']: n['id'] for n in store.networks(db)}\n"
        "t0 = {'schema': 1, 'template': 'method', 'reason': 'closed', 'authors': ['Ada'], 'saved_by': None, 'dims': [\n"
        "    {'id': i, 'label': '', 'group': '', 'value': v, 'why': 'Al punto di partenza'}\n"
        "    for i, v in zip(['culture', 'responsibility', 'involvement', 'evaluation', 'governance'], [2, 1, 2, 1, 3])]}\n"
        "store.add_artifact(db, network_id=nets[values['a']], lab_id=None, meeting_id=None, item_id=None,\n"
        "                   exercise_type='selfassessment', title='Autovalutazione della rete', data=t0)\n"
        "result = {'nets': nets, 'a': store.issue_network_link(db, nets[values['a']]),\n"
        "          'b': store.issue_network_link(db, nets[values['b']])}",
        a=A,
        b=B,
    )


def own_network_link(server) -> str:
    """The link of a network of its own, starting from the same T0 as network A: a test that
    rates through it leaves the other tests' network as they expect it, in any order."""
    return server.python(
        "import uuid\n"
        "net = store.save_network(db, {'name': 'Rete ' + uuid.uuid4().hex[:8]})\n"
        "t0 = {'schema': 1, 'template': 'method', 'reason': 'closed', 'authors': ['Ada'], 'saved_by': None, 'dims': [\n"
        "    {'id': i, 'label': '', 'group': '', 'value': v, 'why': 'Al punto di partenza'}\n"
        "    for i, v in zip(['culture', 'responsibility', 'involvement', 'evaluation', 'governance'], [2, 1, 2, 1, 3])]}\n"
        "store.add_artifact(db, network_id=net, lab_id=None, meeting_id=None, item_id=None,\n"
        "                   exercise_type='selfassessment', title='Autovalutazione della rete', data=t0)\n"
        "result = store.issue_network_link(db, net)")


def test_a_team_assesses_itself_through_its_link_and_its_journey_shows_the_radar(server, new_page, shot):
    links = seed_links(server)
    eve = new_page(viewport=PHONE)
    eve.goto(f"{server.url}/n/{links['a']}")
    eve.click("#workspace-selfassessment")
    eve.fill("#my-name", "Eve")
    eve.locator("#my-name").press("Tab")
    connected(eve)
    fede = new_page(viewport=DESKTOP)
    fede.goto(f"{server.url}/n/{links['a']}/w/selfassessment")
    connected(fede)

    culture = eve.locator('.sa-dim[data-dim="culture"]')
    expect(culture.locator('input[value="2"]')).to_be_checked()  # the team starts from its latest ratings
    expect(culture.locator(".sa-last")).to_contain_text("L'ultima volta: 2")
    culture.locator("label.sa-option", has_text="4").click()
    culture.locator("textarea").fill("Ora ci incontriamo ogni settimana")
    culture.locator("textarea").press("Tab")
    eve.locator('.sa-dim[data-dim="governance"] label.sa-option', has_text="5").click()
    # Fede sees Eve's ratings and reason live.
    theirs = fede.locator('.sa-dim[data-dim="culture"]')
    expect(theirs.locator('input[value="4"]')).to_be_checked()
    expect(theirs.locator("textarea")).to_have_value("Ora ci incontriamo ogni settimana")
    expect(theirs.locator(".sa-last")).to_contain_text("Eve")
    fede.locator('.sa-dim[data-dim="involvement"] input[value="3"]').check()
    expect(eve.locator('.sa-dim[data-dim="involvement"] input[value="3"]')).to_be_checked()
    look(eve, shot, "workspace")
    eve.click(".sa-save")
    expect(eve.locator(".poll-status")).to_contain_text("Versione salvata da Eve")
    expect(fede.locator(".poll-status")).to_contain_text("Versione salvata da Eve")

    journey = new_page(viewport=DESKTOP)
    journey.goto(f"{server.url}/n/{links['a']}/journey")
    section = journey.locator(".journey-section", has_text="Autovalutazione")
    expect(section.locator("figure.chart svg")).to_have_count(1)
    row = section.locator("table.chart-table tr", has_text="Cultura di squadra")
    expect(row.locator("td")).to_have_text(["2", "4"])
    expect(section.locator("#sa-journey")).to_contain_text("T0")
    look(journey, shot, "journey")


def test_the_journey_is_read_by_its_team_and_refused_to_another_networks_link(server, new_page, shot):
    links = seed_links(server)
    team = new_page(viewport=PHONE)
    team.goto(f"{server.url}/n/{links['a']}")
    team.click("#journey-link")
    expect(team.locator("h1")).to_contain_text(A)
    expect(team.locator("#journey-meetings")).to_be_visible()
    look(team, shot, "team")

    other = new_page(viewport=DESKTOP)
    other.goto(f"{server.url}/n/{links['b']}/journey")
    expect(other.locator("h1")).to_contain_text(B)
    expect(other.locator("main")).not_to_contain_text(A)
    # Another network's link opens nothing of this network: not the facilitators' address of it...
    other.goto(f"{server.url}/f/networks/{links['nets'][A]}/journey")
    other.wait_for_url("**/f/login**")
    # ...nor a made-up link.
    answer = other.goto(f"{server.url}/n/{links['b']}x/journey")
    assert answer.status == 404
    look(other, shot, "refused")


def test_teams_assess_themselves_in_a_meeting_and_the_facilitator_sees_each_team(server, new_page, shot):
    fac = new_page(viewport=DESKTOP)
    login(fac, server)
    fac.goto(f"{server.url}/f/meetings/{server.meeting_id}")
    fac.select_option("#add-type", "selfassessment")
    fac.click("main form.inline-row button[type=submit]")
    fac.select_option("#f-template", "wilder")
    fac.fill("#f-title", "Fattori di collaborazione")
    fac.click("main form button[type=submit]")
    expect(fac.locator(".flash")).to_have_text("Esercizio aggiunto al programma.")
    if fac.locator("#start-meeting").count():  # run alone, the meeting was not started by another test
        fac.click("#start-meeting")
    else:
        fac.goto(f"{server.url}/f/meetings/{server.meeting_id}/console")
    fac.wait_for_selector("#console")
    connected(fac)
    ada = person(new_page, server, "Ada", A)
    cy = person(new_page, server, "Cy", B)
    fac.locator("#agenda button", has_text="Fattori di collaborazione").click()
    expect(fac.locator("#current-title")).to_have_text("Fattori di collaborazione")
    fac.click('[data-cmd="open"]')

    # The twenty factors in their six groups; each team its own ratings.
    expect(ada.locator(".sa-dim")).to_have_count(20)
    expect(ada.locator(".sa-group")).to_have_count(6)
    ada.locator('.sa-dim[data-dim="w04"] label.sa-option', has_text="4").click()
    ada.locator('.sa-dim[data-dim="w04"] textarea').fill("Ci fidiamo, ci conosciamo da anni")
    ada.locator('.sa-dim[data-dim="w04"] textarea').press("Tab")
    cy.locator('.sa-dim[data-dim="w19"] label.sa-option', has_text="2").click()
    expect(cy.locator('.sa-dim[data-dim="w04"] input:checked')).to_have_count(0)
    look(ada, shot, "participant")

    cards = fac.locator(".sa-card")
    expect(cards).to_have_count(2)
    expect(
        cards.filter(has_text=A).locator("tr", has_text="Rispetto, comprensione e fiducia reciproci")
    ).to_contain_text("4")
    look(fac, shot, "console")
    # The facilitator works inside a team: the team sees it at once.
    cards.filter(has_text=B).get_by_role("button", name="Apri l'autovalutazione di questa squadra").click()
    fac.locator('.sa-dim[data-dim="w17"] label.sa-option', has_text="3").click()
    expect(cy.locator('.sa-dim[data-dim="w17"] input[value="3"]')).to_be_checked()
    expect(ada.locator('.sa-dim[data-dim="w17"] input:checked')).to_have_count(0)
    projector = new_page(viewport=DESKTOP)
    login(projector, server)
    projector.goto(f"{server.url}/f/meetings/{server.meeting_id}/projector")
    expect(projector.locator(".sa-card")).to_have_count(2)
    shot(projector, "projector-1280")
    fac.click('[data-cmd="lock"]')
    expect(fac.locator('[data-cmd="lock"]')).to_be_disabled()
    archive = new_page(viewport=DESKTOP)
    login(archive, server)
    nets = server.python("result = {n['name']: n['id'] for n in store.networks(db)}")
    archive.goto(f"{server.url}/f/networks/{nets[A]}/archive")
    latest = archive.locator(".sa-archive").first
    expect(latest).to_contain_text("Ci fidiamo, ci conosciamo da anni")
    expect(latest.locator("figure.chart svg")).to_have_count(1)
    look(archive, shot, "archive")


def test_a_name_typed_while_the_workspace_loads_is_the_one_the_team_sees(server, new_page, shot):
    """On a slow connection the page shows its form before its script has run: what the person
    typed meanwhile is kept and travels with the connection (it was replaced by the name
    remembered from last time, empty on a first visit)."""
    link = own_network_link(server)
    eve = new_page(viewport=PHONE)
    held = []
    eve.route("**/js/workspace.js", lambda route: held.append(route))
    eve.goto(f"{server.url}/n/{link}/w/selfassessment", wait_until="commit")
    eve.wait_for_selector("#my-name")  # the form is shown; the page's script is held back
    while not held:
        eve.wait_for_timeout(50)
    eve.fill("#my-name", "Eve")
    eve.locator("#my-name").blur()  # typed and left before the script could listen
    held[0].continue_()
    connected(eve)
    expect(eve.locator("#my-name")).to_have_value("Eve")
    fede = new_page(viewport=DESKTOP)
    fede.goto(f"{server.url}/n/{link}/w/selfassessment")
    connected(fede)
    culture = eve.locator('.sa-dim[data-dim="culture"]')
    expect(culture.locator('input[value="2"]')).to_be_checked()  # the team's latest ratings are shown
    culture.locator("label.sa-option", has_text="3").click()
    expect(fede.locator('.sa-dim[data-dim="culture"] input[value="3"]')).to_be_checked()
    expect(fede.locator('.sa-dim[data-dim="culture"] .sa-last')).to_contain_text("Eve")
    shot(eve, "workspace-name-typed-while-loading")


def test_a_rating_given_right_after_typing_a_name_reaches_the_team(server, new_page, shot):
    """Leaving the name field reconnects with the new name; the page must not move under the
    finger meanwhile (a "connection lost" line appeared and pushed the ratings down a line on a
    phone, so the tap missed), and the rating goes out once the connection is back."""
    link = own_network_link(server)
    eve = new_page(viewport=PHONE)
    eve.goto(f"{server.url}/n/{link}/w/selfassessment")
    connected(eve)
    fede = new_page(viewport=DESKTOP)
    fede.goto(f"{server.url}/n/{link}/w/selfassessment")
    connected(fede)
    culture = eve.locator('.sa-dim[data-dim="culture"]')
    expect(culture.locator('input[value="2"]')).to_be_checked()
    three = culture.locator("label.sa-option", has_text="3")
    before = three.bounding_box()
    eve.fill("#my-name", "Eve")
    eve.locator("#my-name").blur()  # what a tap elsewhere does first
    assert three.bounding_box() == before, "nothing moved"
    three.click()
    expect(fede.locator('.sa-dim[data-dim="culture"] input[value="3"]')).to_be_checked()
    expect(fede.locator('.sa-dim[data-dim="culture"] .sa-last')).to_contain_text("Eve")
    shot(fede, "workspace-rating-after-a-new-name")
