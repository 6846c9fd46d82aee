"""Right-to-left text, typed and shown live: every piece of user text that the browser modules
draw (names, network names, poll options and answers, squad canvases, the people list) is
isolated with dir="auto" or <bdi>, so it keeps its order and leaves the page's order alone."""

import pytest

from ..liveserver import PASSWORD, FormClient, LiveClient, LiveServer, facilitator
from .conftest import connected, join, login

MARK = "שלום"

SEED = """
nets = [store.save_network(db, {"name": values["mark"] + f" רשת {i}"}) for i in (1, 2)]
lab = store.save_lab(db, {"title": "Lab"}, nets)
m = store.create_meeting(db, lab, {"title": values["mark"] + " מפגש"})
single = store.add_item(db, m, "poll", {"title": values["mark"] + " שאלה", "kind": "single",
                                         "options": [values["mark"] + " כן", values["mark"] + " לא"],
                                         "hide_results": False})
words = store.add_item(db, m, "poll", {"title": "Parole", "kind": "open", "hide_results": False})
squad = store.add_item(db, m, "squad", {"title": "Squadra", "start": "blank"})
from facilitation.auth import create_facilitator
create_facilitator(db, "fac@example.org", "Fac", values["password"])
result = {"meeting": m, "networks": nets, "single": single, "open": words, "squad": squad,
          "code": store.meeting(db, m)["join_code"]}
"""

# Text nodes (and field values) that show MARK without being isolated.
NOT_ISOLATED = """(mark) => {
  const bare = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.nodeValue.includes(mark) || node.parentElement.closest("script, title")) continue;
    let isolated = false;
    for (let e = node.parentElement; e; e = e.parentElement) {
      if (e.localName === "bdi" || e.getAttribute("unicode-bidi") === "plaintext") { isolated = true; break; }
      if (e.hasAttribute("dir")) { isolated = e.getAttribute("dir") === "auto"; break; }
    }
    if (!isolated) bare.push(node.parentElement.outerHTML.slice(0, 160));
  }
  for (const field of document.querySelectorAll("input, textarea, select")) {
    if (field.value && field.value.includes(mark) && field.localName !== "select" && field.getAttribute("dir") !== "auto")
      bare.push(field.outerHTML.slice(0, 160));
  }
  return bare;
}"""


def isolated(page, at_least: int):
    shown = page.evaluate("(mark) => document.body.innerText.split(mark).length - 1", MARK)
    assert shown >= at_least, f"only {shown} pieces of the marked text show on {page.url}"
    assert page.evaluate(NOT_ISOLATED, MARK) == [], page.url


@pytest.fixture
def world(tmp_path):
    server = LiveServer(tmp_path / "rtl")
    server.run("migrate")
    seed = server.python(SEED, mark=MARK, password=PASSWORD)
    server.start()
    fac = facilitator(server, seed)
    yield server, seed, fac
    fac.close()
    server.stop()


def test_live_views_isolate_right_to_left_text(world, new_page, shot):
    server, seed, fac = world
    assert fac.control("start")["ok"] and fac.control("open", item=seed["single"])["ok"]
    person = new_page()
    person.goto(f"{server.url}/j/{seed['code']}")
    isolated(person, 3)  # the meeting's title and the networks to choose from
    join(person, server, f"{MARK} Ada", network=f"{MARK} רשת 1")
    person.wait_for_selector("button.choice")
    person.locator("button.choice").first.click()
    person.wait_for_selector(".bar-label")
    isolated(person, 6)

    console = new_page()
    login(console, server)
    console.goto(f"{server.url}/f/meetings/{seed['meeting']}/console")
    connected(console)
    console.wait_for_selector("#people li")
    isolated(console, 6)  # people list, team names, the poll's bars and its table by network

    assert fac.control("open", item=seed["open"])["ok"]
    person.wait_for_selector("input.poll-open:not([disabled])")
    person.fill("input.poll-open", f"{MARK} מילה")
    person.click("form.inline-row button[type=submit]")
    console.wait_for_selector("ul.cloud li")
    isolated(console, 2)
    projector = new_page()
    login(projector, server)
    projector.goto(f"{server.url}/f/meetings/{seed['meeting']}/projector")
    projector.wait_for_selector("ul.cloud li")
    isolated(projector, 1)

    # The squad canvas: a team member writes in Hebrew, the others see it isolated, fields too.
    assert fac.control("open", item=seed["squad"])["ok"]
    http = FormClient(server.url)
    http.join(seed["code"], f"{MARK} Bo", seed["networks"][0])
    bo = LiveClient(server, http, seed["meeting"])
    bo.connect()
    t = f"{MARK} 1"
    for type_, payload in [
        ("edit", {"kind": "goal", "field": "text", "value": t, "base": 0}),
        ("add", {"kind": "strategy", "id": "s1", "fields": {"title": t}}),
        ("add", {"kind": "role", "id": "r1", "fields": {"title": t, "organisation": t}}),
        ("add", {"kind": "role", "id": "r2", "fields": {"title": f"{MARK} 2"}}),
        ("add", {"kind": "interaction", "id": "i1", "fields": {"source": "r1", "target": "r2", "what": t}}),
    ]:
        assert bo.send("action", {"item": seed["squad"], "type": type_, "payload": payload}).get("ok"), type_
    person.wait_for_selector(".squad textarea")
    for tab in ("1", "2", "3", "4"):
        person.click(f".squad-tab >> nth={int(tab) - 1}")
        person.wait_for_selector(f".squad-step[data-step='{tab}']")
        isolated(person, 1)
    shot(person, "squad-participant")
    console.wait_for_selector(".squad-card .squad-goal")
    isolated(console, 4)  # each team's card: its network, members, goal, strategies, map
    shot(console, "squad-console")
    bo.close()
