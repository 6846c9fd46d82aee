"""The facilitator's console and the agenda, in a real browser: what a review found, each seen as the
facilitator sees it. The console fits 1280 px without cutting a name or a picker; the team tools
say what they do; only the controls an exercise declares; destructive actions ask first; an
exercise enters the agenda only once its form is valid."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import start_meeting

LAPTOP = {"width": 1280, "height": 860}
Q1 = "Come arrivate a questo laboratorio?"
Q3 = "Quanto collaborano oggi enti pubblici e terzo settore nel vostro territorio?"
SQUAD = "La nostra squadra territoriale"
PEOPLE = [
    ("Maria Grazia Bonvicini", "Distretto Visconteo Sud Milano"),
    ("Giovanni Battista Castellazzi", "Bassa Bresciana Orientale"),
    ("Ada", "Ambito di Dalmine"),
]

# Every control and every name inside the console's panels: where it sticks out of its panel, where a
# picker is narrower than what it shows, where a name runs over more than one line.
CUT = """() => {
  const problems = [];
  for (const node of document.querySelectorAll('#console button, #console select, #console input, #console textarea')) {
    if (node.offsetParent === null) continue;
    const panel = node.closest('.panel') || document.getElementById('console');
    const r = node.getBoundingClientRect(), p = panel.getBoundingClientRect();
    if (r.left < p.left - 0.5 || r.right > p.right + 0.5) problems.push('outside its panel: ' + (node.id || node.textContent.trim().slice(0, 40)));
    if (node.tagName === 'SELECT') {
      const width = r.width;
      const [size, most] = [node.style.inlineSize, node.style.maxInlineSize];
      node.style.inlineSize = 'max-content';
      node.style.maxInlineSize = 'none';
      const natural = node.getBoundingClientRect().width;
      [node.style.inlineSize, node.style.maxInlineSize] = [size, most];
      if (natural > width + 1) problems.push('picker cut: ' + (node.getAttribute('aria-label') || node.id) + ' ' + Math.round(width) + ' < ' + Math.round(natural));
    }
  }
  for (const name of document.querySelectorAll('#console .person-name')) {
    if (name.offsetParent === null) continue;
    const text = document.createRange();
    text.selectNodeContents(name);
    const lines = new Set([...text.getClientRects()].map((r) => Math.round(r.top)));
    if (lines.size > 1) problems.push('name wraps: ' + name.textContent);
  }
  return problems;
}"""


def open_item(fac, title):
    fac.locator("#agenda button", has_text=title).click()
    expect(fac.locator("#current-title")).to_have_text(title)
    fac.click("#item-controls [data-cmd=open]")


def test_the_console_fits_1280_px_and_shows_only_what_the_exercise_declares(
    live_server, facilitator_page, participant, shot
):
    fac = facilitator_page
    fac.set_viewport_size(LAPTOP)
    start_meeting(fac, live_server)
    for name, network in PEOPLE:
        participant(name, network)
    expect(fac.locator("#people .person-name")).to_have_count(3)
    open_item(fac, Q1)

    # A poll that hides its results: one switch, said plainly; the lock and the end in distinct verbs.
    expect(fac.locator("#item-controls [data-cmd=reveal]")).to_have_text("Mostra i risultati ai partecipanti")
    expect(fac.locator("#current-state")).to_contain_text("Risultati nascosti ai partecipanti")
    expect(fac.locator("#item-controls [data-cmd=lock]")).to_have_text("Blocca le risposte")
    expect(fac.locator("#end-meeting")).to_have_text("Termina l'incontro")
    assert fac.evaluate(CUT) == []
    assert fac.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The stage is the widest part of the console.
    stage, tools = fac.locator(".console-stage").bounding_box(), fac.locator(".console-tools").bounding_box()
    assert stage["width"] >= 1.5 * tools["width"], (stage, tools)
    shot(fac, "poll-1280")

    # Every tool panel, one at a time: nothing cut either.
    for tab in ("Squadre", "Timer e messaggio", "Persone"):
        fac.get_by_role("tab", name=tab).click()
        expect(fac.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
        assert fac.evaluate(CUT) == [], tab
        shot(fac, f"tab-{tab.split()[0].lower()}-1280")

    # A poll that shows its results live: no switch, and nothing says they are hidden.
    open_item(fac, Q3)
    expect(fac.locator("#item-controls [data-cmd=open]")).to_be_disabled()
    assert fac.locator("#item-controls [data-cmd=reveal], #item-controls [data-cmd=hide]").count() == 0
    expect(fac.locator("#current-state")).not_to_contain_text("nascosti")

    # The squad canvas: every team side by side on the stage, nothing cut.
    open_item(fac, SQUAD)
    expect(fac.locator(".squad-card")).to_have_count(3)
    assert fac.locator("#item-controls [data-cmd=reveal]").count() == 0
    assert fac.evaluate(CUT) == []
    shot(fac, "squad-1280")


def test_team_tools_say_what_they_do(live_server, facilitator_page, participant):
    fac = facilitator_page
    fac.set_viewport_size(LAPTOP)
    start_meeting(fac, live_server)
    participant("Ada", "Ambito di Dalmine")
    cy = participant("Cy", "Garbagnate Milanese")
    fac.get_by_role("tab", name="Squadre").click()

    # Put two networks in one team: the button says which, in words.
    fac.select_option("#merge-a", label="Ambito di Dalmine")
    fac.select_option("#merge-b", label="Garbagnate Milanese")
    merge = fac.locator("#merge")
    expect(merge).to_have_text("Metti Ambito di Dalmine e Garbagnate Milanese in un'unica squadra")
    merge.click()
    expect(fac.locator("#teams-now")).to_contain_text("Ambito di Dalmine + Garbagnate Milanese")
    expect(cy.locator("#my-team")).to_have_text("Squadra: Ambito di Dalmine")

    # Give a network its own team again.
    fac.select_option("#split-network", label="Garbagnate Milanese")
    split = fac.locator("#split")
    expect(split).to_have_text("Ridai a Garbagnate Milanese la sua squadra")
    split.click()
    expect(cy.locator("#my-team")).to_have_text("Squadra: Garbagnate Milanese")
    expect(fac.locator("#teams-now")).not_to_contain_text("+")

    # One person at a time.
    move = fac.get_by_label("Sposta Cy nella squadra di")
    move.select_option(label="Ambito di Dalmine")
    expect(cy.locator("#my-team")).to_have_text("Squadra: Ambito di Dalmine")


def test_ending_the_meeting_asks_first(live_server, facilitator_page, participant):
    fac = facilitator_page
    start_meeting(fac, live_server)
    ada = participant("Ada", "Ambito di Dalmine")
    fac.click("#end-meeting")
    dialog = fac.locator("dialog.dialog")
    expect(dialog).to_contain_text("Terminare l'incontro per tutti?")
    expect(dialog.locator("[data-role=cancel]")).to_be_focused()
    dialog.locator("[data-role=cancel]").click()
    expect(dialog).to_have_count(0)
    fac.click("#end-meeting")
    fac.locator("dialog.dialog [data-role=confirm]").click()
    expect(ada.locator("#exercise .waiting")).to_contain_text("Questo incontro è terminato")


def test_removing_an_exercise_from_the_agenda_asks_first(live_server, facilitator_page, shot):
    page = facilitator_page
    page.goto(f"{live_server.url}/f/meetings/{live_server.meeting_id}")
    titles = page.locator(".agenda-title")
    expect(titles).to_have_count(5)
    page.locator(".agenda-item").nth(1).get_by_role("button", name="Rimuovi").click()
    dialog = page.locator("dialog.dialog")
    expect(dialog).to_contain_text("Togliere dal programma «Quali aspetti vanno curati di più nella vostra rete?»?")
    shot(page, "remove-dialog")
    dialog.locator("[data-role=cancel]").click()
    expect(titles).to_have_count(5)
    page.locator(".agenda-item").nth(1).get_by_role("button", name="Rimuovi").click()
    page.locator("dialog.dialog [data-role=confirm]").click()
    expect(titles).to_have_count(4)
    expect(page.locator(".flash")).to_contain_text("tolto dal programma")
    assert "Quali aspetti" not in page.inner_text(".agenda")


def test_an_exercise_enters_the_agenda_only_once_its_form_is_valid(live_server, facilitator_page, shot):
    page = facilitator_page
    agenda = f"{live_server.url}/f/meetings/{live_server.meeting_id}"
    page.goto(agenda)
    titles = page.locator(".agenda-title")
    expect(titles).to_have_count(5)

    # Choosing a type opens its form; leaving it, by its link or by the browser's back, adds nothing.
    page.select_option("#add-type", "poll")
    page.click("#add-exercise")
    expect(page.locator("h1")).to_have_text("Sondaggio dal vivo")
    page.click("text=Annulla")
    expect(titles).to_have_count(5)
    page.select_option("#add-type", "poll")
    page.click("#add-exercise")
    expect(page.locator("#f-title")).to_be_visible()
    page.go_back()
    page.reload()
    expect(titles).to_have_count(5)

    # A form that is not valid adds nothing either; a valid one adds the exercise, configured.
    page.select_option("#add-type", "poll")
    page.click("#add-exercise")
    page.click("main form button[type=submit]")
    expect(page.locator("#error-summary")).to_contain_text("Domanda")
    shot(page, "add-errors")
    page.goto(agenda)
    expect(titles).to_have_count(5)
    page.select_option("#add-type", "poll")
    page.click("#add-exercise")
    page.fill("#f-title", "Chi c'è oggi?")
    page.fill("#f-options", "Scuola\nComune")
    page.click("main form button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("aggiunto al programma")
    expect(titles).to_have_count(6)
    expect(titles.last).to_have_text("Chi c'è oggi?")
