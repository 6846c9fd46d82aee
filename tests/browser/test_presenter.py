"""The projector in presenter mode, in a real browser: what the room sees on the shared screen.

Type readable from the back of the room (measured against the viewport's height), the options
while people answer with "x of y have answered", results revealed with an animation (none for
people who ask for reduced motion), the lock shown, the join panel until an exercise opens and
small once people are in, the teams' maps large; and the facilitator's shortcuts, driven by the
keyboard on the projector itself.
"""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import connected, login, start_meeting

SCREEN = {"width": 1920, "height": 1080}
MEETING = "Incontro 1 - Leggere la rete"
Q1 = "Come arrivate a questo laboratorio?"
OPTIONS = ["Con una rete già attiva", "Con una rete in costruzione", "Da soli, per ora"]
Q2 = "Quali aspetti vanno curati di più nella vostra rete?"
SQUAD = "La nostra squadra territoriale"
DALMINE, BRESCIA = "Ambito di Dalmine", "Brescia"

# The font size of every piece of text inside a part of the page, with the viewport's height.
TEXT_SIZES = """(selector) => {
  const root = document.querySelector(selector);
  const sizes = [];
  for (const node of root.querySelectorAll('*')) {
    const own = [...node.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim());
    if (!own || node.closest('.visually-hidden') || node.getClientRects().length === 0) continue;
    sizes.push([node.tagName + '.' + node.className, parseFloat(getComputedStyle(node).fontSize)]);
  }
  return {height: window.innerHeight, sizes};
}"""


def projector(new_page, server, viewport=None):
    page = new_page(viewport=viewport or SCREEN)
    login(page, server)
    page.goto(f"{server.url}/f/meetings/{server.meeting_id}/projector")
    connected(page)
    return page


def open_on_console(fac, title):
    fac.locator("#agenda button", has_text=title).click()
    expect(fac.locator("#current-title")).to_have_text(title)
    fac.click("#item-controls [data-cmd=open]")


def smallest(page, selector) -> tuple[float, list]:
    measured = page.evaluate(TEXT_SIZES, selector)
    assert measured["sizes"], f"no text in {selector}"
    return min(size for _, size in measured["sizes"]) / measured["height"], measured["sizes"]


def box(page, selector) -> dict:
    return page.locator(selector).bounding_box()


def test_the_room_sees_the_meeting_and_how_to_join_until_an_exercise_is_opened(
    live_server, facilitator_page, new_page, shot
):
    screen = projector(new_page, live_server)
    expect(screen.locator("#current-title")).to_have_text(MEETING)
    start_meeting(facilitator_page, live_server)
    # The console has the first question as the current exercise; the room does not see it yet.
    expect(facilitator_page.locator("#current-title")).to_have_text(Q1)
    expect(screen.locator("#lobby-line")).to_have_text("Inquadra il codice QR o vai all'indirizzo e scrivi il codice")
    expect(screen.locator("#current-title")).to_have_text(MEETING)
    assert Q1 not in screen.inner_text("body") and OPTIONS[0] not in screen.inner_text("body")
    # The join panel is large: the QR code takes at least 40 % of the screen's height.
    expect(screen.locator("img.qr")).to_be_visible()
    assert box(screen, "img.qr")["height"] >= 0.4 * SCREEN["height"]
    shot(screen, "lobby-1920")

    open_on_console(facilitator_page, Q1)
    expect(screen.locator("#current-title")).to_have_text(Q1)
    expect(screen.locator("#exercise")).to_contain_text(OPTIONS[0])


def test_presenter_mode_large_type_options_while_answering_reveal_and_lock(
    live_server, facilitator_page, new_page, participant, shot
):
    fac = facilitator_page
    start_meeting(fac, live_server)
    ada = participant("Ada Lovelace", DALMINE)
    participant("Bruno Munari", BRESCIA)
    screen = projector(new_page, live_server)
    open_on_console(fac, Q1)

    # While people answer: the question, the options and how many of those online answered.
    expect(screen.locator("#current-title")).to_have_text(Q1)
    for option in OPTIONS:
        expect(screen.locator("#exercise .presenter-options")).to_contain_text(option)
    expect(screen.locator("#exercise .answered")).to_have_text("0 persone su 2 hanno risposto")
    ada.click(f"button.choice:has-text('{OPTIONS[0]}')")
    expect(screen.locator("#exercise .answered")).to_have_text("1 persona su 2 ha risposto")
    assert "Ada" not in screen.inner_text("body") and "Bruno" not in screen.inner_text("body"), "no names"
    assert screen.locator("#exercise .bars").count() == 0, "results stay hidden until revealed"
    shot(screen, "answering-1920")

    # Readable from 8 m: the question at least 5 % of the screen's height, every option and count 3 %.
    height = screen.evaluate("window.innerHeight")
    question = screen.evaluate("parseFloat(getComputedStyle(document.getElementById('current-title')).fontSize)")
    assert question >= 0.05 * height, (question, height)
    ratio, sizes = smallest(screen, "#exercise")
    assert ratio >= 0.03, sizes

    # The facilitator reveals: the results come in with an animation, just as large.
    fac.click("#item-controls [data-cmd=reveal]")
    expect(screen.locator("#exercise .bars")).to_be_visible()
    expect(screen.locator("#exercise .bars")).to_have_class("bars bars-large revealing")
    expect(screen.locator("#exercise .bar-value").first).to_have_text("1 (100%)")
    ratio, sizes = smallest(screen, "#exercise")
    assert ratio >= 0.03, sizes
    assert screen.evaluate("getComputedStyle(document.querySelector('#exercise .bar-fill')).transitionDuration") != "0s"
    shot(screen, "revealed-1920")

    # Locked: the room is told, and the final results stay.
    fac.click("#item-controls [data-cmd=lock]")
    expect(screen.locator("#item-state")).to_have_text("Le risposte sono chiuse.")
    expect(screen.locator("#exercise .bar-value").first).to_have_text("1 (100%)")
    shot(screen, "locked-revealed-1920")


def test_a_locked_poll_whose_results_stay_hidden_says_so_and_shows_no_results(
    live_server, facilitator_page, new_page, participant, shot
):
    fac = facilitator_page
    start_meeting(fac, live_server)
    ada = participant("Ada", DALMINE)
    screen = projector(new_page, live_server)
    open_on_console(fac, Q2)
    ada.locator("label.choice", has_text="Valutazione").click()
    ada.click("text=Invia")
    expect(screen.locator("#exercise .answered")).to_have_text("1 persona su 1 ha risposto")
    fac.click("#item-controls [data-cmd=lock]")
    expect(screen.locator("#item-state")).to_have_text("Le risposte sono chiuse.")
    expect(screen.locator("#exercise .presenter-options")).to_contain_text("Valutazione")
    assert screen.locator("#exercise .bars").count() == 0
    shot(screen, "locked-hidden-1920")
    # Revealed after the lock: the final results.
    fac.click("#item-controls [data-cmd=reveal]")
    expect(screen.locator("#exercise .bars")).to_be_visible()
    expect(screen.locator("#item-state")).to_have_text("Le risposte sono chiuse.")


def test_reduced_motion_reveals_without_animation(live_server, facilitator_page, new_page, participant):
    fac = facilitator_page
    start_meeting(fac, live_server)
    participant("Ada", DALMINE)
    screen = projector(new_page, live_server)
    screen.emulate_media(reduced_motion="reduce")
    open_on_console(fac, Q1)
    fac.click("#item-controls [data-cmd=reveal]")
    expect(screen.locator("#exercise .bars")).to_be_visible()
    fill = "getComputedStyle(document.querySelector('#exercise .bar-fill'))"
    assert screen.evaluate(f"{fill}.transitionDuration") == "0s"
    assert screen.evaluate("getComputedStyle(document.querySelector('#exercise .results')).animationName") == "none"


def test_the_facilitators_shortcuts_on_the_projector(live_server, facilitator_page, new_page, participant, shot):
    fac = facilitator_page
    start_meeting(fac, live_server)
    ada = participant("Ada", DALMINE)
    screen = projector(new_page, live_server)
    expect(screen.locator("#lobby-line")).to_be_visible()

    # "?" lists every shortcut; Escape closes the list.
    screen.keyboard.press("?")
    help_box = screen.locator("#shortcuts")
    expect(help_box).to_be_visible()
    for key, what in [("N", "Esercizio successivo"), ("P", "Esercizio precedente"), ("O", "Apri"),
                      ("R", "Mostra o nascondi i risultati"), ("L", "Blocca le risposte"), ("T", "Timer"),
                      ("F", "Schermo intero"), ("?", "Questo elenco")]:
        expect(help_box.locator("kbd", has_text=key).first).to_be_visible()
        expect(help_box).to_contain_text(what)
    shot(screen, "shortcuts-1920")
    screen.keyboard.press("Escape")
    expect(help_box).to_be_hidden()

    # O opens the current exercise, for everyone.
    screen.keyboard.press("o")
    expect(screen.locator("#current-title")).to_have_text(Q1)
    ada.click(f"button.choice:has-text('{OPTIONS[1]}')")
    expect(screen.locator("#exercise .answered")).to_have_text("1 persona su 1 ha risposto")

    # R shows the results to the room and to participants; R again hides them.
    screen.keyboard.press("r")
    expect(screen.locator("#exercise .bars")).to_be_visible()
    expect(ada.locator("#exercise .bars")).to_be_visible()
    screen.keyboard.press("r")
    expect(screen.locator("#exercise .bars")).to_have_count(0)
    expect(ada.locator("#exercise .bars")).to_have_count(0)

    # L asks first; Escape keeps the poll open, Enter locks it.
    screen.keyboard.press("l")
    dialog = screen.get_by_role("dialog", name="Bloccare le risposte?")
    expect(dialog).to_be_visible()
    screen.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(ada.locator("button.choice").first).to_be_enabled()
    screen.keyboard.press("l")
    expect(dialog).to_be_visible()
    screen.keyboard.press("Enter")
    expect(screen.locator("#item-state")).to_have_text("Le risposte sono chiuse.")
    expect(ada.locator("button.choice").first).to_be_disabled()

    # T asks for the minutes: typing them does not trigger other shortcuts.
    screen.keyboard.press("t")
    minutes = screen.locator("#timer-minutes")
    expect(minutes).to_be_focused()
    minutes.press("Control+a")
    screen.keyboard.type("3")
    screen.keyboard.press("Enter")
    expect(screen.locator("#timer")).to_contain_text("Tempo rimasto")
    expect(ada.locator("#timer")).to_contain_text("Tempo rimasto")
    expect(screen.locator("#item-state")).to_have_text("Le risposte sono chiuse.")
    screen.keyboard.press("t")
    screen.locator("#timer-stop").focus()
    screen.keyboard.press("Enter")
    expect(screen.locator("#timer")).to_be_hidden()

    # N moves the room to the next exercise (not open yet: the room sees the join panel), P back.
    screen.keyboard.press("n")
    expect(fac.locator("#current-title")).to_have_text(Q2)
    expect(screen.locator("#current-title")).to_have_text(MEETING)
    screen.keyboard.press("PageUp")
    expect(fac.locator("#current-title")).to_have_text(Q1)
    expect(screen.locator("#current-title")).to_have_text(Q1)

    # F puts the projector in full screen, and back.
    screen.keyboard.press("f")
    expect(screen.locator("#projector")).to_have_attribute("data-fullscreen", "true")
    screen.keyboard.press("f")
    expect(screen.locator("#projector")).to_have_attribute("data-fullscreen", "false")


def test_teams_maps_are_large_and_the_join_panel_small_once_people_are_in(
    live_server, facilitator_page, new_page, participant, shot
):
    fac = facilitator_page
    start_meeting(fac, live_server)
    ada = participant("Ada", DALMINE)
    participant("Bruno", BRESCIA)
    screen = projector(new_page, live_server)
    lobby_qr = box(screen, "img.qr")["height"]
    open_on_console(fac, SQUAD)
    # Each team's card, with its map once it has roles (an empty canvas says how to begin).
    expect(screen.locator("#exercise .squad-card")).to_have_count(2)
    # What a team writes reaches the room's screen as they write it.
    goal = ada.locator('[data-key="goal"][data-field=text]')
    goal.fill("Una comunità che accoglie")
    goal.blur()
    expect(screen.locator("#exercise .squad-card", has_text=DALMINE)).to_contain_text("Una comunità che accoglie")
    maps = [screen.locator("#exercise .squad-card").nth(i).bounding_box() for i in range(2)]
    assert all(m["width"] >= 0.4 * SCREEN["width"] for m in maps), maps
    # Two people are in: the join panel steps aside, small but still there.
    qr = box(screen, "img.qr")
    assert qr["height"] <= 0.2 * SCREEN["height"] < lobby_qr, (qr, lobby_qr)
    expect(screen.locator(".join-code")).to_be_visible()
    shot(screen, "squad-1920")
