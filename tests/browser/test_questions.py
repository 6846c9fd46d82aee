"""Questions with upvotes in a real browser: a closing conference made from its shipped template,
run from start to end. Questions held for approval reach the console only; an anonymous question
names nobody; upvotes change counts in place while the reader's list keeps its order until they
ask for the new one (and the keyboard focus stays where it was); the facilitator approves, merges
a duplicate, pins, marks answered and hides; the projector shows the pinned and the top questions;
the polls of the template follow; each network's archive keeps the questions."""

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

ADA_Q = "Come misuriamo il cambiamento nelle reti?"
BRUNO_Q = "Chi tiene i contatti tra scuole e servizi?"
CARLA_Q = "Come si misura il cambiamento?"


def ask(page, text, anonymous=False):
    page.fill("#q-text", text)
    if anonymous:
        page.check("#q-anon")
    page.click(".q-ask button[type=submit]")
    expect(page.locator(".q-mine-list li", has_text=text)).to_be_visible()


def row(page, text, where=".q-list"):
    """The row of a question by its own text (a console row also lists the others, to merge with)."""
    return page.locator(f"{where} .q-item").filter(has=page.locator(".q-text", has_text=text))


def test_questions_are_asked_moderated_upvoted_and_archived(live_server, facilitator_page, new_page, shot):
    server, fac = live_server, facilitator_page
    fac.set_viewport_size(DESKTOP)
    meeting, code = meeting_from_template(fac, server, "shipped:closing_conference", "Convegno finale 2026")
    expect(fac.locator(".flash").first).to_contain_text("Convegno finale")
    start(fac, server, meeting)
    screen = projector(fac)
    ada = join(new_page, server, code, "Ada", DALMINE, PHONE)
    bruno = join(new_page, server, code, "Bruno", BRESCIA, DESKTOP)
    carla = join(new_page, server, code, "Carla", DALMINE, PHONE)
    open_item(fac, "Domande per i relatori")

    # Held for approval: Ada's question reaches the console, not the room.
    expect(ada.locator("#q-notes")).to_contain_text("Il facilitatore legge ogni domanda")
    ask(ada, ADA_Q)
    expect(ada.locator(".q-status")).to_contain_text("quando il facilitatore la approva")
    expect(ada.locator(".q-mine-list li", has_text=ADA_Q)).to_contain_text("In attesa di approvazione")
    expect(row(fac, ADA_Q, ".q-held")).to_contain_text("Ada")
    shot(fac, "console-held-1280")
    expect(bruno.locator(".q-list .q-item")).to_have_count(0)
    row(fac, ADA_Q, ".q-held").locator("button", has_text="Approva").click()
    expect(row(bruno, ADA_Q)).to_be_visible()
    expect(ada.locator(".q-mine-list li", has_text=ADA_Q)).to_contain_text("Pubblicata")

    # Bruno asks without his name: nobody sees it, not even the facilitator.
    ask(bruno, BRUNO_Q, anonymous=True)
    row(fac, BRUNO_Q, ".q-held").locator("button", has_text="Approva").click()
    expect(row(fac, BRUNO_Q)).to_contain_text("Anonima")
    expect(row(carla, BRUNO_Q)).to_contain_text("Anonima")
    assert "Bruno" not in row(fac, BRUNO_Q).inner_text()
    expect(bruno.locator(".q-list .q-text")).to_have_text([ADA_Q, BRUNO_Q])

    # Carla upvotes Bruno's question with a tap, Ada with the keyboard; each once.
    row(carla, BRUNO_Q).locator(".q-vote").click()
    expect(row(carla, BRUNO_Q).locator(".q-vote")).to_have_attribute("aria-pressed", "true")
    vote = row(ada, BRUNO_Q).locator(".q-vote")
    vote.focus()
    ada.keyboard.press("Enter")
    expect(vote).to_have_attribute("aria-pressed", "true")
    expect(row(ada, BRUNO_Q).locator(".q-count")).to_have_text("2")
    assert ada.evaluate("document.activeElement.classList.contains('q-vote')")  # the push kept the focus
    expect(row(bruno, BRUNO_Q).locator(".q-own-count")).to_contain_text("2")
    expect(row(bruno, ADA_Q).locator(".q-vote")).to_be_visible()
    assert row(bruno, BRUNO_Q).locator(".q-vote").is_hidden()  # no upvote of one's own question

    # Bruno's list keeps its order under his eyes; the new order waits for him.
    expect(bruno.locator(".q-list .q-text")).to_have_text([ADA_Q, BRUNO_Q])
    expect(bruno.locator(".q-news")).to_be_visible()
    shot(bruno, "participant-new-order-1280")
    bruno.locator(".q-news button").click()
    expect(bruno.locator(".q-list .q-text")).to_have_text([BRUNO_Q, ADA_Q])
    expect(bruno.locator(".q-news")).to_be_hidden()
    expect(screen.locator(".q-proj-top .q-proj-text")).to_have_text([BRUNO_Q, ADA_Q])
    screen.set_viewport_size({"width": 1280, "height": 720})
    shot(screen, "projector-top-1280")

    # Carla asks what Ada asked; the facilitator merges it into Ada's.
    ask(carla, CARLA_Q)
    row(fac, CARLA_Q, ".q-held").locator("button", has_text="Approva").click()
    expect(row(carla, CARLA_Q)).to_be_visible()
    merge = row(fac, CARLA_Q)
    merge.locator(".q-merge summary").click()
    merge.locator("select").select_option(label=ADA_Q)
    merge.locator(".q-merge button").click()
    expect(carla.locator(".q-mine-list li", has_text=CARLA_Q)).to_contain_text("Unita a una domanda simile")
    expect(row(fac, CARLA_Q)).to_have_count(0)

    # Pinned and answered: the projector shows the pinned question, and the top of those not answered.
    row(fac, ADA_Q).locator("button", has_text="Fissa sul proiettore").click()
    row(fac, BRUNO_Q).locator("button", has_text="Segna come con risposta").click()
    expect(screen.locator(".q-proj-pinned .q-proj-text")).to_have_text([ADA_Q])
    expect(screen.locator(".q-proj-top .q-proj-item")).to_have_count(0)
    expect(row(carla, BRUNO_Q)).to_contain_text("Risposta data")
    expect(row(fac, ADA_Q)).to_contain_text("Fissata")
    shot(fac, "console-moderated-1280")
    screen.set_viewport_size({"width": 1280, "height": 720})
    shot(screen, "projector-1280")
    screen.set_viewport_size(PHONE)
    shot(screen, "projector-360")
    assert no_sideways_scroll(screen)
    shot(ada, "participant-360")
    assert no_sideways_scroll(ada) and small_targets(ada) == []
    shot(bruno, "participant-1280")

    # Hidden: it leaves a line in the place it had, in Carla's list and everyone's.
    row(fac, BRUNO_Q).locator("button", has_text="Nascondi").click()
    expect(carla.locator(".q-list .q-gone", has_text="tolta dal facilitatore")).to_have_count(1)
    expect(carla.locator(".q-list .q-gone", has_text="Unita a una domanda simile")).to_have_count(1)
    expect(fac.locator(".q-hidden .q-item", has_text=BRUNO_Q)).to_have_count(1)
    fac.set_viewport_size(PHONE)
    shot(fac, "console-360")
    assert no_sideways_scroll(fac)
    assert [t for t in small_targets(fac) if ".q-" in t or "q-" in t] == []
    fac.set_viewport_size(DESKTOP)
    lock(fac)
    expect(ada.locator(".q-ask button[type=submit]")).to_be_disabled()

    # The polls of the closing conference, then the end.
    open_item(fac, "Consiglieresti il supporto del programma a un'altra rete?")
    ada.locator("button.choice", has_text="5").click()
    expect(ada.locator("button.choice[aria-pressed=true]")).to_have_text("5")
    lock(fac)
    for title in ("Che cosa hai apprezzato di più del supporto?", "Che cosa è stato critico?"):
        open_item(fac, title)
        ada.locator(".choices input[type=checkbox]").first.check()
        ada.locator("#exercise button", has_text="Invia").click()
        expect(ada.locator(".poll-status")).not_to_be_empty()
        lock(fac)
    end(fac, ada)

    # Dalmine's archive keeps the room's questions, its own marked.
    with sqlite3.connect(server.db_path) as conn:
        dalmine = conn.execute("SELECT id FROM networks WHERE name = ?", [DALMINE]).fetchone()[0]
    fac.goto(f"{server.url}/f/networks/{dalmine}/archive")
    archived = fac.locator(".q-archive li", has_text=ADA_Q)
    expect(archived).to_contain_text("Questa rete")
    expect(fac.locator(".q-archive li", has_text=BRUNO_Q)).to_have_count(0)  # hidden: not kept
    shot(fac, "archive-1280")
