"""What a plugin keeps about people in tables of its own is exported and erased by the core's
privacy commands, through the plugin's hooks (``export_personal_data``, ``erase_personal_data``);
``meeting_closed`` and ``database()`` give it the meeting's transaction."""

from __future__ import annotations

import json
import sys
import types

import pytest
from sqlite_utils import Migrations

from facilitation import api

from .conftest import built_app, control


def certificates_plugin():
    """A plugin that writes an attendance certificate for each participant when a meeting ends."""
    migrations = Migrations("facilitation_certificates")

    @migrations()
    def m001_certificates(db):
        db["certificates_issued"].create({"id": int, "participant_id": int, "holder": str}, pk="id")

    module = types.ModuleType("facilitation_certificates")
    module.register_migrations = api.hookimpl(lambda: [migrations])

    def meeting_closed(meeting_id):
        for person in api.participants(meeting_id):
            api.database()["certificates_issued"].insert({"participant_id": person["id"],
                                                          "holder": f"Certificate of {person['name']}"})

    def export_personal_data(person):
        rows = api.database().execute("SELECT holder FROM certificates_issued WHERE participant_id = ?",
                                      [person["id"]]).fetchall()
        return {"certificates": [r[0] for r in rows]} if rows else None

    def erase_personal_data(person, pseudonym):
        api.database().execute("UPDATE certificates_issued SET holder = ? WHERE participant_id = ?",
                               [f"Certificate of {pseudonym}", person["id"]])

    for fn in (meeting_closed, export_personal_data, erase_personal_data):
        setattr(module, fn.__name__, api.hookimpl(fn))
    return module


@pytest.fixture
def app(tmp_path, monkeypatch):
    plugin = certificates_plugin()
    monkeypatch.setitem(sys.modules, plugin.__name__, plugin)
    with built_app(tmp_path, monkeypatch, PLUGINS=[plugin.__name__]) as app:
        yield app


def test_a_plugins_personal_data_is_exported_and_erased_by_the_core(app, sockets, seeded, login, db):
    fac = sockets.facilitator()
    sockets.participant("Zelda Quintavalle")
    control(fac, "start")
    control(fac, "end")
    [(pid, holder)] = db.execute("SELECT participant_id, holder FROM certificates_issued").fetchall()
    assert holder == "Certificate of Zelda Quintavalle"

    http = app.test_client()
    login(http)
    exported = json.loads(http.get(f"/f/participants/{pid}/export.json").data)
    assert exported["plugins"]["facilitation_certificates"] == {"certificates": ["Certificate of Zelda Quintavalle"]}

    assert http.post(f"/f/participants/{pid}/erase").status_code == 302
    [(holder,)] = db.execute("SELECT holder FROM certificates_issued").fetchall()
    assert holder == f"Certificate of #{pid}"
    exported = json.loads(http.get(f"/f/participants/{pid}/export.json").data)
    assert "Zelda" not in json.dumps(exported)


def test_purge_erases_a_plugins_personal_data_too(app, sockets, seeded, db):
    fac = sockets.facilitator()
    sockets.participant("Old Person")
    control(fac, "start")
    control(fac, "end")
    db.execute("UPDATE meetings SET ended_at = '2020-01-01T14:00:00Z' WHERE id = ?", [seeded["meeting"]])
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "Old Person" not in {r[0] for r in db.execute("SELECT holder FROM certificates_issued")}.__str__()
