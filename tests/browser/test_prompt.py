"""The prompt card in a real browser: a themed lab meeting made from its shipped template, run
from start to end. The method's shared assumptions come as ready prompts; replies reach everyone's
wall, with names or, on the anonymous card, without; the facilitator highlights one for the
projector and hides another, which leaves a line in its place; a person takes a reply back;
the polls of the template follow; each network's archive keeps the replies."""

from __future__ import annotations

import sqlite3

from playwright.sync_api import expect

from .meetings import (
    BRESCIA,
    DALMINE,
    DESKTOP,
    PHONE,
    end,
    join,
    lock,
    meeting_from_template,
    no_sideways_scroll,
    open_item,
    projector,
    small_targets,
    start,
)

THIRD = 'Presupposto condiviso: la "terza cultura"'
ROLE = "Presupposto condiviso: ogni ruolo dà forma alla comunità"


def reply(page, text):
    page.fill("#p-text", text)
    page.click(".p-form button[type=submit]")
    expect(page.locator(".p-mine-list li", has_text=text)).to_be_visible()


def card(page, text, where=".p-wall"):
    return page.locator(f"{where} .p-card").filter(has=page.locator(".p-text", has_text=text))


def test_prompt_cards_collect_replies_as_a_wall_and_the_themed_lab_runs_to_its_end(
    live_server, facilitator_page, new_page, shot
):
    server, fac = live_server, facilitator_page
    fac.set_viewport_size(DESKTOP)
    meeting, code = meeting_from_template(fac, server, "shipped:themed_lab", "Incontro tematico 2")
    titles = fac.locator(".agenda .agenda-title").all_inner_texts()
    assert titles[1:3] == [THIRD, ROLE], titles
    start(fac, server, meeting)
    screen = projector(fac)
    ada = join(new_page, server, code, "Ada", DALMINE, PHONE)
    bruno = join(new_page, server, code, "Bruno", BRESCIA, DESKTOP)

    # The check-in poll: one word each.
    open_item(fac, "In una parola: che cosa porti al tema di oggi?")
    for page, word in ((ada, "curiosità"), (bruno, "esperienza")):
        page.fill("input.poll-open", word)
        page.click("#exercise form button[type=submit]")
        expect(page.locator("#exercise")).to_contain_text(word)
    lock(fac)

    # The "third culture" card: the shared assumption, as it is written in the method.
    open_item(fac, THIRD)
    for page in (ada, bruno, screen):
        expect(page.locator(".p-prompt blockquote")).to_contain_text("terza cultura")
    reply(ada, "Una cultura nuova che nasce dall'incontro")
    reply(bruno, "La scuola come luogo comune")
    reply(bruno, "Da togliere")
    expect(card(ada, "La scuola come luogo comune")).to_contain_text("Bruno")
    expect(card(fac, "Una cultura nuova", ".p-wall-console")).to_contain_text("Ada")
    expect(card(ada, "Da togliere")).to_have_count(1)

    # Bruno takes one back; the facilitator highlights Ada's for the room and hides one of Bruno's.
    bruno.locator(".p-mine-list li", has_text="Da togliere").locator("button").click()
    expect(card(ada, "Da togliere")).to_have_count(0)
    expect(ada.locator(".p-wall .p-gone")).to_have_count(1)
    card(fac, "Una cultura nuova", ".p-wall-console").locator("button", has_text="Metti in evidenza").click()
    expect(screen.locator(".p-proj-hl .p-text")).to_have_text(["Una cultura nuova che nasce dall'incontro"])
    expect(card(bruno, "Una cultura nuova")).to_contain_text("In evidenza")
    highlight = card(fac, "Una cultura nuova", ".p-wall-console").locator("button", has_text="Togli l'evidenza")
    expect(highlight).to_be_visible()
    card(fac, "La scuola come luogo comune", ".p-wall-console").locator("button", has_text="Nascondi").click()
    expect(ada.locator(".p-wall .p-gone")).to_have_count(2)
    expect(bruno.locator(".p-mine-list li", has_text="La scuola")).to_contain_text("Nascosta dal facilitatore")
    expect(card(fac, "La scuola come luogo comune", ".p-wall-console")).to_contain_text("Nascosta")
    shot(ada, "participant-360")
    assert no_sideways_scroll(ada) and small_targets(ada) == []
    shot(bruno, "participant-1280")
    shot(fac, "console-1280")
    fac.set_viewport_size(PHONE)
    shot(fac, "console-360")
    assert no_sideways_scroll(fac)
    assert [t for t in small_targets(fac) if "p-" in t] == []
    fac.set_viewport_size(DESKTOP)
    screen.set_viewport_size({"width": 1280, "height": 720})
    shot(screen, "projector-1280")
    screen.set_viewport_size(PHONE)
    shot(screen, "projector-360")
    assert no_sideways_scroll(screen)
    lock(fac)
    expect(ada.locator("#p-text")).to_be_disabled()

    # The anonymous card: nobody's name, on the console either.
    open_item(fac, ROLE)
    expect(ada.locator("#p-note")).to_contain_text("anonime")
    reply(ada, "Chi chiede aiuto porta anche risorse")
    expect(card(fac, "Chi chiede aiuto", ".p-wall-console")).to_contain_text("Anonima")
    assert "Ada" not in card(fac, "Chi chiede aiuto", ".p-wall-console").inner_text()
    expect(card(bruno, "Chi chiede aiuto")).to_contain_text("Anonima")
    lock(fac)

    # The aspects poll and the closing poll, then the end.
    open_item(fac, "Su quali aspetti deve lavorare di più la vostra rete?")
    ada.locator(".choices input[type=checkbox]").first.check()
    ada.locator("#exercise button", has_text="Invia").click()
    expect(ada.locator(".poll-status")).not_to_be_empty()
    lock(fac)
    open_item(fac, "Consiglieresti questo laboratorio a un collega?")
    ada.locator("button.choice", has_text="4").click()
    expect(ada.locator("button.choice[aria-pressed=true]")).to_have_text("4")
    lock(fac)
    end(fac, ada)

    with sqlite3.connect(server.db_path) as conn:
        dalmine = conn.execute("SELECT id FROM networks WHERE name = ?", [DALMINE]).fetchone()[0]
    fac.goto(f"{server.url}/f/networks/{dalmine}/archive")
    expect(fac.locator(".p-archive li", has_text="Una cultura nuova")).to_contain_text("Questa rete")
    expect(fac.locator(".p-archive li", has_text="La scuola come luogo comune")).to_have_count(0)  # hidden
    expect(fac.locator(".p-archive-prompt").first).to_contain_text("terza cultura")
    shot(fac, "archive-1280")
