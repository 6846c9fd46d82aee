"""A facilitator admits people by hand from the console; a refused person stays out."""

from .conftest import connected, start_meeting


def fill_join(page, server, name):
    page.goto(f"{server.url}/j/{server.code}")
    page.fill("#name", name)
    page.select_option("#network", index=1)
    page.click("main form button[type=submit]")


def test_admission_by_hand_from_the_console(live_server, facilitator_page, new_page, shot):
    console = facilitator_page
    start_meeting(console, live_server)
    console.select_option("#admission-mode", "manual")
    ada, bo = new_page(), new_page()
    fill_join(ada, live_server, "Ada Attesa")
    ada.wait_for_selector("#waiting")
    fill_join(bo, live_server, "Bo Rifiutato")
    bo.wait_for_selector("#waiting")
    # The console learns at once who waits, with buttons to decide.
    row = console.locator("#waiting li", has_text="Ada Attesa")
    row.wait_for()
    assert console.locator("#waiting li").count() == 2
    shot(console, "waiting-room")
    row.locator("[data-admit=yes]").click()
    console.locator("#waiting li", has_text="Bo Rifiutato").locator("[data-admit=no]").click()
    console.wait_for_selector("#waiting li", state="detached")
    # The waiting page opens the meeting by itself once admitted.
    ada.wait_for_selector("#participant")
    connected(ada)
    bo.wait_for_selector("#refused")
    console.locator("#people", has_text="Ada Attesa").wait_for()
    assert "Bo Rifiutato" not in console.inner_text("#people")
