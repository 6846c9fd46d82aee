"""The report pages as a person meets them: the lab e-book on the web (choices, chapters, no names
by default), the network dossier through the network's link (its own network only), the raw-data
exports (pseudonyms on request, a data dictionary, no cell that runs as a formula)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from facilitation import store
from facilitation.api.testing import built_app
from facilitation.db import borrowed, transaction

from . import reports_world


@pytest.fixture
def world(tmp_path, monkeypatch):
    with built_app(tmp_path, monkeypatch) as app:
        with borrowed(app) as db:
            made = reports_world.build(app, db)
        client = app.test_client()
        client.post("/f/login", data={"email": "fac@example.org", "password": reports_world.PASSWORD})
        yield app, made, client


def test_the_ebook_page_has_its_contents_chapters_and_figures_and_no_names(world):
    _app, made, client = world
    lab = made["labs"][0]
    page = client.get(f"/f/labs/{lab}/ebook").get_data(as_text=True)
    assert "Leggere la rete" in page and "Le strategie" in page and "Mai tenuto" not in page
    contents = page.split('id="ebook-contents"')[1].split("</ol>")[0]
    assert "Mai tenuto" not in contents, "a meeting never held has no chapter"
    assert 'id="figures"' in page and "<svg" in page
    chapter = client.get(f"/f/labs/{lab}/ebook/{made['meetings']['M1']}").get_data(as_text=True)
    assert "Quale strumento usate?" in chapter and "Tavoli" in chapter
    for name in reports_world.NAMES:
        assert name not in chapter and name not in page
    named = client.get(f"/f/labs/{lab}/ebook/{made['meetings']['M1']}?names=1").get_data(as_text=True)
    assert "Ada Rossi" in named and "Carla Verdi" in named
    assert client.get(f"/f/labs/{lab}/ebook/{made['meetings']['M3']}").status_code == 404, "another lab's meeting"
    assert client.get(f"/f/labs/{lab}/ebook/{made['meetings']['M4']}").status_code == 404, "never held"


def test_the_ebook_choices_keep_only_what_was_chosen(world):
    _app, made, client = world
    lab, m2 = made["labs"][0], made["meetings"]["M2"]
    page = client.get(f"/f/labs/{lab}/ebook?chosen=1&meeting={m2}&part=agenda").get_data(as_text=True)
    contents = page.split('id="ebook-contents"')[1].split("</ol>")[0]
    assert "Le strategie" in contents and "Leggere la rete" not in contents
    assert 'id="figures"' not in page
    assert f'<input type="hidden" name="meeting" value="{m2}">' in page, "the PDF gets the same choice"
    chapter = client.get(f"/f/labs/{lab}/ebook/{m2}?meeting={m2}&part=agenda").get_data(as_text=True)
    assert 'id="m2-agenda"' in chapter.replace(f"m{m2}-", "m2-") and "-participation" not in chapter


def test_the_dossier_through_the_network_link_shows_its_own_network_only(world):
    app, made, client = world
    a, b = made["networks"]["A"], made["networks"]["B"]
    with borrowed(app) as db, transaction(db):
        link_a = store.issue_network_link(db, a, made["facilitator"])
        link_b = store.issue_network_link(db, b, made["facilitator"])
    team = app.test_client()
    page = team.get(f"/n/{link_a}/dossier").get_data(as_text=True)
    assert "Ambito di Dalmine" in page and "fiducia" in page
    assert "Brescia" not in page and "Garbagnate" not in page.split('id="archive"')[1]
    assert 'name="names"' not in page, "names are a facilitator's choice"
    for name in reports_world.NAMES:
        assert name not in page
    response = team.post(f"/n/{link_a}/dossier/pdf", data={"names": "1"})
    assert response.status_code == 302 and f"/n/{link_a}/reports/" in response.headers["Location"]
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with borrowed(app) as db:
        job = store.report_job(db, job_id)
    assert (job["kind"], job["subject_id"], job["requested_by"], job["options"]["names"]) == (
        "dossier", a, f"network:{a}", False)
    other = app.test_client()
    assert other.get(f"/n/{link_b}/reports/{job_id}").status_code == 404
    assert other.get(f"/n/{link_b}/reports/{job_id}.json").status_code == 404
    assert other.get(f"/n/{link_b}/dossier").get_data(as_text=True).count("Ambito di Dalmine") == 0
    zipped = zipfile.ZipFile(io.BytesIO(team.get(f"/n/{link_a}/export.zip").data))
    versions = zipped.read(f"network-{a}/versions.csv").decode("utf-8-sig")
    assert "fiducia" in versions and "Brescia" not in versions


def read_zip(data: bytes) -> dict[str, list[list[str]]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name.split("/")[-1]: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            for name in archive.namelist()}


def test_a_meetings_raw_data_with_pseudonyms_and_its_dictionary(world):
    app, made, client = world
    m1 = made["meetings"]["M1"]
    response = client.get(f"/f/meetings/{m1}/export.zip?pseudonymise=1")
    assert response.mimetype == "application/zip"
    files = read_zip(response.data)
    assert set(files) == {"meeting.csv", "participants.csv", "attendance.csv", "answers.csv", "events.csv",
                          "results.csv", "dictionary.csv"}
    everything = json.dumps(files)
    for name in reports_world.NAMES:
        assert name not in everything, f"{name} left in a pseudonymised export"
    people = files["participants.csv"]
    assert people[0][:4] == ["participant", "organisation", "profession", "network"]
    assert [row[0] for row in people[1:]] == ["P1", "P2", "P3", "P4"]
    answers = files["answers.csv"]
    assert len(answers) == 4 and {row[2] for row in answers[1:]} == {"P1", "P2", "P3"}
    assert any(row[5] == "control.lock" for row in files["events.csv"][1:])
    assert len(files["attendance.csv"]) == 1 + 4, "Ada's two connections, Bruno's and Carla's"
    dictionary = files["dictionary.csv"]
    described = {(row[0], row[1]) for row in dictionary[1:]}
    for name, rows in files.items():
        if name != "dictionary.csv":
            assert {(name, column) for column in rows[0]} <= described, f"every column of {name} is described"
    named = read_zip(client.get(f"/f/meetings/{m1}/export.zip").data)
    assert "Ada Rossi" in [row[0] for row in named["participants.csv"]]
    data = json.loads(client.get(f"/f/meetings/{m1}/export.json?pseudonymise=1").data)
    assert data["meeting"][0]["pseudonymised"] is True and "Ada Rossi" not in json.dumps(data)
    assert {"column": "payload", "type": "JSON", "meaning": data["dictionary"]["answers"][-1]["meaning"]} in \
        data["dictionary"]["answers"]


def test_no_cell_of_an_export_runs_as_a_formula(world):
    app, made, client = world
    m1 = made["meetings"]["M1"]
    with borrowed(app) as db, transaction(db):
        store.add_participant(db, m1, "=HYPERLINK(\"http://x\")", "+39 035 123", made["networks"]["A"])
        store.add_participant(db, m1, "@SUM(1)", "-2", made["networks"]["B"])
    files = read_zip(client.get(f"/f/meetings/{m1}/export.zip").data)
    cells = [cell for rows in files.values() for row in rows[1:] for cell in row]
    assert "'=HYPERLINK(\"http://x\")" in cells and "'+39 035 123" in cells and "'@SUM(1)" in cells and "'-2" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and not c[1:].replace(".", "").isdigit())]


def test_report_pages_are_for_facilitators(world):
    app, made, _client = world
    anonymous = app.test_client()
    for url in (f"/f/labs/{made['labs'][0]}/ebook", "/f/reports", f"/f/meetings/{made['meetings']['M1']}/export.zip",
                f"/f/networks/{made['networks']['A']}/dossier", "/f/account/tokens"):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/f/login" in response.headers["Location"], url
