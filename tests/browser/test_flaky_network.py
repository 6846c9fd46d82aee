"""A participant's network drops while voting (real browser, real server behind a cuttable link)."""

import json
import sqlite3

import pytest

from ..liveserver import LiveServer, Proxy, facilitator, wait_until
from ..scenarios import start_poll
from .conftest import join


@pytest.fixture
def relayed_server(tmp_path):
    server = LiveServer(tmp_path)
    server.seed_info = server.seed(polls=1)
    server.start()
    proxy = Proxy(server.port)
    yield server, proxy
    proxy.close()
    server.stop()


def answers_of(database, name):
    conn = sqlite3.connect(database)
    try:
        pid = conn.execute("SELECT id FROM participants WHERE name = ?", [name]).fetchone()[0]
        events = conn.execute("SELECT payload FROM events WHERE actor = ? AND type = 'answer'",
                              [f"participant:{pid}"]).fetchall()
        return [json.loads(p)["value"] for (p,) in events]
    finally:
        conn.close()


def poll_open(server):
    """The seeded meeting started, its poll open: the facilitator's live client."""
    fac = facilitator(server, server.seed_info)
    start_poll(fac, server.seed_info["items"][0])
    return fac


def join_poll(page, base_url, server, name):
    """``name`` joins through ``base_url`` (the server, or a proxy in front) and sees the poll."""
    page.goto(f"{base_url}/j/{server.seed_info['code']}")
    join(page, server, name)
    page.wait_for_selector("button.choice")


def test_a_vote_cast_offline_lands_exactly_once_after_reconnecting(browser, relayed_server):
    server, proxy = relayed_server
    fac = poll_open(server)
    context = browser.new_context()
    page = context.new_page()
    try:
        join_poll(page, proxy.url, server, "Offline Olga")

        proxy.cut()
        context.set_offline(True)
        page.wait_for_selector("body[data-connection=reconnecting]", timeout=15000)
        status = page.locator("#status")
        assert status.inner_text().strip() != "" and "status-reconnecting" in status.get_attribute("class")
        page.locator("button.choice").nth(2).click()  # voted while offline
        page.wait_for_timeout(1500)
        assert answers_of(server.db_path, "Offline Olga") == [], "nothing can arrive while offline"

        proxy.restore()
        context.set_offline(False)
        page.wait_for_selector("body[data-connection=connected]", timeout=20000)
        assert wait_until(lambda: answers_of(server.db_path, "Offline Olga") == [2], 20)
        page.wait_for_timeout(5000)  # past live.js's retry interval: a late resend must not count again
        assert answers_of(server.db_path, "Offline Olga") == [2]
        assert status.inner_text().strip() == ""
        assert page.locator("button.choice[aria-pressed=true]").inner_text() == "C", "the page shows the vote"

        # Drop and come back repeatedly while voting: the last vote wins, once each.
        for value in (0, 1):
            proxy.cut()
            page.wait_for_selector("body[data-connection=reconnecting]", timeout=15000)
            page.locator("button.choice").nth(value).click()
            proxy.restore()
            page.wait_for_selector("body[data-connection=connected]", timeout=20000)
            assert wait_until(lambda v=value: answers_of(server.db_path, "Offline Olga")[-1:] == [v], 20)
        assert answers_of(server.db_path, "Offline Olga") == [2, 0, 1]
        page.reload()
        page.wait_for_selector("button.choice[aria-pressed=true]")
        assert page.locator("button.choice[aria-pressed=true]").inner_text() == "B"
    finally:
        context.close()
        fac.close()


def test_a_vote_that_cannot_leave_for_45_s_says_so_and_is_never_sent_late(browser, relayed_server):
    server, proxy = relayed_server
    fac = poll_open(server)
    context = browser.new_context()
    page = context.new_page()
    page.clock.install()  # the page's timers run on a clock the test can move forward
    try:
        join_poll(page, proxy.url, server, "Late Lia")

        proxy.cut()
        context.set_offline(True)
        page.wait_for_selector("body[data-connection=reconnecting]", timeout=15000)
        page.locator("button.choice").nth(1).click()
        status = page.locator(".poll-status")
        assert status.inner_text().strip() != "", "the page says it is sending"
        page.clock.fast_forward(46_000)
        page.wait_for_function(
            "document.querySelector('.poll-status').textContent.startsWith('Non inviato')", timeout=10000)
        assert status.inner_text() == "Non inviato: controlla la connessione e riprova."

        proxy.restore()
        context.set_offline(False)
        page.clock.fast_forward(10_000)  # let the client's reconnection timers fire
        page.wait_for_selector("body[data-connection=connected]", timeout=30000)
        page.clock.fast_forward(10_000)  # past any retry: a vote given up on stays unsent
        page.wait_for_timeout(1000)
        assert answers_of(server.db_path, "Late Lia") == [], "a vote reported as not sent never lands later"
        assert page.locator("button.choice[aria-pressed=true]").count() == 0

        page.locator("button.choice").nth(1).click()  # trying again works
        assert wait_until(lambda: answers_of(server.db_path, "Late Lia") == [1], 20)
    finally:
        context.close()
        fac.close()


def test_behind_a_proxy_that_refuses_websockets_the_page_works_by_long_polling(relayed_server, new_page):
    server, _ = relayed_server
    proxy = Proxy(server.port, websockets=False)
    fac = poll_open(server)
    page = new_page()
    sockets, polls = [], []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.on("request", lambda r: "transport=polling" in r.url and polls.append(r.url))
    try:
        join_poll(page, proxy.url, server, "Proxy Pia")
        page.wait_for_selector("body[data-connection=connected]")
        page.locator("button.choice").nth(1).click()
        assert wait_until(lambda: answers_of(server.db_path, "Proxy Pia") == [1], 20)
        page.wait_for_selector("button.choice[aria-pressed=true]")
        assert sockets and polls, "a websocket was tried first, then long polling took over"
    finally:
        proxy.close()
        fac.close()


@pytest.fixture
def impatient_server(tmp_path):
    """A server that waits 1 s for the database's write lock before answering `busy`."""
    server = LiveServer(tmp_path, env={"FACILITATION_WRITE_WAIT_SECONDS": "1"})
    server.seed_info = server.seed(polls=1)
    server.start()
    yield server
    server.stop()


def test_a_vote_refused_as_busy_is_sent_again_and_lands_once(browser, impatient_server):
    server = impatient_server
    fac = poll_open(server)
    context = browser.new_context()
    page = context.new_page()
    other = sqlite3.connect(server.db_path, isolation_level=None)  # another server process, writing
    try:
        join_poll(page, server.url, server, "Busy Bea")

        other.execute("BEGIN IMMEDIATE")
        page.locator("button.choice").nth(2).click()
        # The server waits 1 s for the lock, then answers `busy` (however long a busy machine takes to get there).
        assert wait_until(lambda: "busy" in server.log(), 20)
        assert answers_of(server.db_path, "Busy Bea") == []
        assert "Non inviato" not in page.locator(".poll-status").inner_text()
        other.execute("ROLLBACK")

        assert wait_until(lambda: answers_of(server.db_path, "Busy Bea") == [2], 15), "sent again by the page"
        page.wait_for_selector("button.choice[aria-pressed=true]")
        assert page.locator("button.choice[aria-pressed=true]").inner_text() == "C"
        page.wait_for_timeout(4500)  # past another retry interval: still once
        assert answers_of(server.db_path, "Busy Bea") == [2]
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()
        context.close()
        fac.close()
