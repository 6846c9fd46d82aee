"""Agenda templates in a real browser: the shipped project-focus meeting (a needs poll, the
obstacle board, the squad canvas, a closing poll) made on the lab's page and run from start to end; the meeting duplicated for the lab's next session and its agenda saved as
a template, which makes the same agenda again. (The closing conference and the themed lab
meeting run from start to end in test_questions.py and test_prompt.py.)"""

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
    lab_of,
    lock,
    meeting_from_template,
    no_sideways_scroll,
    open_item,
    small_targets,
    start,
)

NEEDS = "A quali bisogni risponde per primi il progetto della vostra rete?"
BOARD = "Ostacoli a una cultura di squadra e alla corresponsabilità"
SQUAD = "La nostra squadra territoriale"
CLOSING = "Quanto ha aiutato questo incontro il progetto della vostra rete?"


def agenda_titles(page):
    return page.locator(".agenda .agenda-title").all_inner_texts()


def test_a_project_focus_meeting_from_its_template_runs_to_its_end_and_its_agenda_is_reused(
    live_server, facilitator_page, new_page, shot
):
    server, fac = live_server, facilitator_page
    fac.set_viewport_size(DESKTOP)

    # The templates: every exercise of the project focus is installed.
    fac.goto(f"{server.url}/f/templates")
    focus = fac.locator(".template-card", has_text="Incontro di focus sul progetto")
    expect(focus.locator("li.available")).to_have_count(4)
    expect(focus).to_contain_text("Bacheca degli ostacoli")
    expect(fac.locator(".template-card")).to_have_count(3)
    shot(fac, "templates-1280")
    fac.set_viewport_size(PHONE)
    shot(fac, "templates-360")
    assert no_sideways_scroll(fac) and small_targets(fac) == []
    fac.goto(f"{server.url}/f/labs/{lab_of(server)}")
    option = fac.locator("#template-choice option[value='shipped:project_focus']")
    expect(option).not_to_contain_text("non disponibil")
    shot(fac, "lab-360")
    assert no_sideways_scroll(fac) and small_targets(fac) == []
    fac.set_viewport_size(DESKTOP)

    # The meeting is made with its whole agenda.
    meeting, code = meeting_from_template(fac, server, "shipped:project_focus", "Focus sul progetto 3")
    expect(fac.locator(".flash-error")).to_have_count(0)
    assert agenda_titles(fac) == [NEEDS, BOARD, SQUAD, CLOSING]
    shot(fac, "meeting-1280")

    # From start to end: the needs poll, the squad canvas, the closing poll.
    start(fac, server, meeting)
    ada = join(new_page, server, code, "Ada", DALMINE, PHONE)
    bruno = join(new_page, server, code, "Bruno", BRESCIA, DESKTOP)
    open_item(fac, NEEDS)
    for page, option_index in ((ada, 1), (bruno, 4)):
        page.locator(".choices input[type=checkbox]").nth(option_index).check()
        page.locator("#exercise button", has_text="Invia").click()
        expect(page.locator(".poll-status")).not_to_be_empty()
    expect(fac.locator("#exercise .total")).to_contain_text("2")
    lock(fac)
    open_item(fac, BOARD)
    ada.fill("#board-text", "Poco tempo per incontrarsi tra servizi")
    ada.click(".board-write button[type=submit]")
    expect(fac.locator(".board-card", has_text=DALMINE)).to_contain_text("Ostacoli a una cultura di squadra · note: 1")
    lock(fac)
    open_item(fac, SQUAD)
    goal = ada.locator('[data-key="goal"][data-field=text]')
    goal.click()
    goal.fill("Ogni famiglia trova la sua porta")
    goal.blur()
    expect(fac.locator("#exercise")).to_contain_text("Ogni famiglia trova la sua porta")
    lock(fac)
    open_item(fac, CLOSING)
    ada.locator("button.choice", has_text="4").click()
    expect(ada.locator("button.choice[aria-pressed=true]")).to_have_text("4")
    lock(fac)
    end(fac, ada)

    with sqlite3.connect(server.db_path) as conn:
        dalmine = conn.execute("SELECT id FROM networks WHERE name = ?", [DALMINE]).fetchone()[0]
    fac.goto(f"{server.url}/f/networks/{dalmine}/archive")
    expect(fac.locator("main")).to_contain_text("Ogni famiglia trova la sua porta")
    expect(fac.locator("main")).to_contain_text(NEEDS)

    # The next session of the lab: the same agenda, nothing opened yet.
    fac.goto(f"{server.url}/f/meetings/{meeting}")
    fac.fill("#duplicate-title", "Focus sul progetto 4")
    fac.fill("#duplicate-date", "2027-02-10T09:30")
    shot(fac, "reuse-1280")
    fac.click("#duplicate-meeting")
    fac.wait_for_url(lambda url: not url.endswith(f"/f/meetings/{meeting}"))
    expect(fac.locator("h1")).to_contain_text("Focus sul progetto 4")
    expect(fac.locator("h1 .badge")).to_have_class("badge state-draft")
    assert agenda_titles(fac) == [NEEDS, BOARD, SQUAD, CLOSING]
    fac.set_viewport_size(PHONE)
    shot(fac, "duplicated-360")
    assert no_sideways_scroll(fac) and small_targets(fac) == []
    fac.set_viewport_size(DESKTOP)

    # Its agenda saved as a template makes the same agenda in a new meeting.
    fac.fill("#template-name", "Focus con la squadra")
    fac.click("#save-template")
    fac.wait_for_url("**/f/templates")
    saved = fac.locator(".template-card", has_text="Focus con la squadra")
    expect(saved.locator("li.available")).to_have_count(4)
    made, _ = meeting_from_template(
        fac, server, saved.get_attribute("id").replace("template-saved-", "saved:"), "Focus sul progetto 5"
    )
    assert made not in (meeting,)
    assert agenda_titles(fac) == [NEEDS, BOARD, SQUAD, CLOSING]
