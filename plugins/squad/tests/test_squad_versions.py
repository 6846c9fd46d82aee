"""Squad versions: immutable, compared exactly, exported and imported unchanged, the map at size."""

import io
import json
import xml.etree.ElementTree as ET
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime

from facilitation.api import testing
from facilitation.api.testing import archive, store, transaction
from facilitation_squad import svgmap
from facilitation_squad.canvas import SCHEMA

versions = partial(testing.versions, exercise_type="squad")
add_version = partial(testing.add_version, exercise_type="squad")


CANVAS = {
    "schema": SCHEMA, "goal": "Una comunità che accoglie", "needs": "Famiglie <b>isolate</b>",
    "strategies": [{"id": "s1", "title": "Mediazione", "objectives": [{"id": "o1", "text": "Sportello"}]},
                   {"id": "s2", "title": "Tavolo", "objectives": []}],
    "roles": [{"id": "r1", "title": "Mediatore", "organisation": "Coop", "profession": "mediatore", "manages": ["s1"]},
              {"id": "r2", "title": "Docente", "organisation": "", "profession": "", "manages": []}],
    "interactions": [{"id": "i1", "source": "r1", "target": "r2", "what": "casi", "channel": "incontro",
                      "frequency": "mensile"}],
}


@pytest.fixture
def network(seeded, db):
    n1 = seeded["networks"][0]
    with transaction(db):
        add_version(db, n1, {"schema": SCHEMA, "canvas": CANVAS, "reason": "closed", "authors": ["Ada"]}, "Squad")
        later = json.loads(json.dumps(CANVAS))
        later["goal"] = "Una comunità che cura"
        later["strategies"][1]["objectives"].append({"id": "o2", "text": "Un tavolo al mese"})
        later["roles"].append({"id": "r3", "title": "Educatore", "organisation": "", "profession": "", "manages": []})
        del later["interactions"][0]
        add_version(db, n1, {"schema": SCHEMA, "canvas": later, "reason": "saved", "authors": ["Bo"]}, "Squad")
    return n1


@pytest.fixture
def fac(app, login, seeded):
    http = app.test_client()
    login(http)
    return http


def test_versions_are_immutable(db, network):
    first = versions(db, network)[0]
    with pytest.raises(Exception, match="immutable"):
        db.execute("UPDATE artifacts SET data = '{}' WHERE id = ?", [first["id"]])
    assert versions(db, network)[0]["data"]["canvas"] == CANVAS


def test_comparison_page_lists_exactly_what_changed(fac, network):
    response = fac.get(f"/f/networks/{network}/squad/compare?since=t0")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:3000]
    changes = page.split('id="changes"', 1)[1].split("</section>", 1)[0]
    assert changes.count('class="change ') == 4
    assert "change-changed" in changes and "Una comunità che cura" in changes
    assert "change-added" in changes and "Tavolo: Un tavolo al mese" in changes and "Educatore" in changes
    assert "change-removed" in changes and "Mediatore → Docente: casi" in changes
    default = fac.get(f"/f/networks/{network}/squad/compare").get_data(as_text=True)
    assert default.split('id="changes"', 1)[1].split("</section>", 1)[0] == changes, "by default: T0 against the latest"
    same = fac.get(f"/f/networks/{network}/squad/compare?a=2&b=2").get_data(as_text=True)
    assert same.split('id="changes"', 1)[1].count('class="change ') == 0
    assert fac.get(f"/f/networks/{network}/squad/compare?a=1&b=9").status_code == 404


def test_json_export_imports_back_to_the_same_canvas(fac, db, network):
    exported = fac.get(f"/f/networks/{network}/squad/1.json")
    doc = json.loads(exported.data)
    assert doc["schema"] == SCHEMA and doc["version"] == 1 and doc["authors"] == ["Ada"]
    response = fac.post(f"/f/networks/{network}/squad/import",
                        data={"file": (io.BytesIO(exported.data), "squad.json")}, content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].endswith("/squad/3")
    found = versions(db, network)
    assert len(found) == 3 and found[2]["data"]["canvas"] == CANVAS and found[2]["data"]["reason"] == "imported"
    assert json.loads(fac.get(f"/f/networks/{network}/squad/3.json").data)["canvas"] == doc["canvas"]


BAD_IMPORTS = [
    b"not json", b"[]", b"", json.dumps({"schema": "other"}).encode(),
    json.dumps({"schema": SCHEMA, "canvas": {**CANVAS, "roles": []}}).encode(),  # interaction to a missing role
    json.dumps({"schema": SCHEMA, "canvas": {**CANVAS, "extra": 1}}).encode(),
    json.dumps({"schema": SCHEMA, "canvas": {**CANVAS, "goal": "x" * 5000}}).encode(),
    json.dumps({"schema": SCHEMA, "canvas": {**CANVAS, "strategies": [{"id": "../x", "title": "t"}]}}).encode(),
    json.dumps({"schema": SCHEMA, "canvas": {**CANVAS, "strategies": CANVAS["strategies"] * 2}}).encode(),
]


def test_bad_imports_are_refused_with_a_reason_and_store_nothing(fac, db, network):
    for body in BAD_IMPORTS:
        response = fac.post(f"/f/networks/{network}/squad/import", data={"file": (io.BytesIO(body), "x.json")},
                            content_type="multipart/form-data", follow_redirects=True)
        page = response.get_data(as_text=True)
        assert 'class="flash flash-error"' in page, body[:60]
        assert len(versions(db, network)) == 2


def test_markdown_and_printable_page_escape_what_people_typed(fac, network):
    md = fac.get(f"/f/networks/{network}/squad/1.md").get_data(as_text=True)
    assert "Famiglie \\<b\\>isolate\\</b\\>" in md and "| Mediatore | Docente | casi | incontro | mensile |" in md
    page = fac.get(f"/f/networks/{network}/squad/1/print").get_data(as_text=True)
    assert "Famiglie &lt;b&gt;isolate&lt;/b&gt;" in page and "<svg" in page and "<b>isolate" not in page


def test_pages_need_a_facilitator_or_the_network_link(app, network):
    anonymous = app.test_client()
    assert anonymous.get(f"/f/networks/{network}/squad/1").status_code == 302
    assert anonymous.get("/n/not-a-real-token/squad/1").status_code == 404


def test_network_link_sees_its_own_archive_only(app, fac, db, seeded, network):
    n2 = seeded["networks"][1]
    with transaction(db):
        add_version(db, n2, {"schema": SCHEMA, "canvas": {**CANVAS, "goal": "Segreto di Brescia"},
                             "reason": "closed", "authors": []}, "Squad")
        token = store.issue_network_link(db, network)
    team = app.test_client()
    home = team.get(f"/n/{token}").get_data(as_text=True)
    assert "Una comunità che cura" in home and "Segreto di Brescia" not in home
    assert f"/n/{token}/squad/compare?since=t0" in home.replace("&amp;", "&")
    assert "Segreto" not in team.get(f"/n/{token}/squad/3").get_data(as_text=True)
    assert team.get(f"/n/{token}/squad/3").status_code == 404
    assert team.get(f"/f/networks/{n2}/archive").status_code == 302


def big_canvas(roles=20, links=40):
    rs = [{"id": f"r{n}", "title": f"Ruolo numero {n} & <co>", "organisation": f"Ente {n}", "profession": "", "manages": []}
          for n in range(roles)]
    ls = [{"id": f"i{n}", "source": f"r{n % roles}", "target": f"r{(n * 7 + 3) % roles}", "what": f"flusso {n} \"x\"",
           "channel": "email", "frequency": "settimanale"} for n in range(links)]
    return {"schema": SCHEMA, "goal": "", "needs": "", "strategies": [], "roles": rs, "interactions": ls}


def boxes(root, kind):
    """The rectangles of a map's role boxes (``node``) or arrow labels (``edge``), as (left, top, right, bottom)."""
    ns = "{http://www.w3.org/2000/svg}"
    out = []
    for g in root.findall(f"{ns}g[@class='{kind}']"):
        for rect in g.findall(f"{ns}rect"):
            x, y, w, h = (float(rect.get(k)) for k in ("x", "y", "width", "height"))
            out.append((x, y, x + w, y + h))
    return out


def path_points(d, steps=40):
    """Points along an arrow: ``M x,y Q cx,cy ex,ey``."""
    nums = [float(v) for v in d.replace("M", " ").replace("Q", " ").replace("C", " ").replace(",", " ").split()]
    if len(nums) != 6:
        return []
    (x0, y0, cx, cy, x1, y1) = nums
    return [((1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t * t * x1, (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t * t * y1)
            for t in (n / steps for n in range(steps + 1))]


def test_map_of_20_roles_and_40_interactions_is_wellformed_and_labelled():
    canvas = big_canvas()
    text = svgmap.render(canvas, "Rete <test>")
    root = ET.fromstring(text)
    ns = "{http://www.w3.org/2000/svg}"
    titles = [t.text for t in root.iter(ns + "title")]
    for role in canvas["roles"]:
        assert any(t.startswith(role["title"]) for t in titles)
    for link in canvas["interactions"]:
        assert f'{link["what"]} · email · settimanale' in titles
    assert len(root.findall(f"{ns}g[@class='node']")) == 20 and len(root.findall(f"{ns}g[@class='edge']")) == 40
    left, top, width, height = (float(v) for v in root.get("viewBox").split())
    nodes = boxes(root, "node")
    # Every role inside the drawing, no two boxes on top of one another, no wide empty margin.
    assert all(left <= b[0] and b[2] <= left + width and top <= b[1] and b[3] <= top + height for b in nodes)
    assert not any(svgmap._overlap(a, b) for n, a in enumerate(nodes) for b in nodes[n + 1:])
    drawn = nodes + boxes(root, "edge")
    assert all(gap <= svgmap.MARGIN + 40 for gap in (min(b[0] for b in drawn) - left, min(b[1] for b in drawn) - top,
                                                     left + width - max(b[2] for b in drawn),
                                                     top + height - max(b[3] for b in drawn)))
    # Every arrow's label sits beside its arrow, never on it.
    for g in root.findall(f"{ns}g[@class='edge']"):
        label = [r for r in g.findall(f"{ns}rect")]
        path = g.find(f"{ns}path").get("d")
        if label and path.startswith("M") and " Q" in path:
            x, y, w, h = (float(label[0].get(k)) for k in ("x", "y", "width", "height"))
            assert not any(x + 1 < px < x + w - 1 and y + 1 < py < y + h - 1 for px, py in path_points(path)), path
    # Every text at 13 map units or more: at the map's own size, never under 12 px.
    assert min(float(t.get("font-size")) for t in root.iter(ns + "text")) >= 13


def test_a_map_draws_the_positions_of_its_canvas():
    canvas = json.loads(json.dumps(CANVAS))
    canvas["roles"][0].update(x=400, y=120, pinned=True)
    canvas["roles"][1].update(x=150, y=300, pinned=False)
    root = ET.fromstring(svgmap.render(canvas))
    (a, b) = boxes(root, "node")
    assert ((a[0] + a[2]) / 2, (a[1] + a[3]) / 2) == (400, 120) and ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) == (150, 300)
    # Texts are whole up to three lines: a long label wraps instead of being cut.
    canvas["interactions"][0]["what"] = "Segnalazioni di anziani a rischio di isolamento"
    root = ET.fromstring(svgmap.render(canvas))
    spans = [t.text for t in root.iter("{http://www.w3.org/2000/svg}tspan")]
    assert " ".join(x for x in spans if x in "Segnalazioni di anziani a rischio di isolamento") == (
        "Segnalazioni di anziani a rischio di isolamento")


def test_a_map_without_positions_is_laid_out_the_same_way_every_time():
    legacy = {**big_canvas(6, 8), "schema": "facilitation.squad/1"}
    where = svgmap.positions(legacy)
    assert set(where) == {r["id"] for r in legacy["roles"]} and where == svgmap.positions(legacy)
    # Roles placed nowhere go in rows under the ones that have a place, never on top of them.
    placed = json.loads(json.dumps(legacy))
    placed["roles"][0].update(x=300, y=400)
    found = svgmap.positions(placed)
    assert found["r0"] == (300, 400) and all(y > 400 + 40 for rid, (_x, y) in found.items() if rid != "r0")
    assert found == svgmap.positions(placed)
    # In a comparison, a role without a place in one version takes its place in the other.
    assert svgmap.positions(legacy, layout_of=placed)["r0"] == (300, 400)


def test_map_is_the_same_for_the_same_canvas():
    assert svgmap.render(big_canvas(5, 8)) == svgmap.render(big_canvas(5, 8))


def test_dates_read_as_dates_in_the_programmes_time_zone(fac, db, network):
    stored = versions(db, network)[0]["created_at"]  # UTC, e.g. 2026-11-22T17:05:00Z
    moment = datetime.fromisoformat(stored.replace("Z", "+00:00"))
    rome = ZoneInfo("Europe/Rome")
    page = fac.get(f"/f/networks/{network}/squad/compare?since=t0").get_data(as_text=True)
    assert stored not in page
    assert format_datetime(moment, "medium", tzinfo=rome, locale="it") in page
    fac.post("/lang", data={"lang": "en", "next": "/"})
    page = fac.get(f"/f/networks/{network}/squad/1").get_data(as_text=True)
    assert format_datetime(moment, "medium", tzinfo=rome, locale="en") in page


def test_positions_are_exported_and_imported_and_checked(fac, db, network):
    placed = json.loads(json.dumps(CANVAS))
    placed["roles"][0].update(x=200, y=90, pinned=True)
    placed["roles"][1].update(x=20, y=300, pinned=False)
    body = json.dumps({"schema": SCHEMA, "canvas": placed}).encode()
    response = fac.post(f"/f/networks/{network}/squad/import", data={"file": (io.BytesIO(body), "squad.json")},
                        content_type="multipart/form-data")
    assert response.status_code == 302
    assert versions(db, network)[-1]["data"]["canvas"] == placed
    assert json.loads(fac.get(f"/f/networks/{network}/squad/3.json").data)["canvas"] == placed
    # A version 1 export (no positions) still imports, and exports as version 2, its roles still to be placed.
    legacy = {**CANVAS, "schema": "facilitation.squad/1"}
    body = json.dumps({"schema": "facilitation.squad/1", "canvas": legacy}).encode()
    fac.post(f"/f/networks/{network}/squad/import", data={"file": (io.BytesIO(body), "old.json")},
             content_type="multipart/form-data")
    assert json.loads(fac.get(f"/f/networks/{network}/squad/4.json").data)["canvas"] == CANVAS
    for role in ({"x": 1}, {"x": 1, "y": -2}, {"x": 1.5, "y": 2}, {"x": True, "y": 2}, {"x": 1, "y": 2, "pinned": "yes"},
                 {"pinned": True}, {"x": 1, "y": 10_001}):
        bad = json.loads(json.dumps(CANVAS))
        bad["roles"][0].update(role)
        page = fac.post(f"/f/networks/{network}/squad/import", content_type="multipart/form-data", follow_redirects=True,
                        data={"file": (io.BytesIO(json.dumps({"schema": SCHEMA, "canvas": bad}).encode()), "x.json")})
        assert 'class="flash flash-error"' in page.get_data(as_text=True), role
    assert len(versions(db, network)) == 4


def test_an_imported_version_carries_its_networks_t0(fac, db, network):
    body = json.dumps({"schema": SCHEMA, "canvas": CANVAS}).encode()
    fac.post(f"/f/networks/{network}/squad/import", data={"file": (io.BytesIO(body), "squad.json")},
             content_type="multipart/form-data")
    t0 = versions(db, network)[-1]["data"]["t0"]["figures"]
    assert t0["flows"] == 1 and [r["id"] for r in t0["roles"]] == ["r1", "r2"]


def test_the_comparison_keeps_every_role_in_place_and_marks_what_changed(fac, network):
    page = fac.get(f"/f/networks/{network}/squad/compare?since=t0").get_data(as_text=True)
    maps = page.split('id="compare-maps"', 1)[1].split("</section>", 1)[0]
    old, new = (ET.fromstring("<svg" + part.split("<svg", 1)[1].split("</svg>", 1)[0] + "</svg>")
                for part in maps.split('id="map-new"'))
    ns = "{http://www.w3.org/2000/svg}"
    assert old.get("viewBox") == new.get("viewBox"), "both maps on the same frame"

    def where(root):
        return {g.get("data-id"): boxes_of(g) for g in root.findall(f"{ns}g[@class='node']")}

    def boxes_of(g):
        rect = g.find(f"{ns}rect")
        return (rect.get("x"), rect.get("y"))

    before, after = where(old), where(new)
    assert before["r1"] == after["r1"] and before["r2"] == after["r2"] and "r3" in after and "r3" not in before
    marks_old = {g.get("data-id"): g.find(f"{ns}g").get("class") for g in old.iter(f"{ns}g")
                 if g.get("data-id") and g.find(f"{ns}g") is not None}
    marks_new = {g.get("data-id"): g.find(f"{ns}g").get("class") for g in new.iter(f"{ns}g")
                 if g.get("data-id") and g.find(f"{ns}g") is not None}
    assert marks_old == {"i1": "mark mark-removed"} and marks_new == {"r3": "mark mark-added"}
    # The columns say it in words too.
    column_old = page.split('id="column-old"', 1)[1].split('id="column-new"', 1)[0]
    column_new = page.split('id="column-new"', 1)[1]
    assert 'class="badge change-removed"' in column_old and "change-added" not in column_old
    assert column_new.count('class="badge change-added"') == 2 and 'class="badge change-changed"' in column_new


def test_pages_show_the_figures_beside_the_map_with_how_they_changed_since_t0(fac, network):
    first = fac.get(f"/f/networks/{network}/squad/1").get_data(as_text=True)
    assert "squad-figures" in first and "Mediatore</bdi> è l&#39;unico collegamento" not in first
    assert "squad-since" not in first, "T0 is not compared with itself"
    second = fac.get(f"/f/networks/{network}/squad/2").get_data(as_text=True)
    since = second.split('class="table small squad-since"', 1)[1].split("</table>", 1)[0]
    assert "Interazioni" in since and '<td class="num">1</td><td class="num">0' in since
    archive = fac.get(f"/f/networks/{network}/archive").get_data(as_text=True)
    assert 'id="squad-latest-figures"' in archive and "squad-since" in archive
    assert fac.get(f"/f/networks/{network}/squad/2/print").get_data(as_text=True).count("squad-figures") == 1


def test_reports_and_the_journey_page_get_the_figures(app, db, network):
    from facilitation_squad import journey

    found = versions(db, network)
    with app.test_request_context():
        artifact = {"exercise_type": "squad", "id": found[1]["id"], "network_id": network, "data": found[1]["data"],
                    "title": "Squad"}
        markdown = archive(artifact, "markdown")
        assert "#### I numeri della rete" in markdown and "| Mediatore | 0 | 0,00 |" in markdown
        assert "T0" in markdown and "| Interazioni | 1 | 0 |" in markdown
        html = str(archive(artifact, "print"))
        assert "<svg" in html and "squad-since" in html and "<script" not in html
        sections = journey.section(network, None)
        (order, title, body) = sections[0]
        assert order == journey.ORDER and str(body).count('<figure class="chart">') == 2
        assert 'id="squad-journey"' in body and body.count("<tr>") >= 4
        assert journey.section(999, None) == [], "a network without versions adds nothing"
