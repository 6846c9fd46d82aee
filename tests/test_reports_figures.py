"""The programme dashboard's figures on a programme worked out by hand (tests/reports_world.py):
every figure, under every filter, equals the value written here; the page shows them with their
tables, each downloadable as CSV; a plugin adds its section through the hook, a failing one is
left out."""

from __future__ import annotations

import csv
import io
import re

import pytest

from facilitation.api.testing import built_app
from facilitation.reports import dashboard, filters
from facilitation.reports.figures import merged_seconds

from . import reports_world


@pytest.fixture
def world(tmp_path, monkeypatch):
    plugins = ["tests.plugins.dashboarding", "tests.plugins.dashboarding.failing"]
    with built_app(tmp_path, monkeypatch, PLUGINS=plugins) as app:
        from facilitation.db import borrowed

        with borrowed(app) as db:
            made = reports_world.build(app, db)
        yield app, made


def figures_for(app, **args):
    from facilitation.db import borrowed

    with app.test_request_context(), borrowed(app) as db:
        chosen, wrong = filters.parse(args, db)
        assert not wrong
        return dashboard.figures_of(db, chosen)


def login(client):
    assert client.post("/f/login", data={"email": "fac@example.org",
                                         "password": reports_world.PASSWORD}).status_code == 302


def test_merged_intervals_count_overlaps_once():
    assert merged_seconds([(0, 10), (5, 20), (30, 40), (35, 36), (50, 50)]) == 30
    assert merged_seconds([]) == 0


def test_every_figure_of_the_whole_programme(world):
    app, _made = world
    f = figures_for(app)
    assert (f["meetings"], f["attendances"], f["people"]) == (3, 8, 5)
    assert (f["meeting_hours"], f["participant_hours"]) == (9.0, 16.0)
    assert (f["networks_reached"], f["networks_total"], f["organisations"], f["professions"]) == (3, 4, 3, 3)
    assert [(n["network"], n["meetings"], n["attendances"], n["participant_hours"]) for n in f["per_network"]] == [
        ("Ambito di Dalmine", 3, 4, 9.5), ("Brescia", 2, 2, 5.5), ("Garbagnate Milanese", 2, 2, 1.0)]
    assert [(m["title"], m["date"], m["hours"], m["attendances"], m["networks"], m["participant_hours"])
            for m in f["per_meeting"]] == [("Leggere la rete", "2026-03-02", 4.0, 3, 2, 8.5),
                                           ("Le strategie", "2026-03-16", 3.0, 3, 3, 4.5),
                                           ("Coprogettare", "2026-04-13", 2.0, 2, 2, 3.0)]
    assert [(p["profession"], p["attendances"], p["people"]) for p in f["per_profession"]] == [
        ("mediator", 4, 2), ("social_worker", 2, 1), ("teacher", 2, 2)]
    assert [(o["name"], o["attendances"]) for o in f["per_organisation"]] == [
        ("Comune di Dalmine", 4), ("Cooperativa Ponti", 2), ("Istituto Comprensivo", 2)]


def test_figures_of_one_lab_a_period_and_a_network(world):
    app, made = world
    lab1 = figures_for(app, lab=str(made["labs"][0]))
    assert (lab1["meetings"], lab1["attendances"], lab1["people"], lab1["meeting_hours"],
            lab1["participant_hours"], lab1["networks_reached"], lab1["organisations"]) == (2, 6, 4, 7.0, 13.0, 3, 3)
    period = figures_for(app, **{"from": "2026-03-10", "to": "2026-04-30"})
    assert (period["meetings"], period["attendances"], period["people"], period["meeting_hours"],
            period["participant_hours"]) == (2, 5, 4, 5.0, 7.5)
    a = figures_for(app, network=str(made["networks"]["A"]))
    assert (a["meetings"], a["attendances"], a["people"], a["meeting_hours"], a["participant_hours"],
            a["networks_reached"], a["organisations"], a["professions"]) == (3, 4, 2, 9.0, 9.5, 1, 1, 2)
    d = figures_for(app, network=str(made["networks"]["D"]))
    assert (d["meetings"], d["attendances"], d["participant_hours"], d["networks_reached"]) == (0, 0, 0.0, 0)
    both = figures_for(app, lab=str(made["labs"][0]), network=str(made["networks"]["C"]), to="2026-03-31")
    assert (both["meetings"], both["attendances"], both["meeting_hours"], both["participant_hours"]) == (1, 1, 3.0, 0.0)


def test_the_page_shows_the_figures_and_every_figure_downloads_as_csv(world):
    app, made = world
    client = app.test_client()
    login(client)
    page = client.get(f"/f/reports?lab={made['labs'][0]}").get_data(as_text=True)
    summary = re.search(r'<dl class="figures" id="summary-participation">(.*?)</dl>', page, re.S).group(1)
    values = re.findall(r"<dd>(.*?)</dd>", summary)
    assert values == ["6", "4", "2", "7,0", "13,0", "3 di 4", "3", "3"], values
    assert page.count("<svg") >= 3 and page.count('<table class="table chart-table">') >= 5
    csvs = re.findall(r'href="(/f/reports/[\w-]+/[\w-]+\.csv\?[^"]*)"', page)
    assert len(csvs) >= 6
    networks = next(u for u in csvs if "/participation/networks.csv" in u).replace("&amp;", "&")
    response = client.get(networks)
    assert response.headers["Content-Disposition"] == 'attachment; filename="participation-networks.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1:] == [["Ambito di Dalmine", "2", "3", "7.5"], ["Brescia", "2", "2", "5.5"],
                        ["Garbagnate Milanese", "1", "1", "0.0"]]


def test_a_plugin_adds_its_section_and_a_failing_one_is_left_out(world, caplog):
    app, made = world
    client = app.test_client()
    login(client)
    page = client.get("/f/reports").get_data(as_text=True)
    assert "Risultati archiviati" in page and "Sondaggi archiviati per rete" in page
    assert page.index('id="section-participation"') < page.index('id="section-archived"')
    assert "a bug, on purpose" in caplog.text
    rows = client.get("/f/reports/archived/by-network.csv").get_data(as_text=True).lstrip("\ufeff").split("\r\n")
    assert rows[:4] == ["Rete,Risultati", "Ambito di Dalmine,2", "Brescia,1", "Garbagnate Milanese,2"]


def test_wrong_filters_are_said_and_left_out(world):
    app, _made = world
    client = app.test_client()
    login(client)
    response = client.get("/f/reports?lab=99999&network=%C2%B2&from=2026-02-30&to=yesterday")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count('href="#filter-') == 4
    assert "3 incontri" in page or "3 meetings" in page
    assert client.get("/f/reports/participation/nothing.csv").status_code == 404


def test_cells_of_a_figure_never_run_as_formulas():
    fig = dashboard.Figure("x", "X", ["=SUM(A1)", "n"], [["+39 035", 3], ["@cmd", -2], ["-1", 1.5]])
    text = dashboard.csv_text(fig).lstrip("\ufeff")
    assert text.split("\r\n")[:4] == ["'=SUM(A1),n", "'+39 035,3", "'@cmd,-2", "'-1,1.5"]
