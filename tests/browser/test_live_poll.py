"""The acceptance flow in a real browser: a facilitator runs the demo meeting, two people vote."""

from __future__ import annotations

from playwright.sync_api import expect

from facilitation.store import format_code

from .conftest import connected, join, start_meeting

PHONE = {"width": 360, "height": 740}
DALMINE, BRESCIA = "Ambito di Dalmine", "Brescia"
FIRST, SECOND = "Con una rete già attiva", "Con una rete in costruzione"


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_facilitator_runs_a_poll_two_participants_vote_and_see_results(
    live_server, facilitator_page, new_page, participant, shot
):
    server, fac = live_server, facilitator_page

    # The facilitator starts the demo meeting from its page and lands on the console.
    fac.goto(f"{server.url}/f/meetings/{server.meeting_id}")
    assert fac.inner_text("#join-code") == format_code(server.code)
    shot(fac, "meeting-page")
    start_meeting(fac, server)
    fac.wait_for_selector("#agenda .agenda-item.current")

    # The projector opens from the console, in a tab of its own.
    with fac.context.expect_page() as opened:
        fac.click("#projector-link")
    projector = opened.value
    projector.wait_for_load_state()
    connected(projector)

    # One participant follows the link on a phone, the other types the code on the home page.
    ada = participant("Ada", DALMINE, viewport=PHONE)
    bruno = new_page()
    bruno.goto(f"{server.url}/")
    bruno.fill("#code", format_code(server.code).lower())
    bruno.click("main form button[type=submit]")
    bruno.wait_for_url(f"**/j/{server.code}")
    join(bruno, server, "Bruno", BRESCIA)
    ada.wait_for_selector("text=Non ancora aperto")  # the first poll, not open yet, in Italian

    # The console shows both, online, grouped by network.
    expect(fac.locator("#people li.online")).to_have_count(2)
    groups = fac.locator("#people .people-group h3").all_inner_texts()
    assert groups == [f"{DALMINE} (1/1)", f"{BRESCIA} (1/1)"]
    assert fac.inner_text("#online-count") == "2"

    # The facilitator opens the first poll; both vote.
    fac.click("#item-controls [data-cmd=open]")
    for page in (ada, bruno):
        page.wait_for_selector("button.choice:not([disabled])")
    ada.click(f"button.choice:has-text('{FIRST}')")
    bruno.click(f"button.choice:has-text('{SECOND}')")
    for page, chosen in ((ada, FIRST), (bruno, SECOND)):
        page.wait_for_selector(f"button.choice[aria-pressed=true]:has-text('{chosen}')")
    shot(ada, "participant-voted-phone")

    # Results are live on the console; hidden on the projector, which counts answers.
    expect(fac.locator("#exercise .total")).to_have_text("Risposte: 2")
    expect(projector.locator("#exercise .answered")).to_have_text("2 persone su 2 hanno risposto")
    assert projector.locator("#exercise .bars").count() == 0
    assert "hidden" not in fac.inner_text("#current-state")

    # A reload brings Ada back with her vote selected and no results yet.
    ada.reload()
    connected(ada)
    ada.wait_for_selector(f"button.choice[aria-pressed=true]:has-text('{FIRST}')")
    assert ada.locator("button.choice[aria-pressed=true]").count() == 1
    assert ada.locator(".results").count() == 0

    # The facilitator reveals: both see the results, and so does the projector.
    fac.click("#item-controls [data-cmd=reveal]")
    for page in (ada, bruno, projector):
        page.wait_for_selector("#exercise .bars")
        values = page.locator("#exercise .bar-value").all_inner_texts()
        assert values == ["1 (50%)", "1 (50%)", "0 (0%)"], values
    shot(fac, "console-revealed")
    shot(bruno, "participant-results")

    # The projector shows the join code and a QR image that loaded.
    assert format_code(server.code) in projector.inner_text(".join-code")
    assert projector.evaluate("document.querySelector('img.qr').naturalWidth") > 0
    projector.set_viewport_size({"width": 1280, "height": 720})
    shot(projector, "projector-revealed")

    # A 360 px phone scrolls only vertically.
    assert no_horizontal_scroll(ada)
    ada.reload()
    connected(ada)
    ada.wait_for_selector("#exercise .bars")
    assert no_horizontal_scroll(ada)
    shot(ada, "participant-results-phone")
