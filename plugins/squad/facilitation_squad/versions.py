"""A network's squad versions: the core's immutable archived versions of type ``squad``.

Numbered 1, 2, 3... per network in the order they were stored, whatever meeting
(or none, between meetings) produced them. Version 1 is the network's T0.
"""

from __future__ import annotations

from facilitation import api

TYPE = "squad"


def versions(network_id) -> list[dict]:
    return api.versions(network_id, TYPE)


def version(network_id, number) -> dict | None:
    return api.version(network_id, TYPE, number)


def since_last_meeting(found: list[dict]) -> dict | None:
    """The version the network had at the end of its previous meeting, to compare the latest with."""
    if len(found) < 2:
        return None
    latest = found[-1]
    for v in reversed(found[:-1]):
        if v["meeting_id"] and (latest["meeting_id"] is None or v["meeting_id"] != latest["meeting_id"]):
            return v
    return None


def add_version(network_id, data, title) -> int:
    """A version made outside a meeting (an import); call inside ``api.transaction()``."""
    return api.add_version(network_id, TYPE, title, data)
