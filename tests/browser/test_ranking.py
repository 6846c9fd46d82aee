"""Ranking in a real browser: a facilitator prepares it; three people of one network put the
options in order (one with the keyboard on a phone, one by dragging, one as proposed); the
console shows the average ranks and the network's breakdown, the projector shows them once
revealed, and the network's archive keeps them. Screenshots at 360 and 1280 px."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import connected, start_meeting

PHONE = {"width": 360, "height": 780}
DALMINE = "Ambito di Dalmine"
TITLE = "Su cosa lavorare per primo?"
OPTIONS = ["Valutazione", "Cultura di squadra", "Ruolo attivo dei cittadini"]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def order_of(page):
    return page.locator(".ranking-list .ranking-text").all_inner_texts()


def test_three_people_rank_the_options_and_the_results_reach_projector_and_archive(
        live_server, facilitator_page, participant, shot):
    server, fac = live_server, facilitator_page
    fac.goto(f"{server.url}/f/meetings/{server.meeting_id}")
    fac.select_option("#add-type", "ranking")
    fac.click("main form.inline-row button[type=submit]")
    fac.fill("#f-title", TITLE)
    fac.fill("#f-options", "\n".join(OPTIONS))
    fac.click("main form button[type=submit]")
    start_meeting(fac, server)
    with fac.context.expect_page() as opened:
        fac.click("#projector-link")
    projector = opened.value
    projector.set_viewport_size({"width": 1280, "height": 800})
    connected(projector)

    ada = participant("Ada", DALMINE, viewport=PHONE)
    bruno = participant("Bruno", DALMINE)
    carla = participant("Carla", DALMINE, viewport=PHONE)
    fac.locator("#agenda button", has_text=TITLE).click()
    expect(fac.locator("#current-title")).to_have_text(TITLE)
    fac.click("#item-controls [data-cmd=open]")
    for page in (ada, bruno, carla):
        expect(page.locator(".ranking-item")).to_have_count(3)

    # Ada, with the keyboard: "Cultura di squadra" up one place; the move is announced and the
    # focus stays on the option moved.
    up = ada.get_by_role("button", name="Sposta su: Cultura di squadra")
    up.focus()
    ada.keyboard.press("Enter")
    expect(ada.locator(".ranking-status")).to_contain_text("Cultura di squadra: spostata in posizione 1 di 3")
    assert order_of(ada) == ["Cultura di squadra", "Valutazione", "Ruolo attivo dei cittadini"]
    ada.keyboard.press("Tab")  # from the moved option's "down" button to the next control
    shot(ada, "participant-ordering-360")
    ada.click("#ranking-save")
    expect(ada.locator(".ranking-status")).to_contain_text("La tua classifica è salvata")

    # Bruno drags the last option to the top with the mouse.
    bruno.set_viewport_size({"width": 1280, "height": 1200})
    last, first = bruno.locator(".ranking-item").nth(2), bruno.locator(".ranking-item").nth(0)
    src, dst = last.locator(".ranking-text").bounding_box(), first.bounding_box()
    bruno.mouse.move(src["x"] + 5, src["y"] + src["height"] / 2)
    bruno.mouse.down()
    for step in range(1, 11):
        bruno.mouse.move(src["x"] + 5, src["y"] + src["height"] / 2 + (dst["y"] + 4 - src["y"] - src["height"] / 2) * step / 10)
    bruno.mouse.up()
    expect(bruno.locator(".ranking-item").first).to_contain_text("Ruolo attivo dei cittadini")
    bruno.click("#ranking-save")
    carla.click("#ranking-save")
    expect(bruno.locator(".ranking-status")).to_contain_text("La tua classifica è salvata")

    # The console: three answers, the average ranks and Dalmine's breakdown (three answers).
    expect(fac.locator(".ranking .total")).to_contain_text("Risposte: 3")
    expect(fac.locator(".ranking-network")).to_contain_text(DALMINE)
    expect(fac.locator(".ranking-network table")).to_have_count(1)
    expect(projector.locator("#exercise .big-count")).to_contain_text("Risposte: 3")  # hidden from the shared screen
    expect(ada.locator(".ranking")).to_contain_text("I risultati saranno mostrati dal facilitatore")
    shot(fac, "console-1280")

    fac.get_by_role("button", name="Mostra i risultati ai partecipanti").click()
    expect(projector.locator(".ranking-results li")).to_have_count(3)
    expect(projector.locator(".ranking-results li").first).to_contain_text("Valutazione")  # ranks 2, 2, 1
    expect(ada.locator(".ranking-results li")).to_have_count(3)
    shot(projector, "projector-1280")
    shot(ada, "participant-results-360")
    shot(bruno, "participant-results-1280")
    assert no_sideways_scroll(ada)

    fac.click("#item-controls [data-cmd=lock]")
    expect(fac.locator("#current-state")).to_contain_text("Chius")
    fac.goto(f"{server.url}/f/networks/1/archive")
    expect(fac.locator("main figure.chart")).to_have_count(2)  # this network (3 answers) and everyone
    expect(fac.locator("main figure.chart table").first).to_contain_text("Cultura di squadra")
    shot(fac, "archive-1280")
    fac.set_viewport_size(PHONE)
    assert no_sideways_scroll(fac)
    shot(fac, "archive-360")
