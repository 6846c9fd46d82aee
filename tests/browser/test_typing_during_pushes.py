"""Someone typing an answer while others answer: a live results push redraws the poll, and what they
typed, their focus and their caret must survive it (before, the focus was lost at each push and the
next keystrokes went nowhere; on a busy machine the XSS test's typed answers vanished this way)."""

import pytest
from playwright.sync_api import expect

from ..liveserver import LiveServer, facilitator, join_participants
from ..scenarios import start_poll
from .conftest import join


@pytest.fixture
def server(tmp_path):
    server = LiveServer(tmp_path)
    seed = server.seed(polls=0)
    seed["words"] = server.python(
        "result = store.add_item(db, values['m'], 'poll', {'title': 'Una parola', 'kind': 'open',"
        " 'hide_results': False})", m=seed["meeting"])
    server.seed_info = seed
    server.start()
    yield server
    server.stop()


def test_a_results_push_while_typing_keeps_the_text_the_focus_and_the_caret(server, new_page, shot):
    seed = server.seed_info
    fac = facilitator(server, seed)
    start_poll(fac, seed["words"])
    ada = new_page(viewport={"width": 360, "height": 740})
    ada.goto(f"{server.url}/j/{seed['code']}")
    join(ada, server, "Ada Lovelace")
    field = ada.locator("input.poll-open")
    field.click()
    ada.keyboard.type("Fidu")
    [bo] = join_participants(server, seed, 1, prefix="Bo")
    try:
        assert bo.send("action", {"item": seed["words"], "type": "answer", "payload": {"value": "ascolto"}})["ok"]
        # The push reached Ada's page (the word cloud shows Bo's word) while she was typing.
        expect(ada.locator(".results")).to_contain_text("ascolto")
        ada.keyboard.type("cia")
        expect(field).to_have_value("Fiducia")
        expect(field).to_be_focused()
        shot(ada, "typing-after-push-360")
        ada.keyboard.press("Enter")
        expect(ada.locator(".results")).to_contain_text("Fiducia")
    finally:
        bo.close()
        fac.close()
