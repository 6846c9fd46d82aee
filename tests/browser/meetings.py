"""Steps of a meeting in a real browser, shared by the tests of exercises run from agenda templates:
a meeting of the demo lab made from a template, started, its exercises opened and locked in turn,
ended. Built on the fixtures of ``conftest.py``."""

from __future__ import annotations

import sqlite3

from playwright.sync_api import expect

from .conftest import connected

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 860}
DALMINE, BRESCIA, GARBAGNATE = "Ambito di Dalmine", "Brescia", "Garbagnate Milanese"


def lab_of(server) -> int:
    with sqlite3.connect(server.db_path) as conn:
        return conn.execute("SELECT lab_id FROM meetings WHERE id = ?", [server.meeting_id]).fetchone()[0]


def meeting_from_template(page, server, key: str, title: str) -> tuple[int, str]:
    """On the demo lab's page, a new meeting from the template ``key``; returns its id and join code."""
    page.goto(f"{server.url}/f/labs/{lab_of(server)}")
    page.select_option("#template-choice", key)
    page.fill("#template-title", title)
    page.click("#create-from-template")
    page.wait_for_url("**/f/meetings/*")
    meeting_id = int(page.url.rsplit("/", 1)[1].split("#")[0])
    return meeting_id, page.inner_text("#join-code").replace(" ", "")


def start(page, server, meeting_id: int) -> None:
    page.goto(f"{server.url}/f/meetings/{meeting_id}")
    page.click("#start-meeting")
    page.wait_for_url(f"**/f/meetings/{meeting_id}/console")
    connected(page)
    page.on("dialog", lambda dialog: dialog.accept())


def projector(page):
    """The projector, opened from the console in a tab of its own."""
    with page.context.expect_page() as opened:
        page.click("#projector-link")
    screen = opened.value
    screen.wait_for_load_state()
    connected(screen)
    return screen


def join(new_page, server, code: str, name: str, network: str, viewport=None):
    page = new_page(viewport=viewport)
    page.goto(f"{server.url}/j/{code}")
    page.fill("#name", name)
    page.fill("#organisation", "Cooperativa Esempio")
    page.select_option("#network", label=network)
    page.click("main form button[type=submit]")
    page.wait_for_selector("#participant")
    connected(page)
    return page


def open_item(page, title: str) -> None:
    """The facilitator makes ``title`` the current exercise and opens it."""
    page.locator("#agenda button", has_text=title).first.click()
    expect(page.locator("#current-title")).to_have_text(title)
    page.click("#item-controls [data-cmd=open]")
    expect(page.locator("#item-controls [data-cmd=lock]")).to_be_enabled()


def lock(page) -> None:
    page.click("#item-controls [data-cmd=lock]")
    expect(page.locator("#item-controls [data-cmd=open]")).to_be_enabled()


def end(page, participant) -> None:
    """The facilitator ends the meeting (the confirmation is accepted by ``start``'s handler);
    a participant's page says so."""
    page.click("#end-meeting")
    expect(participant.locator("#exercise")).to_contain_text("Questo incontro è terminato")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def small_targets(page) -> list[str]:
    """Controls a finger uses that are smaller than 44 px (the design survey's own check)."""
    from .test_design import SMALL_TARGETS

    return page.evaluate(SMALL_TARGETS)
