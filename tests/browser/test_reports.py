"""Reports in a real browser: the programme dashboard (filters, a figure downloaded as CSV) and the
lab e-book (its chapters, a PDF built with its progress shown, then downloaded), at 360 and 1280
px, screenshots in test-artifacts/; nothing scrolls sideways on a phone."""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest
from playwright.sync_api import expect

from facilitation.demo import HISTORY_LAB

from ..liveserver import LiveServer
from .conftest import login

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def history_server(tmp_path):
    """The real server with the demo and a past lab of three held meetings (12 people each)."""
    server = LiveServer(tmp_path / "instance")
    server.seed_demo()
    server.run("seed-demo", "--base-url", server.url, "--history", "3")
    with sqlite3.connect(server.db_path) as conn:
        server.lab_id = conn.execute("SELECT id FROM labs WHERE title = ?", [HISTORY_LAB]).fetchone()[0]
    server.start()
    yield server
    server.stop()
    print(server.log())


def no_sideways_scroll(page) -> None:
    assert page.evaluate(OVERFLOW) <= 0, "the page scrolls sideways at 360 px"


def test_the_dashboard_filters_and_a_figure_downloads_as_csv(new_page, history_server, shot):
    page = new_page()
    login(page, history_server)
    page.goto(f"{history_server.url}/f/reports")
    expect(page.locator("#summary-participation")).to_be_visible()
    shot(page, "dashboard-1280")
    page.select_option("#filter-lab", label=HISTORY_LAB)
    page.fill("#filter-from", "2026-01-12")
    page.fill("#filter-to", "2026-01-20")
    page.click("#apply-filters")
    page.wait_for_url("**/f/reports?*")
    expect(page.locator("#meeting-count")).to_contain_text("2 incontri")
    tiles = page.locator("#summary-participation dd")
    expect(tiles.nth(0)).to_have_text("24")  # two meetings of twelve people
    expect(tiles.nth(2)).to_have_text("2")
    expect(tiles.nth(3)).to_have_text("8,0")  # two meetings of four hours
    figure = page.locator("#figure-participation-networks")
    expect(figure.locator("svg[role=img]")).to_be_visible()
    expect(figure.locator("table tbody tr")).to_have_count(5)
    with page.expect_download() as caught:
        page.click("#csv-participation-networks")
    rows = list(csv.reader(io.StringIO(open(caught.value.path(), encoding="utf-8-sig").read())))
    assert rows[0] == ["Rete", "Incontri", "Presenze", "Ore-partecipante"]
    assert len(rows) == 6 and all(row[1] == "2" for row in rows[1:])
    assert sum(int(row[2]) for row in rows[1:]) == 24
    page.set_viewport_size({"width": 360, "height": 800})
    no_sideways_scroll(page)
    shot(page, "dashboard-filtered-360")
    page.click("#clear-filters")
    expect(page.locator("#meeting-count")).to_contain_text("3 incontri")


def test_building_and_downloading_the_ebook_with_its_progress(new_page, history_server, shot):
    page = new_page()
    login(page, history_server)
    page.goto(f"{history_server.url}/f/labs/{history_server.lab_id}/ebook")
    expect(page.locator("#ebook-contents li")).to_have_count(3)
    shot(page, "ebook-1280")
    page.click("#ebook-contents li >> nth=0 >> a")
    expect(page.locator("h1")).to_contain_text("1. Incontro 1")
    expect(page.locator(".report-result").first).to_be_visible()
    shot(page, "ebook-chapter-1280")
    page.set_viewport_size({"width": 360, "height": 800})
    no_sideways_scroll(page)
    shot(page, "ebook-chapter-360")
    page.goto(f"{history_server.url}/f/labs/{history_server.lab_id}/ebook")
    no_sideways_scroll(page)
    page.click("#build-pdf")
    page.wait_for_url("**/f/reports/jobs/*")
    expect(page.locator("#job-progress")).to_be_visible()
    expect(page.locator("#job-state")).not_to_be_empty()
    shot(page, "ebook-pdf-progress-360")
    # The builder is a process of its own: a Python start and WeasyPrint, slow on a busy machine.
    expect(page.locator("#job-download-row")).to_be_visible(timeout=240_000)
    expect(page.locator("#job-state")).to_have_text("Pronto.")
    assert page.locator("#job-progress").get_attribute("value") == "100"
    shot(page, "ebook-pdf-ready-360")
    with page.expect_download() as caught:
        page.click("#job-download")
    assert open(caught.value.path(), "rb").read(5) == b"%PDF-"
    assert caught.value.suggested_filename == f"ebook-lab-{history_server.lab_id}.pdf"
    page.set_viewport_size({"width": 1280, "height": 860})
    shot(page, "ebook-pdf-ready-1280")
