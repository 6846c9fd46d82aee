"""A network's squad versions: the core's immutable ``artifacts`` rows of type ``squad``.

Numbered 1, 2, 3... per network in the order they were stored, whatever meeting
(or none, between meetings) produced them. Version 1 is the network's T0.
"""

from __future__ import annotations

from facilitation import store
from facilitation.db import loads

TYPE = "squad"


def versions(db, network_id) -> list[dict]:
    found = store.rows(
        db,
        """SELECT a.id, a.meeting_id, a.item_id, a.created_at, a.data, m.title AS meeting_title
           FROM artifacts a LEFT JOIN meetings m ON m.id = a.meeting_id
           WHERE a.network_id = ? AND a.exercise_type = ? ORDER BY a.id""",
        [network_id, TYPE])
    for number, v in enumerate(found, start=1):
        v["number"] = number
        v["data"] = loads(v["data"], {})
    return found


def version(db, network_id, number) -> dict | None:
    found = versions(db, network_id)
    return found[number - 1] if 1 <= number <= len(found) else None


def since_last_meeting(found: list[dict]) -> dict | None:
    """The version the network had at the end of its previous meeting, to compare the latest with."""
    if len(found) < 2:
        return None
    latest = found[-1]
    for v in reversed(found[:-1]):
        if v["meeting_id"] and (latest["meeting_id"] is None or v["meeting_id"] != latest["meeting_id"]):
            return v
    return None


def add_version(db, network_id, data, title) -> int:
    return store.add_artifact(db, network_id=network_id, lab_id=None, meeting_id=None, item_id=None,
                              exercise_type=TYPE, title=title, data=data)
