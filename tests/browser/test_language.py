"""The language switch in a real browser: Italian first, English on request, and back."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import join


def switch(page, code: str) -> None:
    """Choosing a language is enough: the page changes at once (the button is for no-JS browsers)."""
    page.select_option("#lang-select", code)
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_language_switch_keeps_the_page_and_reaches_the_live_strings(live_server, new_page, shot):
    page = new_page()
    page.goto(f"{live_server.url}/j/{live_server.code}")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page.locator("label[for=name]")).to_have_text("Il tuo nome")

    switch(page, "en")
    page.wait_for_url(f"**/j/{live_server.code}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("label[for=name]")).to_have_text("Your name")
    join(page, live_server, "Ada")
    expect(page.locator("#exercise")).to_have_text("Wait for the facilitator to start.")
    shot(page, "participant-english")

    switch(page, "it")
    page.wait_for_selector("body[data-connection=connected]")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page.locator("#exercise")).to_have_text("Attendi che il facilitatore inizi.")
