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


def room_screen(meeting_id, role):
    """Facilitator connections of one kind: ``console`` or ``projector``."""
    return f"m{meeting_id}:f:{role}"


def room_team(meeting_id, team):
    return f"m{meeting_id}:t:{team}"


def room_person(actor: Actor):
    return f"a:{actor.key}"


def room_participant(participant_id):
    """Every connection of one participant (the same room as ``room_person`` of their actor)."""
    return f"a:participant:{participant_id}"


def room_link(link_id):
    """Every connection opened with one network link."""
    return f"l:{link_id}"


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


def shared_space(space: str) -> str:
    """The meeting-wide space of a team's space (what facilitators set for all teams)."""
    return space.split(":", 1)[0] if space.startswith("i") else space + ":shared"


# Reserved key of every seeded space: which archived version it started from.
START_KEY = "@start"
TEAM_PATTERN = re.compile(r"^n[1-9][0-9]{0,9}$")


def network_of_team(team: str | None) -> int | None:
    return int(team[1:]) if team and TEAM_PATTERN.match(team) else None


def team_of(actor: Actor) -> str | None:
    """The team an actor works in: its own, or its network's."""
    return actor.team or (f"n{actor.network_id}" if actor.network_id else None)


def error(code: str, message: str, **details) -> dict:
    return {"ok": False, "error": {"code": code, "message": str(message), **details}}


def actor_public(actor: Actor) -> dict:
    return {"kind": actor.kind, "id": actor.id, "name": actor.name, "network": actor.network_id,
            "team": actor.team}
