"""Names of rooms, streams and state spaces, and the error shape of acks.

Rooms are named here and only here; clients never name a room.
"""

from __future__ import annotations

import re

from ..exercise import Actor


def room_participants(meeting_id):
    return f"m{meeting_id}:p"


def room_facilitators(meeting_id):
    return f"m{meeting_id}:f"


def room_team(meeting_id, team):
    return f"m{meeting_id}:t:{team}"


def room_person(actor: Actor):
    return f"a:{actor.key}"


def stream_key(meeting_id):
    return f"m{meeting_id}"


def space_of(item_id, scope: str = "") -> str:
    return f"i{item_id}:{scope}" if scope else f"i{item_id}"


# A network's workspace between meetings: its own stream, room and state space per exercise type.

def room_network(network_id):
    return f"net{network_id}"


def network_stream(network_id):
    return f"net{network_id}"


def workspace_space(exercise_type, network_id) -> str:
    return f"w:{exercise_type}:n{network_id}"


# Reserved key of every seeded space: which archived version it started from.
START_KEY = "@start"
TEAM_PATTERN = re.compile(r"^n[1-9][0-9]{0,9}$")


def network_of_team(team: str | None) -> int | None:
    return int(team[1:]) if team and TEAM_PATTERN.match(team) else None



def error(code: str, message: str, **details) -> dict:
    return {"ok": False, "error": {"code": code, "message": str(message), **details}}


def actor_public(actor: Actor) -> dict:
    return {"kind": actor.kind, "id": actor.id, "name": actor.name, "network": actor.network_id,
            "team": actor.team}

