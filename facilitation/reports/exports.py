"""Raw data out: a meeting's (participants, attendance, answers, the event log, archived results)
and a network's archive, as CSV files in a ZIP and as one JSON document, each with its data
dictionary (what every column means).

People's names leave only when the facilitator does not ask for pseudonyms: with
``pseudonymise`` every participant is ``P<n>`` (numbered in order of joining) in every file,
and their name is replaced wherever an exercise copied it (answers, events, results), as
erasure does. Every CSV cell that starts with ``=``, ``+``, ``-`` or ``@`` is neutralised
(``text.neutral_cell``), so no cell runs as a formula in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime

from flask_babel import gettext as _

from .. import artifacts, store
from ..db import dumps, loads
from ..text import neutral_cell


def iso(seconds) -> str | None:
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def dictionary_meeting() -> dict[str, list[tuple[str, str, str]]]:
    """file -> (column, type, meaning), in the reader's language."""
    return {
        "meeting": [
            ("id", "integer", _("The meeting's number in this platform")),
            ("title", "text", _("The meeting's title")),
            ("lab", "text", _("The lab the meeting belongs to")),
            ("planned", "text", _("The date and time planned by the facilitator (local time)")),
            ("started_at", "datetime UTC", _("When the facilitator started the meeting")),
            ("ended_at", "datetime UTC", _("When the facilitator ended the meeting (empty while it runs)")),
            ("pseudonymised", "boolean", _("Whether people's names were replaced by pseudonyms in this export")),
        ],
        "participants": [
            ("participant", "text", _("The participant's name, or the pseudonym P<n> of this export")),
            ("organisation", "text", _("The organisation the person gave when joining")),
            ("profession", "text", _("The profession the person chose when joining (may be empty)")),
            ("network", "text", _("The network the person joined with")),
            ("team", "text", _("The team the person was in at the end (n<network number> by default)")),
            ("admitted", "integer", _("1 admitted, 0 waiting to be admitted, -1 refused or removed")),
            ("joined_at", "datetime UTC", _("When the person signed in")),
            ("erased", "boolean", _("Whether the person's data was erased (their name is then a pseudonym)")),
        ],
        "attendance": [
            ("participant", "text", _("Who: as in the participants file")),
            ("joined_at", "datetime UTC", _("When one of their connections opened")),
            ("left_at", "datetime UTC", _("When that connection closed (empty if still open)")),
        ],
        "answers": [
            ("seq", "integer", _("Order of the event in the meeting's log")),
            ("at", "datetime UTC", _("When the server accepted it")),
            ("participant", "text", _("Who: as in the participants file")),
            ("network", "text", _("The network of the person")),
            ("item", "integer", _("The agenda item (exercise) it was sent to")),
            ("exercise", "text", _("The exercise's type")),
            ("action", "text", _("What the person did (the exercise's action)")),
            ("payload", "JSON", _("What the person sent, as accepted")),
        ],
        "events": [
            ("seq", "integer", _("Order of the event in its log")),
            ("at", "datetime UTC", _("When the server accepted it")),
            ("actor", "text", _("Who: a participant (as in the participants file), a facilitator or a network team")),
            ("network", "text", _("The network of the actor, if any")),
            ("item", "integer", _("The agenda item, if any")),
            ("type", "text", _("An exercise's action, or control.<command> for the facilitator's commands")),
            ("payload", "JSON", _("What was sent, as accepted")),
            ("audience", "text", _("Where the result was broadcast")),
        ],
        "results": [
            ("id", "integer", _("The archived version's number in this platform")),
            ("network", "text", _("The network that keeps this result")),
            ("item", "integer", _("The agenda item that made it")),
            ("exercise", "text", _("The exercise's type")),
            ("title", "text", _("The exercise's title")),
            ("version", "integer", _("The version of this network's result of this item (1 is the first)")),
            ("created_at", "datetime UTC", _("When it was archived")),
            ("data", "JSON", _("The result as the exercise archived it")),
        ],
    }


def dictionary_network() -> dict[str, list[tuple[str, str, str]]]:
    return {
        "network": [
            ("id", "integer", _("The network's number in this platform")),
            ("name", "text", _("The network's name")),
            ("lead_body", "text", _("Its lead body")),
            ("territory", "text", _("Its territory")),
        ],
        "versions": [
            ("id", "integer", _("The archived version's number in this platform")),
            ("lab", "text", _("The lab of the meeting that made it (empty: saved between meetings)")),
            ("meeting", "text", _("The meeting that made it (empty: saved between meetings)")),
            ("item", "integer", _("The agenda item that made it")),
            ("exercise", "text", _("The exercise's type")),
            ("title", "text", _("The exercise's title")),
            ("version", "integer", _("The version of this result (1 is the first)")),
            ("created_at", "datetime UTC", _("When it was archived")),
            ("data", "JSON", _("The result as the exercise archived it")),
        ],
    }


def meeting_data(db, meeting_id: int, pseudonymise: bool) -> dict:
    """A meeting's raw data as tables: {file: [row dicts]} in the dictionary's column order."""
    meeting = store.meeting(db, meeting_id)
    lab = store.lab(db, meeting["lab_id"])
    people = store.all_participants_of_meeting(db, meeting_id)
    who = {p["id"]: (f"P{i}" if pseudonymise else p["name"]) for i, p in enumerate(people, start=1)}
    names: dict = {}
    if pseudonymise:
        for p in people:
            names.setdefault(p["name"], who[p["id"]])

    def clean(value):
        """Names an exercise copied into what it stored, replaced by pseudonyms (as erasure does)."""
        if isinstance(value, str):
            return names.get(value, value)
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    def actor(key: str) -> str:
        kind, _sep, ident = key.partition(":")
        if kind == "participant" and ident.isdigit() and int(ident) in who:
            return who[int(ident)]
        return key

    networks = {n["id"]: n["name"] for n in store.networks(db)}
    items = {i["id"]: i["exercise_type"] for i in store.agenda(db, meeting_id)}
    events = store.events_of_meeting(db, meeting_id)
    return {
        "meeting": [{"id": meeting["id"], "title": meeting["title"], "lab": lab["title"] if lab else "",
                     "planned": meeting["starts_at"], "started_at": meeting["started_at"],
                     "ended_at": meeting["ended_at"], "pseudonymised": pseudonymise}],
        "participants": [{"participant": who[p["id"]], "organisation": p["organisation"],
                          "profession": p["profession"], "network": p["network"] or "", "team": p["team"] or "",
                          "admitted": p["admitted"], "joined_at": p["created_at"], "erased": bool(p["erased_at"])}
                         for p in people],
        "attendance": [{"participant": who.get(a["participant_id"], ""), "joined_at": iso(a["joined_at"]),
                        "left_at": iso(a["left_at"])} for a in store.attendance_of_meetings(db, [meeting_id])],
        "answers": [{"seq": e["seq"], "at": iso(e["created_at"]), "participant": actor(e["actor"]),
                     "network": networks.get(e["network_id"], ""), "item": e["item_id"],
                     "exercise": items.get(e["item_id"], ""), "action": e["type"],
                     "payload": clean(loads(e["payload"], {}))}
                    for e in events if e["actor"].startswith("participant:")],
        "events": [{"seq": e["seq"], "at": iso(e["created_at"]), "actor": actor(e["actor"]),
                    "network": networks.get(e["network_id"], ""), "item": e["item_id"], "type": e["type"],
                    "payload": clean(loads(e["payload"], {})), "audience": e["audience"]} for e in events],
        "results": [{"id": a["id"], "network": a["network"], "item": a["item_id"], "exercise": a["exercise_type"],
                     "title": a["title"], "version": a["version"], "created_at": a["created_at"],
                     "data": clean(a["data"])} for a in artifacts.of_meetings(db, [meeting_id])],
    }


def network_data(db, network_id: int) -> dict:
    network = store.network(db, network_id)
    return {
        "network": [{k: network[k] for k in ("id", "name", "lead_body", "territory")}],
        "versions": [{"id": v["id"], "lab": v["lab_title"] or "", "meeting": v["meeting_title"] or "",
                      "item": v["item_id"], "exercise": v["exercise_type"], "title": v["title"],
                      "version": v["version"], "created_at": v["created_at"], "data": v["data"]}
                     for v in artifacts.every_version_of_network(db, network_id)],
    }


def as_json(tables: dict, dictionary: dict) -> str:
    out = {name: rows for name, rows in tables.items()}
    out["dictionary"] = {name: [{"column": c, "type": t, "meaning": m} for c, t, m in columns]
                         for name, columns in dictionary.items()}
    return json.dumps(out, ensure_ascii=False, indent=1)


def cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, dict | list):
        return neutral_cell(dumps(value))
    return neutral_cell(value)


def csv_text(rows: list[dict], columns: list[str]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
    return out.getvalue()


def as_zip(tables: dict, dictionary: dict, stem: str) -> bytes:
    """One CSV per table and ``dictionary.csv`` (file, column, type, meaning), in a ZIP."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in tables.items():
            archive.writestr(f"{stem}/{name}.csv", csv_text(rows, [c for c, _t, _m in dictionary[name]]))
        entries = [{"file": f"{name}.csv", "column": c, "type": t, "meaning": m}
                   for name, columns in dictionary.items() for c, t, m in columns]
        archive.writestr(f"{stem}/dictionary.csv", csv_text(entries, ["file", "column", "type", "meaning"]))
    return buffer.getvalue()
