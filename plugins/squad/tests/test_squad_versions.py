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
from facilitation.api.testing import store, transaction
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
    size = float(root.get("width"))
    centres = [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(ns + "circle")]
    gaps = [((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 for a in centres for b in centres if a != b]
    assert min(gaps) >= 90 and all(0 < x < size and 0 < y < size for x, y in centres)
    # Labels of arrows do not sit on top of one another.
    labels = [(float(t.get("x")), float(t.get("y")), len(t.text)) for g in root.findall(f"{ns}g[@class='edge']")
              for t in g.findall(f"{ns}text")]
    for n, (x, y, w) in enumerate(labels):
        for x2, y2, w2 in labels[n + 1:]:
            assert abs(y - y2) >= 13 or abs(x - x2) >= 3.1 * (w + w2), (x, y, x2, y2)


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
