"""A lost connection brings the person back where they were: the server dies and comes back."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import connected, join, start_meeting

FIRST, SECOND = "Con una rete già attiva", "Da soli, per ora"


def test_pages_reconnect_after_a_server_restart_and_keep_the_vote(live_server, facilitator_page, participant):
    fac = facilitator_page
    start_meeting(fac, live_server)
    fac.click("#item-controls [data-cmd=open]")
    ada = participant("Ada")
    ada.click(f"button.choice:has-text('{FIRST}')")
    expect(ada.locator("button.choice[aria-pressed=true]")).to_have_text(FIRST)

    live_server.kill()
    ada.wait_for_selector("body[data-connection=reconnecting]")
    expect(ada.locator("#status")).not_to_be_empty()  # the person is told
    live_server.start()  # same port, same database

    for page in (ada, fac):
        connected(page)
    expect(ada.locator("button.choice[aria-pressed=true]")).to_have_text(FIRST)
    ada.click(f"button.choice:has-text('{SECOND}')")
    expect(ada.locator("button.choice[aria-pressed=true]")).to_have_text(SECOND)
    expect(fac.locator("#exercise .bar-value")).to_have_text(["0 (0%)", "0 (0%)", "1 (100%)"])
    expect(fac.locator("#people li.online")).to_have_count(1)


def test_a_lost_connection_is_said_on_a_phone_without_moving_the_page(live_server, facilitator_page, participant,
                                                                       shot):
    """The line saying the connection is lost shows over the top of the screen: the choices under the
    person's finger stay where they were, even where the sentence takes two lines."""
    fac = facilitator_page
    start_meeting(fac, live_server)
    fac.click("#item-controls [data-cmd=open]")
    ada = participant("Ada", viewport={"width": 360, "height": 740})
    choice = ada.locator(f"button.choice:has-text('{FIRST}')")
    expect(choice).to_be_visible()
    before = choice.bounding_box()

    live_server.kill()
    ada.wait_for_selector("body[data-connection=reconnecting]")
    status = ada.locator("#status")
    expect(status).to_be_visible()
    expect(status).to_contain_text("Connessione persa")
    assert choice.bounding_box() == before, "the choices did not move"
    assert ada.evaluate("document.documentElement.scrollWidth") <= 360
    shot(ada, "reconnecting-360")
    live_server.start()
    connected(ada)
    expect(status).to_be_hidden()
    assert choice.bounding_box() == before


# Every message the page's socket receives, kept in the page, and the socket itself, so a test can hand
# the page a message as if it had arrived from the server.
CAPTURE = """(() => {
  let real;
  Object.defineProperty(window, "io", { configurable: true, get() { return real; }, set(made) {
    real = Object.assign(function (...args) {
      const socket = made(...args);
      window.__socket = socket;
      socket.onAny((name, message) => (window.__got = window.__got || []).push([name, message]));
      return socket;
    }, made);
  } });
})()"""


def test_an_older_meeting_message_arriving_last_never_takes_the_page_back(live_server, facilitator_page, new_page):
    """Two controls close together are broadcast each after its own commit; on a busy server, or across
    processes, the older one can arrive last. The page keeps the newer meeting state (by sequence)."""
    fac = facilitator_page
    start_meeting(fac, live_server)
    fac.click("#item-controls [data-cmd=open]")
    ada = new_page()
    ada.add_init_script(CAPTURE)
    ada.goto(f"{live_server.url}/j/{live_server.code}")
    join(ada, live_server, "Ada")
    expect(ada.locator(f"button.choice:has-text('{FIRST}')")).to_be_enabled()

    fac.click("#item-controls [data-cmd=lock]")
    expect(ada.locator(f"button.choice:has-text('{FIRST}')")).to_be_disabled()
    newest = ada.evaluate("window.__got.filter(([name]) => name === 'meeting').pop()[1]")
    assert newest["item"]["status"] == "locked"
    # The message of the control before (the poll still open) arrives now, late.
    ada.evaluate("m => window.__socket.listeners('meeting').forEach((f) => f(m))",
                 {**newest, "seq": newest["seq"] - 1, "item": {**newest["item"], "status": "open"}})
    ada.evaluate("m => window.__socket.listeners('meeting').forEach((f) => f(m))",
                 {**newest, "seq": newest["seq"] - 2, "item": None})
    expect(ada.locator(f"button.choice:has-text('{FIRST}')")).to_be_disabled()
    # A newer one is taken as usual.
    fac.click("#item-controls [data-cmd=open]")
    expect(ada.locator(f"button.choice:has-text('{FIRST}')")).to_be_enabled()
