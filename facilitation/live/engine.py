"""The live-session engine: every accepted action goes through ``perform``.

authenticate (the socket layer) -> validate -> apply (the exercise's pure
function) -> persist state and event log in one transaction -> ack with the
server sequence -> broadcast to rooms the server chooses. Nothing is
broadcast before its transaction has committed.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace

from flask_babel import gettext as _

from .. import store
from ..db import borrowed, dumps, loads, transaction
from ..exercise import (
    EVERYONE,
    FACILITATOR,
    FACILITATORS,
    PARTICIPANT,
    PROJECTOR,
    SELF,
    TEAM,
    Action,
    ActionError,
    Actor,
)
from ..schema import ValidationError, validate
from .checks import check_action
from .rooms import (
    TEAM_PATTERN,
    actor_public,
    error,
    network_of_team,
    network_stream,
    room_facilitators,
    room_network,
    room_participants,
    room_person,
    room_team,
    space_of,
    stream_key,
)
from .state import DbState, write_changes
from .teams import TeamSpaces

CATCH_UP_LIMIT = 200


@dataclass
class Connection:
    """One authenticated socket: who it is and where it listens."""

    sid: str
    actor: Actor
    meeting_id: int | None
    role: str  # participant, console, projector, network
    # The network link a network team connected with (dropped when it is revoked).
    link_id: int | None = None


class Engine(TeamSpaces):
    def __init__(self, app, socketio, registry):
        self.app = app
        self.socketio = socketio
        self.registry = registry
        self.connections: dict[str, Connection] = {}
        self._dirty: set[tuple[int, int]] = set()
        self._presence: dict[int, dict] = {}  # meeting -> participant -> latest change
        self._teams_dirty: dict[tuple, Connection] = {}  # (meeting, team, network) -> a member
        self._dirty_lock = threading.Lock()
        self._flusher_started = False
        self.results_interval = 1.0 / max(0.1, float(app.config["RESULTS_PER_SECOND"]))

    # scope -----------------------------------------------------------------

    def scope_for(self, exercise, actor: Actor) -> str:
        if exercise.team_scoped:
            return actor.team or (f"n{actor.network_id}" if actor.network_id else "")
        return ""

    def rooms_for(self, audience: str, meeting_id: int, actor: Actor) -> list[str]:
        if audience == EVERYONE:
            return [room_participants(meeting_id), room_facilitators(meeting_id)]
        if audience == FACILITATORS:
            return [room_facilitators(meeting_id)]
        if audience == TEAM:
            rooms = [room_facilitators(meeting_id)]
            team = actor.team or (f"n{actor.network_id}" if actor.network_id else None)
            if team:
                rooms.append(room_team(meeting_id, team))
            return rooms
        if audience == SELF:
            return [room_person(actor)]
        raise ValueError(f"unknown audience {audience!r}")

    # the pipeline ----------------------------------------------------------

    def perform(self, db, conn: Connection, message, allow=None) -> dict:
        """Validate, apply and persist one exercise action; broadcast after commit."""
        if conn.role == "network":
            return self.perform_workspace(db, conn, message, allow)
        try:
            envelope = validate(ACTION_ENVELOPE, message)
        except ValidationError as exc:
            return error("invalid", _("The message is not valid."), fields=exc.errors)
        actor = conn.actor
        if envelope.get("team"):
            # A facilitator working inside one team's space (e.g. a team's canvas).
            if not actor.is_facilitator or not TEAM_PATTERN.match(envelope["team"]):
                return error("forbidden", _("You are not allowed to do this."))
            actor = replace(actor, team=envelope["team"])
        item = store.item(db, envelope["item"])
        if item is None or item["meeting_id"] != conn.meeting_id:
            return error("not_found", _("This exercise is not part of your meeting."))
        exercise = self.registry.exercises.get(item["exercise_type"])
        if exercise is None:
            return error("not_found", _("This exercise is not installed."))
        payload, refused = check_action(exercise, envelope, {"facilitator" if actor.is_facilitator else actor.kind},
                                        allow)
        if refused:
            return refused
        spec = exercise.actions[envelope["type"]]
        meeting_id = item["meeting_id"]
        stream = stream_key(meeting_id)
        scope = self.scope_for(exercise, actor)
        space = space_of(item["id"], scope)
        client_id = envelope["cid"]
        try:
            with transaction(db):
                if client_id:
                    dup = db.execute(
                        "SELECT seq, data FROM events WHERE stream = ? AND actor = ? AND client_id = ?",
                        [stream, actor.key, client_id],
                    ).fetchone()
                    if dup:
                        stored = loads(dup[1], {})
                        return {"ok": True, "seq": dup[0], "duplicate": True, "reply": stored.get("reply", {})}
                fresh = store.item(db, item["id"])
                meeting = store.meeting(db, meeting_id)
                if not actor.is_facilitator and meeting["state"] != "live":
                    raise ActionError("not_live", _("The meeting is not running."))
                if spec.needs_open and fresh["status"] != "open":
                    raise ActionError("closed", _("This exercise is not open."))
                if scope:
                    self.ensure_seeded(db, exercise, space, fresh["config"], network_of_team(scope))
                state = DbState(db, space, config=fresh["config"], phase=fresh["status"],
                                revealed=bool(fresh["revealed"]), scope=scope,
                                shared=DbState(db, space_of(item["id"])) if scope else None)
                outcome = exercise.apply(state, Action(envelope["type"], payload, client_id, time.time()), actor)
                write_changes(db, space, outcome.changes)
                if outcome.archive is not None:
                    networks = store.teams_of_meeting(db, meeting_id).get(scope) or [actor.network_id]
                    for network_id in filter(None, networks):
                        store.add_artifact(db, network_id=network_id, lab_id=meeting["lab_id"],
                                           meeting_id=meeting_id, item_id=item["id"],
                                           exercise_type=exercise.type, title=exercise.title_for(fresh["config"]),
                                           data=outcome.archive)
                rooms = [(self.rooms_for(aud, meeting_id, actor), data) for aud, data in outcome.broadcast]
                seq = self._append(db, stream, meeting_id=meeting_id, item_id=item["id"], actor=actor,
                                   type=envelope["type"], payload=payload, client_id=client_id,
                                   audience=sorted({r for rs, _ in rooms for r in rs}),
                                   data={"reply": outcome.reply})
        except ActionError as exc:
            return error(exc.code, exc.message, **exc.details)
        for room_list, data in rooms:
            self.socketio.emit("event", {"seq": seq, "item": item["id"], "type": envelope["type"],
                                         "by": actor_public(actor), "data": data}, to=room_list)
        if outcome.dirty:
            self.mark_dirty(meeting_id, item["id"])
        return {"ok": True, "seq": seq, "reply": outcome.reply}

    def _append(self, db, stream, *, meeting_id, item_id, actor, type, payload, client_id,
                audience, data=None, network_id=None) -> int:
        db.execute("INSERT INTO streams (key, seq) VALUES (?, 1) "
                   "ON CONFLICT (key) DO UPDATE SET seq = seq + 1", [stream])
        seq = db.execute("SELECT seq FROM streams WHERE key = ?", [stream]).fetchone()[0]
        db.execute(
            "INSERT INTO events (stream, seq, meeting_id, item_id, actor, network_id, type, payload,"
            " client_id, audience, data, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [stream, seq, meeting_id, item_id, actor.key, network_id or actor.network_id, type,
             dumps(payload), client_id, ",".join(audience), dumps(data) if data else None, time.time()],
        )
        return seq

    def current_seq(self, db, meeting_id) -> int:
        found = db.execute("SELECT seq FROM streams WHERE key = ?", [stream_key(meeting_id)]).fetchone()
        return found[0] if found else 0

    # facilitator controls ------------------------------------------------------

    def control(self, db, conn: Connection, message) -> dict:
        """A facilitator moves the meeting: start, end, goto, next, prev, open, lock,
        reveal, hide, timer, admission, admit. Persisted and sequenced like any action."""
        try:
            envelope = validate(CONTROL_ENVELOPE, message)
        except ValidationError as exc:
            return error("invalid", _("The message is not valid."), fields=exc.errors)
        meeting_id = conn.meeting_id
        stream = stream_key(meeting_id)
        cmd = envelope["cmd"]
        archived: list[int] = []
        try:
            with transaction(db):
                if envelope["cid"]:
                    dup = db.execute(
                        "SELECT seq FROM events WHERE stream = ? AND actor = ? AND client_id = ?",
                        [stream, conn.actor.key, envelope["cid"]],
                    ).fetchone()
                    if dup:
                        return {"ok": True, "seq": dup[0], "duplicate": True}
                meeting = store.meeting(db, meeting_id)
                archived = self._apply_control(db, meeting, cmd, envelope)
                seq = self._append(db, stream, meeting_id=meeting_id, item_id=envelope.get("item"),
                                   actor=conn.actor, type=f"control.{cmd}",
                                   payload={k: v for k, v in envelope.items() if k != "cid"},
                                   client_id=envelope["cid"],
                                   audience=[room_participants(meeting_id), room_facilitators(meeting_id)])
        except ActionError as exc:
            return error(exc.code, exc.message)
        if cmd in ("move", "merge"):
            self.retarget(db, meeting_id)
        self.broadcast_meeting(db, meeting_id, seq)
        if archived:
            self.socketio.emit("archived", {"seq": seq, "items": archived}, to=room_facilitators(meeting_id))
        return {"ok": True, "seq": seq}

    def _apply_control(self, db, meeting, cmd, envelope) -> list[int]:
        mid = meeting["id"]
        items = store.agenda(db, mid)
        ids = [i["id"] for i in items]
        current = meeting["current_item_id"]
        target = envelope.get("item") or current
        # Admissions can be closed before the meeting starts.
        if cmd in ("start", "end", "admission") or meeting["state"] == "live":
            pass
        else:
            raise ActionError("not_live", _("Start the meeting first."))
        if cmd == "start":
            if meeting["state"] == "ended":
                raise ActionError("ended", _("This meeting has ended."))
            db.execute("UPDATE meetings SET state = 'live', started_at = coalesce(started_at, ?),"
                       " current_item_id = coalesce(current_item_id, ?) WHERE id = ?",
                       [store.now_iso(), ids[0] if ids else None, mid])
            return []
        if cmd == "end":
            archived = []
            for it in items:
                if it["status"] == "open":
                    db.execute("UPDATE agenda_items SET status = 'locked' WHERE id = ?", [it["id"]])
                    archived += self.archive_item(db, meeting, it)
            db.execute("UPDATE meetings SET state = 'ended', ended_at = ?, timer_end = NULL WHERE id = ?",
                       [store.now_iso(), mid])
            db.execute("UPDATE attendance SET left_at = ? WHERE meeting_id = ? AND left_at IS NULL",
                       [time.time(), mid])
            self.registry.pm.hook.meeting_closed(meeting_id=mid, db=db)
            return archived
        if cmd in ("next", "prev"):
            if not ids:
                raise ActionError("empty", _("The agenda is empty."))
            pos = ids.index(current) if current in ids else -1
            pos = min(len(ids) - 1, pos + 1) if cmd == "next" else max(0, pos - 1)
            db.execute("UPDATE meetings SET current_item_id = ? WHERE id = ?", [ids[pos], mid])
            return []
        if cmd == "timer":
            seconds = envelope.get("seconds") or 0
            db.execute("UPDATE meetings SET timer_end = ? WHERE id = ?",
                       [time.time() + seconds if seconds else None, mid])
            return []
        if cmd == "admission":
            mode = envelope.get("mode") or ("locked" if envelope.get("locked") else "open")
            db.execute("UPDATE meetings SET admission = ?, admit_by_hand = ? WHERE id = ?",
                       ["locked" if mode == "locked" else "open", int(mode == "manual"), mid])
            return []
        if cmd == "admit":
            found = db.execute("UPDATE participants SET admitted = ? WHERE id = ? AND meeting_id = ? AND admitted = ?",
                               [1 if envelope.get("admit") else store.REFUSED, envelope.get("participant"), mid,
                                store.WAITING])
            if not found.rowcount:
                raise ActionError("not_found", _("Nobody with this name is waiting."))
            return []
        if cmd == "message":
            db.execute("UPDATE meetings SET notice = ? WHERE id = ?", [envelope.get("text") or None, mid])
            return []
        if cmd in ("move", "merge"):
            self._apply_teams(db, meeting, cmd, envelope)
            return []
        if target not in ids:
            raise ActionError("not_found", _("This exercise is not part of the meeting."))
        it = items[ids.index(target)]
        if cmd == "goto":
            db.execute("UPDATE meetings SET current_item_id = ? WHERE id = ?", [target, mid])
        elif cmd == "open":
            db.execute("UPDATE agenda_items SET status = 'open' WHERE id = ?", [target])
            db.execute("UPDATE meetings SET current_item_id = ? WHERE id = ?", [target, mid])
            exercise = self.registry.exercises.get(it["exercise_type"])
            if exercise is not None and exercise.team_scoped:
                for team in store.teams_of_meeting(db, mid):
                    self.ensure_seeded(db, exercise, space_of(target, team), it["config"], network_of_team(team))
        elif cmd == "lock":
            if it["status"] != "open":
                raise ActionError("not_open", _("This exercise is not open."))
            db.execute("UPDATE agenda_items SET status = 'locked' WHERE id = ?", [target])
            return self.archive_item(db, meeting, it)
        elif cmd in ("reveal", "hide"):
            db.execute("UPDATE agenda_items SET revealed = ? WHERE id = ?", [int(cmd == "reveal"), target])
        return []

    def archive_item(self, db, meeting, item) -> list[int]:
        """Store, for each network present, what the exercise keeps of it (a new version)."""
        exercise = self.registry.exercises.get(item["exercise_type"])
        if exercise is None:
            return []
        made = []
        teams = dict(db.execute(
            "SELECT network_id, min(team) FROM participants WHERE meeting_id = ? AND network_id IS NOT NULL"
            " GROUP BY network_id", [meeting["id"]]).fetchall())
        for network_id in store.networks_present(db, meeting["id"]):
            scope = (teams.get(network_id) or f"n{network_id}") if exercise.team_scoped else ""
            state = DbState(db, space_of(item["id"], scope), config=item["config"], phase="locked",
                            revealed=bool(item["revealed"]), scope=scope)
            data = exercise.archive(state, network_id)
            if data is not None:
                made.append(store.add_artifact(
                    db, network_id=network_id, lab_id=meeting["lab_id"], meeting_id=meeting["id"],
                    item_id=item["id"], exercise_type=item["exercise_type"],
                    title=exercise.title_for(item["config"]), data=data))
        return made

    # views -------------------------------------------------------------------

    def item_view(self, db, item, audience, actor: Actor | None = None) -> dict | None:
        if item is None:
            return None
        exercise = self.registry.exercises.get(item["exercise_type"])
        if exercise is None:
            return None
        scope = self.scope_for(exercise, actor) if actor and audience == PARTICIPANT else ""
        if scope and item["status"] != "pending":
            self._seed_in_transaction(db, exercise, space_of(item["id"], scope), item["config"],
                                      network_of_team(scope))
        state = self._item_state(db, item, scope)
        out = {"id": item["id"], "type": item["exercise_type"], "title": exercise.title_for(item["config"]),
               "status": item["status"], "revealed": bool(item["revealed"]),
               "view": exercise.view(state, audience, actor if audience != PARTICIPANT else None)}
        if audience == PARTICIPANT and actor is not None:
            out["personal"] = exercise.personal(state, actor)
            out["team"] = scope or None
        if exercise.team_scoped and audience != PARTICIPANT:
            # Facilitators see every team's work side by side.
            out["teams"] = {team: {"networks": networks,
                                   "view": exercise.view(self._item_state(db, item, team), audience, None)}
                            for team, networks in store.teams_of_meeting(db, item["meeting_id"]).items()}
        return out

    def _item_state(self, db, item, scope: str) -> DbState:
        return DbState(db, space_of(item["id"], scope), config=item["config"], phase=item["status"],
                       revealed=bool(item["revealed"]), scope=scope,
                       shared=DbState(db, space_of(item["id"])) if scope else None)

    def meeting_public(self, meeting) -> dict:
        return {"id": meeting["id"], "title": meeting["title"], "state": meeting["state"],
                "current": meeting["current_item_id"], "timer_end": meeting["timer_end"],
                "admission": "manual" if meeting["admit_by_hand"] and meeting["admission"] == "open"
                else meeting["admission"], "notice": meeting.get("notice"), "now": time.time()}

    def snapshot(self, db, conn: Connection) -> dict:
        if conn.role == "network":
            network_id = conn.actor.network_id
            found = db.execute("SELECT seq FROM streams WHERE key = ?", [network_stream(network_id)]).fetchone()
            return {"seq": found[0] if found else 0, "me": actor_public(conn.actor), "network": network_id,
                    "workspaces": {t: self.workspace_view(db, e, network_id, conn.actor)
                                   for t, e in self.registry.exercises.items() if e.workspace}}
        meeting = store.meeting(db, conn.meeting_id)
        current = store.item(db, meeting["current_item_id"]) if meeting["current_item_id"] else None
        snap = {"seq": self.current_seq(db, meeting["id"]), "meeting": self.meeting_public(meeting),
                "me": actor_public(conn.actor)}
        if conn.role == "participant":
            if meeting["state"] == "live":
                snap["item"] = self.item_view(db, current, PARTICIPANT, conn.actor)
            snap["personal"] = self.personal_answers(db, meeting["id"], conn.actor)
        else:
            audience = PROJECTOR if conn.role == "projector" else FACILITATOR
            snap["item"] = self.item_view(db, current, audience)
            snap["agenda"] = [
                {"id": i["id"], "type": i["exercise_type"], "status": i["status"], "revealed": bool(i["revealed"]),
                 "title": self._title(i)} for i in store.agenda(db, meeting["id"])]
            people = store.participants_with_presence(db, meeting["id"])
            if conn.role == "console":
                snap["participants"] = people
                snap["waiting"] = store.waiting_participants(db, meeting["id"])
            else:  # the projector is a shared screen: a count, no names
                snap["participants"] = [{"id": p["id"], "online": p["online"]} for p in people]
        return snap

    def personal_answers(self, db, meeting_id, actor: Actor) -> dict:
        """The person's own part of every exercise already opened, by item id."""
        out = {}
        for item in store.agenda(db, meeting_id):
            exercise = self.registry.exercises.get(item["exercise_type"])
            if exercise is None or item["status"] == "pending":
                continue
            scope = self.scope_for(exercise, actor)
            state = DbState(db, space_of(item["id"], scope), config=item["config"], phase=item["status"],
                            revealed=bool(item["revealed"]), scope=scope)
            out[str(item["id"])] = exercise.personal(state, actor)
        return out

    def _title(self, item) -> str:
        exercise = self.registry.exercises.get(item["exercise_type"])
        return exercise.title_for(item["config"]) if exercise else item["exercise_type"]

    def broadcast_meeting(self, db, meeting_id, seq) -> None:
        """After a control commits: the new meeting state to everyone, each audience its view."""
        meeting = store.meeting(db, meeting_id)
        current = store.item(db, meeting["current_item_id"]) if meeting["current_item_id"] else None
        public = self.meeting_public(meeting)
        exercise = self.registry.exercises.get(current["exercise_type"]) if current else None
        if exercise is not None and exercise.team_scoped and meeting["state"] == "live":
            # Each team sees its own space of a team exercise.
            for team, networks in store.teams_of_meeting(db, meeting_id).items():
                viewer = Actor("participant", 0, "", networks[0] if networks else None, team)
                self.socketio.emit("meeting", {"seq": seq, "meeting": public,
                                               "item": self.item_view(db, current, PARTICIPANT, viewer)},
                                   to=room_team(meeting_id, team))
        else:
            participant_item = self.item_view(db, current, PARTICIPANT) if meeting["state"] == "live" else None
            self.socketio.emit("meeting", {"seq": seq, "meeting": public, "item": participant_item},
                               to=room_participants(meeting_id))
        for role, audience in (("console", FACILITATOR), ("projector", PROJECTOR)):
            message = {
                "seq": seq, "meeting": public, "role": role, "item": self.item_view(db, current, audience),
                "agenda": [{"id": i["id"], "type": i["exercise_type"], "status": i["status"],
                            "revealed": bool(i["revealed"]), "title": self._title(i)}
                           for i in store.agenda(db, meeting_id)],
            }
            if role == "console":  # who waits to be admitted is not for the shared screen
                message["waiting"] = store.waiting_participants(db, meeting_id)
            self.socketio.emit("meeting", message, to=f"{room_facilitators(meeting_id)}:{role}")

    def sync(self, db, conn: Connection, message) -> dict:
        """A reconnecting client: what it missed since ``since`` (if few) and a fresh snapshot."""
        since = message.get("since") if isinstance(message, dict) else None
        if not isinstance(since, int) or isinstance(since, bool) or since < 0:
            since = 0
        snap = self.snapshot(db, conn)
        missed = None
        if 0 < since < snap["seq"] and snap["seq"] - since <= CATCH_UP_LIMIT and conn.meeting_id:
            my_rooms = set(self.listening_rooms(conn))
            missed = []
            for seq, item_id, type_, audience in db.execute(
                "SELECT seq, item_id, type, audience FROM events WHERE stream = ? AND seq > ? ORDER BY seq",
                [stream_key(conn.meeting_id), since],
            ):
                if my_rooms & set(audience.split(",")):
                    missed.append({"seq": seq, "item": item_id, "type": type_})
        return {"ok": True, "seq": snap["seq"], "missed": missed, "snapshot": snap}

    def listening_rooms(self, conn: Connection) -> list[str]:
        mid = conn.meeting_id
        if conn.role == "network":
            return [room_network(conn.actor.network_id), room_person(conn.actor)]
        if conn.role in ("console", "projector"):
            return [room_facilitators(mid), f"{room_facilitators(mid)}:{conn.role}"]
        rooms = [room_participants(mid), room_person(conn.actor)]
        team = conn.actor.team
        if team:
            rooms.append(room_team(mid, team))
        return rooms

    # coalesced results -------------------------------------------------------

    def mark_dirty(self, meeting_id, item_id) -> None:
        with self._dirty_lock:
            self._dirty.add((meeting_id, item_id))
            self._start_flusher()

    def presence(self, meeting_id, actor: Actor, online: bool) -> None:
        """Coalesced like results: 2,000 people joining make a few batches for the
        facilitators, not 2,000 messages each re-rendering the list of people."""
        with self._dirty_lock:
            self._presence.setdefault(meeting_id, {})[actor.id] = {
                "participant": actor.id, "name": actor.name, "network": actor.network_id, "team": actor.team,
                "online": online}
            self._start_flusher()

    def _start_flusher(self) -> None:
        if not self._flusher_started:
            self._flusher_started = True
            self.socketio.start_background_task(self._flush_loop)

    def _flush_loop(self) -> None:
        while True:
            self.socketio.sleep(self.results_interval)
            try:
                self.flush()
            except Exception:  # a failed push must not stop later ones
                self.app.logger.exception("results push failed")

    def flush(self) -> None:
        with self._dirty_lock:
            dirty, self._dirty = self._dirty, set()
            presence, self._presence = self._presence, {}
            teams, self._teams_dirty = self._teams_dirty, {}
        for meeting_id, people in presence.items():
            self.socketio.emit("presence", {"people": list(people.values())}, to=room_facilitators(meeting_id))
        for conn in teams.values():
            self._emit_team_presence(conn)
        if not dirty:
            return
        with self.app.app_context(), borrowed(self.app) as db:
            for meeting_id, item_id in dirty:
                self.push_results(db, meeting_id, item_id)

    def push_results(self, db, meeting_id, item_id) -> None:
        item = store.item(db, item_id)
        if item is None:
            return
        seq = self.current_seq(db, meeting_id)
        for role, audience in (("console", FACILITATOR), ("projector", PROJECTOR)):
            self.socketio.emit("results", {"seq": seq, "item": self.item_view(db, item, audience)},
                               to=f"{room_facilitators(meeting_id)}:{role}")
        exercise = self.registry.exercises.get(item["exercise_type"])
        if (exercise is not None and not exercise.team_scoped
                and exercise.participants_see_results(item["config"], bool(item["revealed"]))):
            self.socketio.emit("results", {"seq": seq, "item": self.item_view(db, item, PARTICIPANT)},
                               to=room_participants(meeting_id))



def _envelopes():
    from ..schema import Field

    action = [
        Field("item", "int", required=True, min=1),
        Field("type", "text", required=True, max_length=40),
        Field("payload", "json", default={}),
        Field("cid", "id"),
        Field("team", "text", max_length=12),
    ]
    control = [
        Field("cmd", "choice", required=True, choices=(
            "start", "end", "goto", "next", "prev", "open", "lock", "reveal", "hide", "timer", "admission",
            "message", "move", "merge", "admit")),
        Field("item", "int", min=1),
        Field("seconds", "int", min=0, max=4 * 3600),
        Field("locked", "bool", default=False),
        Field("mode", "choice", choices=("open", "locked", "manual")),
        Field("text", "text", max_length=500),
        Field("participant", "int", min=1),
        Field("admit", "bool", default=False),
        Field("team", "text", max_length=12),
        Field("networks", "ints", min=1),
        Field("cid", "id"),
    ]
    return action, control


ACTION_ENVELOPE, CONTROL_ENVELOPE = _envelopes()
