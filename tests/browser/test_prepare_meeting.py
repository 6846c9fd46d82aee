"""A facilitator prepares a lab and a meeting in a real browser, then finds the archive of a network."""

from __future__ import annotations

from playwright.sync_api import expect


def test_facilitator_builds_a_lab_a_meeting_and_its_agenda(live_server, facilitator_page, shot):
    page = facilitator_page
    page.click("text=Reti")
    page.fill("section.card input[name=name]", "Valle Seriana")
    page.fill("section.card input[name=lead_body]", "Comune di Albino")
    page.click("section.card button[type=submit]")
    expect(page.locator(".flash")).to_have_text("Rete aggiunta.")

    page.click("text=Laboratori")
    page.click("text=Nuovo laboratorio")
    page.fill("#title", "Valutazione del welfare di comunità")
    page.check("label:has-text('Valle Seriana') input")
    page.check("label:has-text('Brescia') input")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Valutazione del welfare di comunità")

    page.fill("main input[name=title]", "Incontro 1 - T0")
    page.click("text=Aggiungi incontro")
    expect(page.locator("#join-code")).not_to_be_empty()

    # The poll's form is generated from its declared fields; a bad config shows its error.
    page.select_option("#add-type", "poll")
    page.click("main form.inline-row button[type=submit]")
    page.fill("#f-title", "Quanto vi siete sentiti coinvolti?")
    page.select_option("#f-kind", "single")
    page.fill("#f-options", "Solo una")
    page.click("main form button[type=submit]")
    expect(page.locator(".field.has-error .error")).to_contain_text("almeno due opzioni")
    page.fill("#f-options", "Molto\nAbbastanza\nPoco")
    page.click("main form button[type=submit]")
    expect(page.locator(".flash")).to_have_text("Esercizio aggiunto al programma.")

    page.select_option("#add-type", "poll")
    page.click("main form.inline-row button[type=submit]")
    page.fill("#f-title", "Una parola sul T0")
    page.select_option("#f-kind", "open")
    page.click("main form button[type=submit]")
    titles = page.locator(".agenda-title")
    expect(titles).to_have_text(["Quanto vi siete sentiti coinvolti?", "Una parola sul T0"])
    page.locator(".agenda-item").nth(1).get_by_role("button", name="Sposta su").click()
    expect(titles).to_have_text(["Una parola sul T0", "Quanto vi siete sentiti coinvolti?"])
    page.locator(".agenda-item").nth(0).get_by_role("button", name="Rimuovi").click()
    page.locator("dialog.dialog [data-role=confirm]").click()
    expect(titles).to_have_text(["Quanto vi siete sentiti coinvolti?"])
    shot(page, "agenda")

    page.click("#start-meeting")
    page.wait_for_selector("body[data-connection=connected]")
    expect(page.locator("#agenda .agenda-item")).to_have_count(1)
    page.click("text=Laboratori")
    page.click("main ul.list >> text=Valle Seriana")
    expect(page.locator("h1")).to_have_text("Valle Seriana")
    expect(page.locator("main")).to_contain_text("Ancora nulla in archivio per questa rete.")
