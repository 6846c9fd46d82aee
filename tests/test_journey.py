"""A network's journey page: the meetings it attended from its T0, and the sections plugins add,
for facilitators and for the network's own link only."""

from __future__ import annotations

import pytest

from facilitation import store
from facilitation.db import transaction

from .conftest import control


@pytest.fixture
def app_config():
    return {"PLUGINS": ["tests.plugins.journeying", "tests.plugins.journeying.failing"]}


@pytest.fixture
def world(app, db, seeded, sockets):
    """The first network took part in both meetings (two people, then one); the second in the first only."""
    n1, n2 = seeded["networks"][:2]
    with transaction(db):
        db["meetings"].update(seeded["meeting"], {"starts_at": "2026-10-01T09:30"})
        db["meetings"].update(seeded["other_meeting"], {"starts_at": "2026-11-05T09:30"})
        for meeting, network, name in (
            (seeded["meeting"], n1, "Ada"),
            (seeded["meeting"], n1, "Bo"),
            (seeded["meeting"], n2, "Cy"),
            (seeded["other_meeting"], n1, "Ada"),
        ):
            store.add_participant(db, meeting, name, "Org", network)
        links = {n: store.issue_network_link(db, n) for n in (n1, n2)}
    return {"n1": n1, "n2": n2, "links": links}


def test_the_journey_lists_the_meetings_from_t0_and_the_plugins_sections_in_order(app, login, seeded, world, caplog):
    http = app.test_client()
    login(http)
    response = http.get(f"/f/networks/{world['n1']}/journey")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    first, second = page.index('id="journey-meeting-1"'), page.index('id="journey-meeting-2"')
    assert first < second and page.index("T0", first) < second, "the first meeting is the network's T0"
    assert "2 persone della rete" in page and "1 persona della rete" in page and "Ada" not in page
    assert "2 incontri dal T0" in page
    assert page.index('id="earlier"') < page.index('id="later"'), "sections by their order"
    assert "facilitator sees <bdi>Ambito di Dalmine</bdi>" in page
    assert 'id="journey-failed"' in page, "a failing section is left out, the page stands"
    assert "this section always fails" in caplog.text
    archive = http.get(f"/f/networks/{world['n1']}/archive").get_data(as_text=True)
    assert f'href="/f/networks/{world["n1"]}/journey"' in archive


def test_a_network_link_reads_its_own_journey_and_no_other(app, world):
    http = app.test_client()
    mine = http.get(f"/n/{world['links'][world['n1']]}/journey").get_data(as_text=True)
    assert "network sees <bdi>Ambito di Dalmine</bdi>" in mine and "Incontro 2" in mine
    archive = http.get(f"/n/{world['links'][world['n1']]}").get_data(as_text=True)
    assert f'href="/n/{world["links"][world["n1"]]}/journey"' in archive
    # The other network's link opens that network's journey: one meeting, nothing of the first network.
    theirs = http.get(f"/n/{world['links'][world['n2']]}/journey").get_data(as_text=True)
    assert "Brescia" in theirs and "Ambito di Dalmine" not in theirs and "Incontro 2" not in theirs
    # With a link, the facilitators' address of the first network is still closed.
    assert http.get(f"/f/networks/{world['n1']}/journey").status_code == 302


def test_a_revoked_link_and_an_unknown_network_get_the_designed_404(app, db, login, world):
    with transaction(db):
        store.revoke_network_links(db, world["n1"])
    http = app.test_client()
    assert http.get(f"/n/{world['links'][world['n1']]}/journey").status_code == 404
    login(http)
    assert http.get("/f/networks/999/journey").status_code == 404


def test_a_network_that_never_met_has_an_empty_journey(app, login, seeded):
    http = app.test_client()
    login(http)
    page = http.get(f"/f/networks/{seeded['networks'][2]}/journey").get_data(as_text=True)
    assert 'id="journey-empty"' in page


def test_a_live_meeting_counts_as_attended(app, sockets, seeded, login):
    fac = sockets.facilitator()
    sockets.participant("Ada", seeded["networks"][1])
    control(fac, "start")
    http = app.test_client()
    login(http)
    page = http.get(f"/f/networks/{seeded['networks'][1]}/journey").get_data(as_text=True)
    assert "Incontro 1" in page and '<span class="badge state-live">in corso</span>' in page
