"""A squad canvas carried from one place to another, in a real browser: the facilitator downloads a
version's JSON export, and another network's team imports it through its link as a new version of
its own; a file that is not a canvas export is refused with a reason and stores nothing.
Screenshots go to test-artifacts/ at 360 and 1280 px."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from ..liveserver import demo_server, keep_squad_versions
from .conftest import login

CANVAS = {
    "schema": "facilitation.squad/2", "goal": "Ogni famiglia ha un punto di riferimento", "needs": "",
    "strategies": [{"id": "s1", "title": "Sportello di quartiere", "objectives": []}],
    "roles": [{"id": "a", "title": "Scuola", "organisation": "", "profession": "", "manages": ["s1"],
               "x": 100, "y": 60, "pinned": True},
              {"id": "b", "title": "Assistente sociale", "organisation": "", "profession": "", "manages": [],
               "x": 320, "y": 60, "pinned": True}],
    "interactions": [{"id": "l1", "source": "a", "target": "b", "what": "segnalazioni", "channel": "", "frequency": ""}],
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with demo_server(tmp_path_factory.mktemp("instance")) as running:
        running.tokens = keep_squad_versions(running, [(1, CANVAS, None)], links=(1, 2))
        yield running


def test_a_version_exported_by_one_network_is_imported_by_another_team_through_its_link(
        server, new_page, shot, tmp_path):
    fac = new_page()
    login(fac, server)
    fac.goto(f"{server.url}/f/networks/1/squad/1")
    with fac.expect_download() as download:
        fac.get_by_role("link", name="JSON", exact=True).click()
    export = tmp_path / "squad.json"
    download.value.save_as(export)
    assert json.loads(export.read_text())["canvas"]["goal"] == CANVAS["goal"]

    # Garbagnate's team, on a phone, through its link: no version yet, then the import.
    team = new_page(viewport={"width": 360, "height": 800})
    team.goto(f"{server.url}/n/{server.tokens['2']}")
    section = team.locator("section", has=team.get_by_role("heading", name="Squadra territoriale: versioni"))
    expect(section).to_contain_text("Ancora nessuna versione")
    field = team.get_by_label("Importa un'esportazione JSON come nuova versione")
    # The label over the whole width, the file picker and the button under it.
    label, picker, button = team.locator("form.squad-import").evaluate(
        "f => [f.querySelector('label'), f.querySelector('.file-picker'), f.querySelector('button')]"
        ".map(e => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; })")
    assert label["y"] + label["h"] <= picker["y"] <= button["y"], (label, picker, button)
    assert team.evaluate("document.documentElement.scrollWidth") <= 360
    # The picker speaks the page's language, not the browser's ("Choose File").
    chosen = team.locator("form.squad-import .file-chosen")
    expect(team.locator("form.squad-import label.button")).to_have_text("Scegli un file")
    expect(chosen).to_have_text("Nessun file scelto")
    shot(team, "before-360")

    # A file that is not a canvas export: refused, said why, nothing stored.
    wrong = tmp_path / "note.json"
    wrong.write_text(json.dumps({"hello": "world"}))
    field.set_input_files(wrong)
    expect(chosen).to_have_text("note.json")
    field.focus()
    shot(team, "chosen-360")
    team.get_by_role("button", name="Importa", exact=True).click()
    expect(team.locator(".flash, [role=alert]").first).to_contain_text("Non importato")
    expect(section).to_contain_text("Ancora nessuna versione")
    shot(team, "refused-360")

    field.set_input_files(export)
    team.get_by_role("button", name="Importa", exact=True).click()
    expect(team.locator("body")).to_contain_text("Importato come nuova versione.")
    expect(team.locator("main")).to_contain_text(CANVAS["goal"])
    expect(team.locator("main svg.squad-map g.node")).to_have_count(2)
    shot(team, "imported-360")

    # The facilitator sees it in Garbagnate's archive, version 1 (its T0), Dalmine's untouched.
    fac.goto(f"{server.url}/f/networks/2/archive")
    versions = fac.locator("#squad-versions tbody tr")
    expect(versions).to_have_count(1)
    expect(versions.first).to_contain_text("T0")
    shot(fac, "archive-1280")
    fac.goto(f"{server.url}/f/networks/1/archive")
    expect(fac.locator("#squad-versions tbody tr")).to_have_count(1)
