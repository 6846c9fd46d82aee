"""Teams and network workspaces, as a part of the engine.

A team exercise keeps one state space per team, started from the network's latest
archived version; a facilitator moves people between teams and merges networks, and
their live connections follow. Between meetings, a network team works on its own
workspace space through its network link, on its own stream and room.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from .. import store
from ..db import loads, transaction
from ..exercise import PARTICIPANT, Action, ActionError, Actor
from ..schema import Field, ValidationError, validate
from .checks import check_action
from .rooms import (
    START_KEY,
    actor_public,
    error,
    network_of_team,
    network_stream,
    room_facilitators,
    room_network,
    room_team,
    workspace_space,
)
from .state import DbState, write_changes

if TYPE_CHECKING:
    from .engine import Connection

WORKSPACE_ENVELOPE = [
    Field("workspace", "text", required=True, max_length=40),
    Field("type", "text", required=True, max_length=40),
    Field("payload", "json", default={}),
    Field("cid", "id"),
]


class TeamSpaces:
    """Engine methods for team spaces, network workspaces and team changes."""

    def ensure_seeded(self, db, exercise, space, config, network_id, follow_latest=False) -> None:
        """Give a team's (or a workspace's) space its first state, from the network's
        latest archived version of this exercise (``start_state``). With
        ``follow_latest`` a space restarts whenever a newer version was archived elsewhere,
        unless it holds unsaved edits: those are never thrown away."""
        found = db.execute("SELECT value FROM exercise_state WHERE space = ? AND key = ?",
                           [space, START_KEY]).fetchone()
        if found and not follow_latest:
            return
        start = loads(found[0]) if found else None
        if start and start.get("edited"):
            return
        latest = store.latest_artifact(db, network_id, exercise.type) if network_id else None
        latest_id = latest["id"] if latest else None
        if start and start.get("artifact") == latest_id:
            return
        db.execute("DELETE FROM exercise_state WHERE space = ?", [space])
        write_changes(db, space, exercise.start_state(config, latest["data"] if latest else None))
        write_changes(db, space, {START_KEY: {"artifact": latest_id}})

    def _seed_in_transaction(self, db, exercise, space, config, network_id, follow_latest=False) -> None:
        if db.conn.in_transaction:
            self.ensure_seeded(db, exercise, space, config, network_id, follow_latest)
        else:
            with transaction(db):
                self.ensure_seeded(db, exercise, space, config, network_id, follow_latest)

    # network workspaces (between meetings) ------------------------------------

    def perform_workspace(self, db, conn: Connection, message, allow=None) -> dict:
        """An action of a network team on its workspace: same pipeline, the network's own stream and room."""
        try:
            envelope = validate(WORKSPACE_ENVELOPE, message)
        except ValidationError as exc:
            return error("invalid", _("The message is not valid."), fields=exc.errors)
        actor = conn.actor
        network_id = actor.network_id
        exercise = self.registry.exercises.get(envelope["workspace"])
        if exercise is None or not exercise.workspace or not network_id:
            return error("not_found", _("This exercise is not installed."))
        # A network link's team acts as participants do.
        roles = {"facilitator"} if actor.is_facilitator else {"participant", actor.kind}
        payload, refused = check_action(exercise, envelope, roles, allow)
        if refused:
            return refused
        stream = network_stream(network_id)
        space = workspace_space(exercise.type, network_id)
        config = exercise.workspace_config()
        client_id = envelope["cid"]
        try:
            with transaction(db):
                if conn.link_id is not None and not db.execute(
                        "SELECT 1 FROM network_links WHERE id = ? AND revoked_at IS NULL", [conn.link_id]).fetchone():
                    raise ActionError("revoked", _("This network link has been revoked."))
                if client_id:
                    dup = db.execute(
                        "SELECT seq, data FROM events WHERE stream = ? AND actor = ? AND client_id = ?",
                        [stream, actor.key, client_id]).fetchone()
                    if dup:
                        return {"ok": True, "seq": dup[0], "duplicate": True, "reply": loads(dup[1], {}).get("reply", {})}
                self.ensure_seeded(db, exercise, space, config, network_id, follow_latest=True)
                state = DbState(db, space, config=config, phase="open", scope=f"n{network_id}",
                                shared=DbState(db, space + ":shared"))
                outcome = exercise.apply(state, Action(envelope["type"], payload, client_id, time.time()), actor)
                write_changes(db, space, outcome.changes)
                if outcome.archive is not None:
                    made = store.add_artifact(db, network_id=network_id, lab_id=None, meeting_id=None, item_id=None,
                                              exercise_type=exercise.type, title=exercise.title_for(config),
                                              data=outcome.archive)
                    write_changes(db, space, {START_KEY: {"artifact": made}})
                elif outcome.changes and not outcome.presence:
                    # Unsaved work: the space no longer follows newer versions until it is saved.
                    start = loads(db.execute("SELECT value FROM exercise_state WHERE space = ? AND key = ?",
                                             [space, START_KEY]).fetchone()[0])
                    if not start.get("edited"):
                        write_changes(db, space, {START_KEY: {**start, "edited": True}})
                seq = self._append(db, stream, meeting_id=None, item_id=None, actor=actor, type=envelope["type"],
                                   payload=payload, client_id=client_id, audience=[room_network(network_id)],
                                   data={"reply": outcome.reply}, network_id=network_id)
        except ActionError as exc:
            return error(exc.code, exc.message, **exc.details)
        for _audience, data in outcome.broadcast:
            self.socketio.emit("event", {"seq": seq, "workspace": exercise.type, "type": envelope["type"],
                                         "by": actor_public(actor), "data": data}, to=room_network(network_id))
        return {"ok": True, "seq": seq, "reply": outcome.reply}

    def workspace_view(self, db, exercise, network_id, actor: Actor) -> dict:
        space = workspace_space(exercise.type, network_id)
        config = exercise.workspace_config()
        self._seed_in_transaction(db, exercise, space, config, network_id, follow_latest=True)
        state = DbState(db, space, config=config, phase="open", scope=f"n{network_id}",
                        shared=DbState(db, space + ":shared"))
        latest = store.latest_artifact(db, network_id, exercise.type)
        return {"type": exercise.type, "workspace": True, "title": exercise.title_for(config), "status": "open",
                "revealed": True, "view": exercise.view(state, PARTICIPANT, None),
                "personal": exercise.personal(state, actor),
                # A newer version was archived (e.g. by a meeting) while this space held unsaved edits.
                "behind": bool(latest) and (state.get(START_KEY) or {}).get("artifact") != latest["id"]}

    def drop_link_connections(self, link_ids) -> int:
        """Disconnect, server side, every socket opened with one of these network links."""
        doomed = [sid for sid, c in list(self.connections.items()) if c.link_id is not None and c.link_id in link_ids]
        for sid in doomed:
            self.socketio.server.disconnect(sid, namespace="/")
            self.connections.pop(sid, None)
        return len(doomed)

    # teams --------------------------------------------------------------------

    def team_members(self, conn: Connection) -> list[dict]:
        """Who is connected to the same team (or network workspace) right now, in this process."""
        team = conn.actor.team
        seen, out = set(), []
        for c in list(self.connections.values()):
            if c.role in ("participant", "network") and c.meeting_id == conn.meeting_id and c.actor.team == team:
                if c.actor.key not in seen:
                    seen.add(c.actor.key)
                    out.append({"key": c.actor.key, "name": c.actor.name, "kind": c.actor.kind})
        return sorted(out, key=lambda m: (m["name"], m["key"]))

    def announce_team(self, conn: Connection) -> None:
        """``team_presence`` to the team's room (and facilitators), coalesced like ``presence``:
        2,000 people joining make a few messages per team, not one per person to the
        facilitators and one per person to every member, each scanning every connection."""
        if not conn.actor.team:
            return
        with self._dirty_lock:
            self._teams_dirty[(conn.meeting_id, conn.actor.team, conn.actor.network_id)] = conn
            self._start_flusher()

    def _emit_team_presence(self, conn: Connection) -> None:
        team = conn.actor.team
        if conn.meeting_id is None:
            rooms = [room_network(conn.actor.network_id)]
        else:
            rooms = [room_team(conn.meeting_id, team), room_facilitators(conn.meeting_id)]
        self.socketio.emit("team_presence", {"team": team, "members": self.team_members(conn)}, to=rooms)

    def retarget(self, db, meeting_id) -> None:
        """After teams changed: move live connections between team rooms and give them a fresh snapshot."""
        for sid, conn in list(self.connections.items()):
            if conn.meeting_id != meeting_id or conn.role != "participant":
                continue
            person = store.participant(db, conn.actor.id)
            if person is None or person["team"] == conn.actor.team:
                continue
            old = conn.actor.team
            if old:
                self.socketio.server.leave_room(sid, room_team(meeting_id, old), namespace="/")
            conn.actor = replace(conn.actor, team=person["team"])
            if person["team"]:
                self.socketio.server.enter_room(sid, room_team(meeting_id, person["team"]), namespace="/")
            self.socketio.emit("snapshot", self.snapshot(db, conn), to=sid)
            self.announce_team(conn)
            if old:
                self.socketio.emit("team_presence", {"team": old, "members": self.team_members(
                    replace(conn, actor=replace(conn.actor, team=old)))},
                    to=[room_team(meeting_id, old), room_facilitators(meeting_id)])

    def _apply_teams(self, db, meeting, cmd, envelope) -> None:
        lab_networks = {n["id"] for n in store.lab_networks(db, meeting["lab_id"])}
        lab_networks |= set(store.networks_present(db, meeting["id"]))
        if cmd == "merge":
            networks = envelope.get("networks") or []
            if not networks or any(n not in lab_networks for n in networks):
                raise ActionError("invalid", _("Choose networks of this lab."))
            store.merge_networks(db, meeting["id"], networks)
            return
        person = store.participant(db, envelope.get("participant"))
        team = envelope.get("team") or ""
        if person is None or person["meeting_id"] != meeting["id"]:
            raise ActionError("not_found", _("This person is not in the meeting."))
        if network_of_team(team) not in lab_networks:
            raise ActionError("invalid", _("Choose a team of this meeting."))
        store.move_participant(db, meeting["id"], person["id"], team)
