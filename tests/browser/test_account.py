"""The account page in a real browser, on a phone: the error summary takes the focus and names each
problem, its links lead to the fields, the keyboard reaches everything, nothing scrolls sideways;
a new password logs the other browser out."""

from playwright.sync_api import expect

from .conftest import login

PHONE = {"width": 360, "height": 740}


def test_a_new_password_from_a_phone_with_the_keyboard(new_page, live_server, shot):
    page = new_page(viewport=PHONE)
    login(page, live_server)
    other = new_page()
    login(other, live_server)
    page.goto(f"{live_server.url}/f/account")
    page.click("#current_password")
    page.keyboard.type("not my password")
    page.keyboard.press("Tab")
    page.keyboard.type("short")
    page.keyboard.press("Tab")
    page.keyboard.type("short")
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title("Errore: Il tuo account · facilitation")
    assert summary.locator("a").all_inner_texts() == ["La password attuale non è corretta.",
                                                      "La nuova password deve avere almeno 8 caratteri."]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "errors")
    summary.locator("a").nth(1).click()
    assert page.url.endswith("#new_password")
    page.keyboard.press("Tab")  # from the fragment target onward: the field after the new password
    expect(page.locator("#confirm_password")).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused field shows its focus"

    new = "una frase lunga e nuova"
    page.fill("#current_password", live_server.password)
    page.fill("#new_password", new)
    page.fill("#confirm_password", new)
    page.locator("#confirm_password").press("Enter")
    expect(page.locator(".flash-ok")).to_contain_text("Password cambiata")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    other.goto(f"{live_server.url}/f/")
    expect(other.locator("#password")).to_be_visible()  # the other browser is back at the login form
    page.goto(f"{live_server.url}/f/")
    expect(page.locator("h1")).to_contain_text("Laboratori")
