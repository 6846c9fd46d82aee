"""The squad canvas's interaction map as a visual editor, in a real browser, against the real server.

Every text of every map (the live editor, the console's team cards, the projector, a version, a
comparison, the archive) is measured at 360, 1280 and 1920 px: never under 12 px. Roles are
moved with the mouse and with the keyboard, interactions drawn between two roles with the mouse
and with the form, and another screen of the same team sees each of them. Each problem people met
(issue 11) has its own check. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from ..liveserver import demo_server, keep_squad_versions
from .conftest import ARTIFACTS, connected, join, login

WIDTHS = (360, 1280, 1920)
SQUAD_ITEM = "La nostra squadra territoriale"


def role(id_, title, organisation="", profession="", manages=(), **where):
    return {"id": id_, "title": title, "organisation": organisation, "profession": profession,
            "manages": list(manages), **where}


def link(id_, source, target, what, channel="", frequency=""):
    return {"id": id_, "source": source, "target": target, "what": what, "channel": channel, "frequency": frequency}


# Dalmine at T0, saved before maps kept positions; and later, every role placed, one role and one
# link added, one link removed, the goal changed.
T0 = {
    "schema": "facilitation.squad/1", "goal": "Una comunità che accoglie", "needs": "Famiglie isolate",
    "strategies": [{"id": "s1", "title": "Mediazione nelle scuole", "objectives": [{"id": "o1", "text": "Tre sportelli"}]},
                   {"id": "s2", "title": "Tavolo di coprogettazione", "objectives": []}],
    "roles": [role("r1", "Mediatore culturale", "Cooperativa Ponti", "mediatore", ["s1"]),
              role("r2", "Referente scolastico", "Istituto comprensivo", "docente"),
              role("r3", "Assistente sociale", "Comune di Dalmine"),
              role("r4", "Associazione di migranti")],
    "interactions": [link("i1", "r1", "r2", "casi da seguire", "incontro", "mensile"),
                     link("i2", "r2", "r1", "richieste di mediazione", "email"),
                     link("i3", "r3", "r1", "segnalazioni di anziani a rischio di isolamento sociale"),
                     link("i4", "r4", "r3", "contatti con le comunità")],
}
LATER = {
    **T0, "schema": "facilitation.squad/2", "goal": "Una comunità che accoglie e cura",
    "roles": [role("r1", "Mediatore culturale", "Cooperativa Ponti", "mediatore", ["s1"], x=330, y=60, pinned=True),
              role("r2", "Referente scolastico", "Istituto comprensivo", "docente", x=120, y=200, pinned=True),
              role("r3", "Assistente sociale", "Comune di Dalmine", x=540, y=200, pinned=True),
              role("r4", "Associazione di migranti", x=540, y=360, pinned=True),
              role("r5", "Educatore di strada", "Cooperativa Sole", x=120, y=360, pinned=True)],
    "interactions": [link("i1", "r1", "r2", "casi da seguire", "incontro", "mensile"),
                     link("i3", "r3", "r1", "segnalazioni di anziani a rischio di isolamento sociale"),
                     link("i4", "r4", "r3", "contatti con le comunità"),
                     link("i5", "r5", "r2", "ragazzi da accompagnare", "telefono", "settimanale")],
}
# A canvas to work on through the network links: every role placed by hand, so no layout moves them.
PLACED = {
    "schema": "facilitation.squad/2", "goal": "Ogni famiglia ha un punto di riferimento", "needs": "",
    "strategies": [{"id": "s1", "title": "Sportello di quartiere", "objectives": []}],
    "roles": [role("a", "Scuola", x=100, y=60, pinned=True), role("b", "Assistente sociale", x=320, y=60, pinned=True),
              role("c", "Associazione", x=540, y=60, pinned=True), role("d", "Parrocchia", x=320, y=260, pinned=True)],
    "interactions": [link("l1", "a", "b", "segnalazioni")],
}

# Every text of every interaction map on the page: (size in CSS px as drawn, its text). The size is the
# text's computed font size in map units times the map's scale (its drawn width over its viewBox's);
# its drawn box, per line, must agree.
MAP_TEXTS = """() => [...document.querySelectorAll('svg.squad-map')].flatMap((svg) => {
  const drawn = svg.getBoundingClientRect();
  if (!drawn.width) return [];
  const scale = drawn.width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map((t) => {
    const lines = Math.max(1, t.querySelectorAll('tspan').length);
    return [parseFloat(getComputedStyle(t).fontSize) * scale, t.getBoundingClientRect().height / lines / 1.1,
            t.textContent.slice(0, 40)];
  });
})"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with demo_server(tmp_path_factory.mktemp("instance")) as running:
        running.tokens = keep_squad_versions(
            running, [(1, T0, None), (1, LATER, T0), (3, PLACED, None), (4, PLACED, None), (5, T0, None)],
            links=(1, 2, 3, 4, 5))
        yield running


def workspace(new_page, server, network, viewport=None):
    page = new_page(viewport=viewport)
    page.goto(f"{server.url}/n/{server.tokens[str(network)]}/w/squad")
    page.wait_for_selector(".squad-tab")
    connected(page)
    return page


def tab(page, step):
    page.locator(".squad-tab").nth(step - 1).click()
    expect(page.locator(f".squad-step[data-step='{step}']")).to_be_visible()


def survey(page, shot, name, smallest):
    """A screenshot at each width, and the smallest map text seen at each."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        texts = page.evaluate(MAP_TEXTS)
        assert texts, f"{name}: no map at {width} px"
        size, box, text = min(texts)
        smallest[f"{name} at {width} px"] = (round(size, 2), round(min(t[1] for t in texts), 2), text)
        shot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def node_box(page, scope, id_):
    """A role's box in map units (x, y of its rectangle), as drawn on ``page``."""
    rect = page.locator(f"{scope} g.node[data-id='{id_}'] rect.box")
    return float(rect.get_attribute("x")), float(rect.get_attribute("y"))


def test_every_map_text_is_at_least_12_px_on_every_screen(server, new_page, shot):
    smallest: dict = {}
    token = server.tokens["1"]
    # A meeting: Dalmine's team starts from its latest version, Garbagnate's from nothing.
    fac = new_page()
    login(fac, server)
    fac.goto(f"{server.url}/f/meetings/{server.meeting_id}")
    fac.click("#start-meeting")
    fac.wait_for_selector("#console")
    ada = new_page()
    ada.goto(f"{server.url}/j/{server.code}")
    join(ada, server, "Ada", "Ambito di Dalmine")
    cy = new_page()
    cy.goto(f"{server.url}/j/{server.code}")
    join(cy, server, "Cy", "Garbagnate Milanese")
    fac.locator("#agenda button", has_text=SQUAD_ITEM).click()
    expect(fac.locator("#current-title")).to_have_text(SQUAD_ITEM)
    fac.click('[data-cmd="open"]')
    ada.wait_for_selector(".squad-side svg.squad-map g.node")
    tab(ada, 4)
    # Beside the map, the figures and how they changed since T0 (the network's first version).
    since = ada.locator(".squad-side table.squad-since")
    expect(since.locator("tr.changed", has_text="Ruoli")).to_contain_text("4")
    expect(since.locator("tr.changed", has_text="Ruoli")).to_contain_text("5")
    survey(ada, shot, "participant-canvas", smallest)
    ada.locator(".squad-side").screenshot(path=str(ARTIFACTS / "squad-map-live.png"))

    # The facilitator's cards: counts said as words, the map, its links as a list, the figures.
    expect(fac.locator(".squad-card")).to_have_count(2)
    dalmine = fac.locator(".squad-card").filter(has_text="Ambito di Dalmine")
    expect(dalmine.locator(".squad-counts")).to_have_text("2 strategie · 5 ruoli · 4 interazioni")
    expect(dalmine.locator(".squad-sentences")).to_contain_text("Assistente sociale")
    expect(dalmine.locator(".squad-since")).to_contain_text("Ruoli 4 → 5")
    survey(fac, shot, "console-cards", smallest)
    projector = new_page()
    login(projector, server)
    projector.goto(f"{server.url}/f/meetings/{server.meeting_id}/projector")
    projector.wait_for_selector(".squad-card svg.squad-map")
    survey(projector, shot, "projector", smallest)

    # Garbagnate's empty map says what to do, and its counts read as words, one of each.
    expect(cy.locator(".squad-map-empty")).to_contain_text("Aggiungete i ruoli al passo 3")
    tab(cy, 2)
    cy.locator("form.squad-add[data-kind=strategy] [name=title]").fill("Sportello unico")
    cy.locator("form.squad-add[data-kind=strategy] button[type=submit]").click()
    tab(cy, 3)
    cy.locator("form.squad-add[data-kind=role] [name=title]").fill("Coordinatrice")
    cy.locator("form.squad-add[data-kind=role] button[type=submit]").click()
    garbagnate = fac.locator(".squad-card").filter(has_text="Garbagnate Milanese")
    expect(garbagnate.locator(".squad-counts")).to_have_text("1 strategia · 1 ruolo · 0 interazioni")
    fac.click("#end-meeting")
    fac.locator("dialog.dialog [data-role=confirm]").click()
    expect(fac.locator("#end-meeting")).to_be_hidden()

    # The archive's pages draw the server's SVG.
    team = new_page()
    for name, path in (("version", "/squad/2"), ("compare", "/squad/compare?since=t0"), ("archive", "")):
        team.goto(f"{server.url}/n/{token}{path}")
        survey(team, shot, name, smallest)
    too_small = {k: v for k, v in smallest.items() if v[0] < 12 or v[1] < 12}
    assert not too_small, too_small
    (ARTIFACTS / "squad-map-text-sizes.json").write_text(json.dumps(smallest, indent=1, ensure_ascii=False))


def test_roles_move_and_links_are_drawn_with_the_mouse_and_with_the_keyboard(server, new_page, shot):
    tall = {"width": 1280, "height": 1000}
    one, other = workspace(new_page, server, 3, viewport=tall), workspace(new_page, server, 3, viewport=tall)
    tab(one, 4)
    scope = ".squad-side svg.squad-map"
    one.wait_for_selector(f"{scope} g.node[data-id='d']")
    one.locator(".squad-side h3").scroll_into_view_if_needed()
    one.evaluate("window.scrollBy(0, document.querySelector('.squad-side h3').getBoundingClientRect().top - 10)")

    # The mouse: Parrocchia dragged 90 px right and 45 px down; the other screen sees it move there.
    before = node_box(other, scope, "d")
    box = one.locator(f"{scope} g.node[data-id='d'] rect.box").bounding_box()
    scale = one.evaluate(f"(() => {{ const s = document.querySelector('{scope}'); "
                         "return s.getBoundingClientRect().width / s.viewBox.baseVal.width; })()")
    x, y = box["x"] + 20, box["y"] + box["height"] / 2
    one.mouse.move(x, y)
    one.mouse.down()
    one.mouse.move(x + 45, y + 20, steps=4)
    one.mouse.move(x + 90, y + 45, steps=4)
    one.mouse.up()
    expect(other.locator(f"{scope} g.node[data-id='d'] rect.box")).not_to_have_attribute("x", f"{before[0]:.1f}")
    after = node_box(other, scope, "d")
    assert abs(after[0] - before[0] - 90 / scale) <= 2 and abs(after[1] - before[1] - 45 / scale) <= 2

    # The keyboard: Tab to the school, three steps right and one down (10 map units each).
    before = node_box(other, scope, "a")
    school = one.locator(f"{scope} g.node[data-id='a']")
    school.focus()
    expect(school).to_be_focused()
    for key in ("ArrowRight", "ArrowRight", "ArrowRight", "ArrowDown"):
        one.keyboard.press(key)
    expect(school).to_be_focused()
    expect(other.locator(f"{scope} g.node[data-id='a'] rect.box")).to_have_attribute("x", f"{before[0] + 30:.1f}")
    assert node_box(other, scope, "a")[1] == before[1] + 10
    shot(one, "moved")

    # Drawing a link with the mouse: from the association's arrow to the parish; then described.
    # Nothing is drawn again while nobody changes anything (a loop of redraws would move the map under the pointer).
    redraws = one.evaluate("new Promise((resolve) => { let n = 0; const o = new MutationObserver((ms) => { n += ms.length; });"
                           " o.observe(document.querySelector('.squad'), { childList: true, subtree: true });"
                           " setTimeout(() => { o.disconnect(); resolve(n); }, 1000); })")
    assert redraws == 0, redraws
    handle = one.locator(f"{scope} g.node[data-id='c'] g.handle").bounding_box()
    target = one.locator(f"{scope} g.node[data-id='d'] rect.box").bounding_box()
    one.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    one.mouse.down()
    one.mouse.move(target["x"] + 30, target["y"] + 10, steps=6)
    one.mouse.move(target["x"] + target["width"] / 2, target["y"] + target["height"] / 2, steps=3)
    one.mouse.up()
    what = one.locator("textarea[data-field=what]:focus")
    expect(what).to_be_focused()
    assert one.evaluate("document.activeElement.dataset.key").startswith("i:")
    what.fill("spazi per gli incontri")
    one.keyboard.press("Enter")
    expect(other.locator(".squad-links")).to_contain_text("Associazione → Parrocchia: spazi per gli incontri")
    expect(other.locator(f"{scope} g.edge")).to_have_count(2)
    expect(other.locator(f"{scope}")).to_contain_text("spazi per gli incontri")

    # The same with the keyboard only: the form of step 4, two roles chosen, described, sent with Enter.
    form = one.locator("form.squad-add[data-kind=interaction]")
    form.locator("select[name=source]").focus()
    form.locator("select[name=source]").select_option(label="Parrocchia")
    form.locator("select[name=target]").select_option(label="Scuola")
    form.locator("[name=what]").focus()
    one.keyboard.type("doposcuola")
    one.keyboard.press("Enter")
    expect(other.locator(".squad-links")).to_contain_text("Parrocchia → Scuola: doposcuola")
    expect(other.locator(f"{scope} g.edge")).to_have_count(3)
    expect(form.locator("[name=what]")).to_have_value("")
    shot(other, "linked")


def test_a_canvas_saved_before_positions_gets_the_librarys_layout_and_keeps_it(server, new_page, shot):
    page = workspace(new_page, server, 5)
    scope = ".squad-side svg.squad-map"
    expect(page.locator(f"{scope}")).to_have_attribute("data-placed", "true")
    where = {i: node_box(page, scope, i) for i in ("r1", "r2", "r3", "r4")}
    boxes = page.eval_on_selector_all(f"{scope} g.node rect.box", "rs => rs.map(r => { const b = r.getBBox(); "
                                      "return [b.x, b.y, b.x + b.width, b.y + b.height]; })")
    assert not any(min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])
                   for n, a in enumerate(boxes) for b in boxes[n + 1:]), "no role on top of another"
    page.reload()
    page.wait_for_selector(f"{scope} g.node")
    assert {i: node_box(page, scope, i) for i in where} == where, "the layout was stored: the same map again"
    shot(page, "laid-out")


def test_the_problems_people_met_on_the_canvas(server, new_page, shot):
    phone = workspace(new_page, server, 4, viewport={"width": 360, "height": 800})
    other = workspace(new_page, server, 4)

    # Every field has a real label (not only a placeholder), at every step.
    for step in (1, 2, 3, 4):
        tab(phone, step)
        unlabelled = phone.eval_on_selector_all(
            ".squad-editor input:not([type=checkbox]):not([type=hidden]), .squad-editor textarea, .squad-editor select",
            "els => els.filter(e => !(e.labels && e.labels.length && e.labels[0].textContent.trim()))"
            ".map(e => e.outerHTML.slice(0, 80))")
        assert unlabelled == [], (step, unlabelled)

    # The arrow between the two role pickers stays between them, on their line, on a phone.
    tab(phone, 4)
    # Measured in one go: a push landing between three separate measures (the other
    # teammate arriving) can move the form and compare boxes from two different layouts.
    source, target, arrow = phone.locator(".squad-pair").evaluate(
        "p => [p.querySelector('select[name=source]'), p.querySelector('select[name=target]'),"
        " p.querySelector('.squad-pair-arrow')].map(e => { const r = e.getBoundingClientRect();"
        " return {x: r.x, y: r.y, width: r.width, height: r.height}; })")
    middle = arrow["y"] + arrow["height"] / 2
    assert source["y"] <= middle <= source["y"] + source["height"] and target["y"] <= middle <= target["y"] + target["height"]
    assert source["x"] + source["width"] <= arrow["x"] and arrow["x"] + arrow["width"] <= target["x"]

    # A long text is never cut: not in its field, not on the map (it wraps, whole).
    long = "Segnalazioni di anziani a rischio di isolamento sociale"
    form = phone.locator("form.squad-add[data-kind=interaction]")
    form.locator("select[name=source]").select_option(label="Scuola")
    form.locator("select[name=target]").select_option(label="Parrocchia")
    form.locator("[name=what]").fill(long)
    form.locator("button[type=submit]").click()
    expect(phone.locator(".squad-links")).to_contain_text(long)
    field = phone.locator("textarea[data-field=what]").last
    expect(field).to_have_value(long)
    cut = field.evaluate("f => [f.scrollHeight - f.clientHeight, f.scrollWidth - f.clientWidth]")
    assert max(cut) <= 1, cut
    lines = phone.eval_on_selector_all(".squad-side svg.squad-map g.edge text tspan", "ts => ts.map(t => t.textContent)")
    assert long in " ".join(lines)

    # Labels sit beside their arrows, never on them; the map is not mostly empty margin.
    on_lines = phone.evaluate("""() => [...document.querySelectorAll('.squad-side svg.squad-map g.edge')].flatMap((g) => {
      const path = g.querySelector('path'), label = g.querySelector('rect');
      if (!label) return [];
      const b = label.getBBox(), total = path.getTotalLength();
      return [...Array(41).keys()].map((n) => path.getPointAtLength(total * n / 40))
        .filter((p) => p.x > b.x + 1 && p.x < b.x + b.width - 1 && p.y > b.y + 1 && p.y < b.y + b.height - 1)
        .map(() => g.dataset.id);
    })""")
    assert on_lines == [], on_lines
    used = phone.evaluate("""() => {
      const svg = document.querySelector('.squad-side svg.squad-map'), frame = svg.viewBox.baseVal;
      const boxes = [...svg.querySelectorAll('g.node rect.box, g.edge rect')].map((r) => r.getBBox());
      const width = Math.max(...boxes.map((b) => b.x + b.width)) - Math.min(...boxes.map((b) => b.x));
      const height = Math.max(...boxes.map((b) => b.y + b.height)) - Math.min(...boxes.map((b) => b.y));
      return [width / frame.width, height / frame.height];
    }""")
    assert min(used) >= 0.8, used
    shot(phone, "phone-interactions")

    # Clearing a role's title: a message that says a role needs one, where the field is; nothing is sent.
    tab(phone, 3)
    title = phone.locator("textarea[data-key='r:a'][data-field=title]")
    title.fill("")
    title.blur()
    expect(phone.locator(".squad-input.has-error .error")).to_have_text(
        "Un ruolo ha bisogno di un titolo: scrivilo, oppure elimina il ruolo.")
    assert "La risposta non è valida" not in phone.content()
    tab(other, 3)
    expect(other.locator("textarea[data-key='r:a'][data-field=title]")).to_have_value("Scuola")
    title.fill("Scuola primaria")
    title.blur()
    expect(other.locator("textarea[data-key='r:a'][data-field=title]")).to_have_value("Scuola primaria")
    expect(phone.locator(".squad-input.has-error")).to_have_count(0)

    # Two people change the goal at once, twice: one notice for that field (never a pile), dismissed.
    tab(phone, 1)
    tab(other, 1)
    for round_ in (1, 2):
        mine, theirs = (p.locator("textarea[data-key=goal][data-field=text]") for p in (phone, other))
        mine.click()
        theirs.click()
        mine.fill(f"Il mio obiettivo {round_}")
        mine.blur()
        expect(theirs).to_be_focused()
        theirs.fill(f"Il loro obiettivo {round_}")
        theirs.blur()
        expect(phone.locator(".squad-conflict")).to_contain_text(f"Il loro obiettivo {round_}")
    expect(phone.locator(".squad-conflict")).to_have_count(1)
    shot(phone, "conflict")
    phone.locator(".squad-conflict .squad-dismiss").click()
    expect(phone.locator(".squad-conflict")).to_have_count(0)

    # The figures beside the map follow the map as it changes, on every screen of the team.
    tab(other, 4)
    expect(other.locator(".squad-figures")).to_contain_text("Scuola primaria è l'unico collegamento tra Assistente sociale e Parrocchia.")


def test_teammates_arriving_never_move_the_canvas_under_a_phone_users_finger(server, new_page, shot):
    phone = workspace(new_page, server, 5, viewport={"width": 360, "height": 800})
    tabs = phone.locator(".squad-tabs")
    before = tabs.bounding_box()["y"]
    names = ["Margherita Bellandi", "Giovanni Esposito", "Chiara Lombardi"]
    for name in names:
        mate = workspace(new_page, server, 5)
        mate.fill("#my-name", name)
        mate.locator("#my-name").press("Tab")  # the name travels with a new connection
    presence = phone.locator(".squad-presence")
    for name in names:
        expect(presence).to_contain_text(name)  # every name is there, for a screen reader too
    # One line: the names that do not fit end in "…", and nothing under them moved.
    lines = presence.evaluate("p => Math.round(p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight))")
    assert lines == 1 and tabs.bounding_box()["y"] == before
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    shot(phone, "teammates-360")


def test_a_revoked_tab_keeps_what_was_typed(server, new_page):
    page = workspace(new_page, server, 2)
    fac = new_page()
    login(fac, server)
    fac.goto(f"{server.url}/f/networks/2/archive")
    fac.click("#revoke-link")
    fac.locator("dialog.dialog [data-role=confirm]").click()
    expect(page.locator("body")).to_have_attribute("data-connection", "refused")
    tab(page, 3)
    form = page.locator("form.squad-add[data-kind=role]")
    form.locator("[name=title]").fill("Educatore di strada")
    form.locator("[name=organisation]").fill("Cooperativa Sole")
    form.locator("button[type=submit]").click()
    expect(form.locator(".error")).to_contain_text("revocato")
    expect(form.locator("[name=title]")).to_have_value("Educatore di strada")
    expect(form.locator("[name=organisation]")).to_have_value("Cooperativa Sole")


def test_the_comparison_keeps_roles_in_place_and_highlights_the_changes(server, new_page, shot):
    page = new_page()
    page.goto(f"{server.url}/n/{server.tokens['1']}/squad/compare?since=t0")
    offsets = page.evaluate("""() => Object.fromEntries(['map-old', 'map-new'].map((id) => {
      const svg = document.querySelector('#' + id + ' svg'), frame = svg.getBoundingClientRect();
      return [id, Object.fromEntries([...svg.querySelectorAll('g.node')].map((g) => {
        const b = g.querySelector('rect').getBoundingClientRect();
        return [g.dataset.id, [Math.round(b.x - frame.x), Math.round(b.y - frame.y)]];
      }))];
    }))""")
    old, new = offsets["map-old"], offsets["map-new"]
    assert set(old) == {"r1", "r2", "r3", "r4"} and set(new) == {"r1", "r2", "r3", "r4", "r5"}
    assert all(old[r] == new[r] for r in old), offsets
    expect(page.locator("#map-new g.node[data-id=r5] g.mark-added")).to_have_count(1)
    expect(page.locator("#map-old g.edge[data-id=i2] g.mark-removed")).to_have_count(1)
    expect(page.locator("#column-new .badge.change-added").first).to_be_visible()
    expect(page.locator("#column-new")).to_contain_text(re.compile(r"aggiunto\s*Educatore di strada"))
    expect(page.locator("#column-old .badge.change-removed")).to_have_count(1)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        page.locator("#compare-maps").screenshot(path=str(ARTIFACTS / f"squad-compare-maps-{width}.png"))
