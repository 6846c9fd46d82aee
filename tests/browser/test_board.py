"""The obstacle board in a real browser: a facilitator prepares it (team boards, controlled
mode, two dots each), two people of one network write, group (by dragging and with the
keyboard) and vote; a third, of another network, sees none of it; the facilitator approves
and moves the phases; the results reach the projector and the network's archive.
Screenshots at 360 and 1280 px go to test-artifacts/."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import connected, start_meeting

PHONE = {"width": 360, "height": 780}
DALMINE, GARBAGNATE = "Ambito di Dalmine", "Garbagnate Milanese"
TITLE = "Ostacoli sul nostro territorio"


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def prepare_board(fac, server):
    fac.goto(f"{server.url}/f/meetings/{server.meeting_id}")
    fac.select_option("#add-type", "board")
    fac.click("main form.inline-row button[type=submit]")
    # The method's three columns are proposed.
    expect(fac.locator("#f-columns")).to_have_value(
        "Ostacoli a una cultura di squadra\nOstacoli alla corresponsabilità\nAspetti da sviluppare")
    fac.fill("#f-title", TITLE)
    fac.check("#f-controlled")
    fac.fill("#f-dots", "2")
    fac.click("main form button[type=submit]")
    expect(fac.locator(".agenda-item", has_text=TITLE)).to_have_count(1)


def phase(fac, label):
    fac.locator('#exercise-controls [data-action="phase"]', has_text=label).click()


def test_a_team_writes_groups_and_votes_and_the_results_reach_projector_and_archive(
        live_server, facilitator_page, participant, shot):
    server, fac = live_server, facilitator_page
    prepare_board(fac, server)
    start_meeting(fac, server)
    with fac.context.expect_page() as opened:
        fac.click("#projector-link")
    projector = opened.value
    projector.set_viewport_size({"width": 1280, "height": 800})
    connected(projector)

    ada = participant("Ada", DALMINE, viewport=PHONE)
    bruno = participant("Bruno", DALMINE)
    cy = participant("Cy", GARBAGNATE, viewport=PHONE)
    fac.locator("#agenda button", has_text=TITLE).click()
    expect(fac.locator("#current-title")).to_have_text(TITLE)
    fac.click("#item-controls [data-cmd=open]")
    for page in (ada, bruno, cy):
        expect(page.locator(".board-write")).to_be_visible()

    # Writing, in controlled mode: Ada's note waits for approval; Bruno and Cy do not see it.
    ada.select_option("#board-column", index=0)
    ada.fill("#board-text", "Poco tempo per incontrarsi tra servizi")
    ada.click(".board-write button[type=submit]")
    expect(ada.locator(".board-mine")).to_contain_text("In attesa di approvazione")
    bruno.fill("#board-text", "Orari di lavoro diversi")
    bruno.click(".board-write button[type=submit]")
    cy.fill("#board-text", "Nota di Garbagnate")
    cy.click(".board-write button[type=submit]")
    card = fac.locator(".board-card", has_text=DALMINE)
    expect(card).to_contain_text("2 in attesa")
    shot(ada, "participant-writing-360")

    # The facilitator opens Dalmine's board and approves both notes: now the team sees them.
    card.get_by_role("button", name="Apri la bacheca di questa squadra").click()
    for _ in range(2):
        fac.locator(".board-held button", has_text="Approva").first.click()
    expect(fac.locator(".board-held")).to_have_count(0)
    expect(bruno.locator(".board-column .board-note")).to_have_count(2)
    expect(ada.locator(".board-column .board-note")).to_have_count(2)
    expect(cy.locator(".board-column .board-note")).to_have_count(0)  # Garbagnate's own note still waits
    expect(cy.locator("body")).not_to_contain_text("Poco tempo")
    shot(fac, "console-team-board-1280")

    # Clustering: Ada makes a cluster on her phone; Bruno drags a note into it; Ada moves the
    # other with the keyboard (the note's cluster list).
    phase(fac, "2. Raggruppamento")
    expect(ada.locator(".board-phases li.current")).to_have_text("2. Raggruppamento")
    ada.fill("#board-new-0", "Tempo e orari")
    ada.locator("#board-new-0").press("Enter")
    expect(bruno.locator(".board-cluster")).to_have_count(1)
    bruno.set_viewport_size({"width": 1280, "height": 1600})  # the note and the cluster both in sight
    note = bruno.locator(".board-note", has_text="Orari di lavoro diversi")
    target = bruno.locator(".board-cluster ul.board-notes")
    box, drop = note.locator(".board-text").bounding_box(), target.bounding_box()
    bruno.mouse.move(box["x"] + 10, box["y"] + box["height"] / 2)
    bruno.mouse.down()
    for step in range(1, 11):
        bruno.mouse.move(box["x"] + 10 + (drop["x"] + 20 - box["x"] - 10) * step / 10,
                         box["y"] + (drop["y"] + drop["height"] / 2 - box["y"]) * step / 10)
    bruno.mouse.up()
    expect(ada.locator(".board-cluster .board-note")).to_have_count(1)
    select = ada.get_by_label("Gruppo della nota: Poco tempo per incontrarsi tra servizi")
    select.focus()
    select.select_option(label="Tempo e orari")
    expect(ada.locator(".board-status")).to_contain_text("Spostata in: Tempo e orari")
    expect(bruno.locator(".board-cluster .board-note")).to_have_count(2)
    shot(ada, "participant-clustering-360")
    shot(bruno, "participant-clustering-1280")

    # Voting: two dots each, one per note; others' dots stay hidden until the results.
    phase(fac, "3. Votazione")
    expect(ada.locator(".board-left")).to_contain_text("2 / 2")
    ada.get_by_role("button", name="Aggiungi un bollino: Poco tempo per incontrarsi tra servizi").click()
    expect(ada.locator(".board-left")).to_contain_text("1 / 2")
    expect(ada.get_by_role("button", name="Aggiungi un bollino: Poco tempo per incontrarsi tra servizi")).to_be_disabled()
    ada.get_by_role("button", name="Aggiungi un bollino: Orari di lavoro diversi").click()
    # The confirmation says which note the dot went on (the count is the line above).
    expect(ada.locator(".board-status")).to_have_text("Bollino messo su «Orari di lavoro diversi». Bollini rimasti: 0")
    bruno.get_by_role("button", name="Aggiungi un bollino: Poco tempo per incontrarsi tra servizi").click()
    expect(ada.locator(".board-left")).to_contain_text("0 / 2")
    expect(bruno.locator(".board-count")).to_have_count(0)
    shot(ada, "participant-voting-360")

    # Results: the cluster first, with its three dots, on the phones, the console and the projector.
    phase(fac, "4. Risultati")
    for page in (ada, bruno):
        expect(page.locator(".board-ranking li.board-ranked").first).to_contain_text("Tempo e orari")
        expect(page.locator(".board-ranking li.board-ranked").first).to_contain_text("3 bollini")
    expect(projector.locator(".board-card", has_text=DALMINE)).to_contain_text("Tempo e orari")
    expect(projector.locator(".board-card", has_text=DALMINE)).to_contain_text("3 bollini")
    expect(projector.locator("body")).not_to_contain_text("Poco tempo")  # the projector shows the top, by cluster
    shot(ada, "participant-results-360")
    shot(bruno, "participant-results-1280")
    shot(projector, "projector-results-1280")
    assert no_sideways_scroll(ada) and no_sideways_scroll(cy)

    # Locked: Dalmine's archive keeps its board, ranked, with the chart and its table.
    fac.click("#item-controls [data-cmd=lock]")
    expect(fac.locator("#current-state")).to_contain_text("Chius")
    fac.goto(f"{server.url}/f/networks/1/archive")
    archived = fac.locator(".board-archive")
    expect(archived).to_contain_text("Tempo e orari")
    expect(archived.locator("figure.chart svg")).to_have_count(1)
    expect(archived.locator("figure.chart table")).to_contain_text("Tempo e orari")
    expect(fac.locator("main")).not_to_contain_text("Nota di Garbagnate")
    shot(fac, "archive-1280")
    fac.set_viewport_size(PHONE)
    assert no_sideways_scroll(fac)
    shot(fac, "archive-360")
