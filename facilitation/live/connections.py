"""The live connections of this process: who each socket is, and where it listens.

The app's registry (``Connections``) says who a socket is; the Socket.IO server's
own rooms say where it listens. Closing connections (a revoked link, an erased or
removed participant) goes through the rooms, as a broadcast of the message queue
when there is one, so every server process closes its own sockets, including
those the registry never knew (see ``fanout.CLOSE``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..exercise import Actor
from . import rooms


@dataclass
class Connection:
    """One authenticated socket: who it is and where it listens."""

    sid: str
    actor: Actor
    meeting_id: int | None
    role: str  # participant, console, projector, network
    # The network link a network team connected with (closed when it is revoked).
    link_id: int | None = None

    def rooms(self) -> list[str]:
        """The rooms this connection listens to, chosen by the server."""
        if self.role == "network":
            out = [rooms.room_network(self.actor.network_id), rooms.room_person(self.actor)]
            if self.link_id is not None:
                out.append(rooms.room_link(self.link_id))
            return out
        mid = self.meeting_id
        if self.role in ("console", "projector"):
            return [rooms.room_facilitators(mid), rooms.room_screen(mid, self.role), rooms.room_person(self.actor)]
        out = [rooms.room_participants(mid), rooms.room_person(self.actor)]
        if self.actor.team:
            out.append(rooms.room_team(mid, self.actor.team))
        return out


def _team_key(conn: Connection) -> tuple | None:
    """Where a connection counts in ``team_presence``: people of a team, or of a workspace."""
    if conn.role in ("participant", "network") and conn.actor.team:
        return (conn.meeting_id, conn.actor.team)
    return None


class Connections:
    """Authenticated connections of this process, by socket id, and by team for presence:
    a team's members are read several times a second in a large room, so they are kept
    indexed rather than found among every connection."""

    def __init__(self):
        self._by_sid: dict[str, Connection] = {}
        self._by_team: dict[tuple, dict[str, Connection]] = {}

    def _index(self, conn: Connection) -> None:
        key = _team_key(conn)
        if key is not None:
            self._by_team.setdefault(key, {})[conn.sid] = conn

    def _unindex(self, conn: Connection) -> None:
        key = _team_key(conn)
        members = self._by_team.get(key) if key is not None else None
        if members is not None:
            members.pop(conn.sid, None)
            if not members:
                del self._by_team[key]

    def add(self, conn: Connection) -> None:
        known = self._by_sid.get(conn.sid)
        if known is not None:
            self._unindex(known)
        self._by_sid[conn.sid] = conn
        self._index(conn)

    def remove(self, sid: str) -> Connection | None:
        conn = self._by_sid.pop(sid, None)
        if conn is not None:
            self._unindex(conn)
        return conn

    def get(self, sid: str) -> Connection | None:
        return self._by_sid.get(sid)

    def __len__(self) -> int:
        return len(self._by_sid)

    def __iter__(self):
        """The socket ids, as they are now."""
        return iter(list(self._by_sid))

    def of_meeting(self, meeting_id, role: str | None = None) -> list[Connection]:
        return [c for c in list(self._by_sid.values())
                if c.meeting_id == meeting_id and (role is None or c.role == role)]

    def team_members(self, meeting_id, team) -> list[dict]:
        """Who is connected to one team (or network workspace) right now, in this process."""
        seen, out = set(), []
        for c in list(self._by_team.get((meeting_id, team), {}).values()):
            if c.actor.key not in seen:
                seen.add(c.actor.key)
                out.append({"key": c.actor.key, "name": c.actor.name, "kind": c.actor.kind})
        return sorted(out, key=lambda m: (m["name"], m["key"]))

    def move(self, sid: str, team: str | None) -> Connection | None:
        """The connection with its actor in another team (its rooms are moved by the caller)."""
        conn = self._by_sid.get(sid)
        if conn is not None:
            self._unindex(conn)
            conn.actor = replace(conn.actor, team=team)
            self._index(conn)
        return conn
