"""The live engine: the public face of the live side, for the socket handlers and the views.

It wires the pieces, each a module of its own: ``pipeline`` (every change), ``controls``
(the facilitator's commands), ``snapshots`` (views of the live state), ``pushes``
(coalesced results and presence), ``connections`` (who each socket is), ``spaces`` (where
team and workspace state starts from), ``rooms`` (every name). Views and socket
handlers call the methods below and nothing else of the live side.
"""

from __future__ import annotations

from flask_babel import gettext as _

from .. import store
from ..exercise import Actor
from ..schema import ValidationError, validate
from . import controls, rooms
from .connections import Connection, Connections
from .fanout import CLOSE
from .pipeline import Pipeline, Step
from .pushes import Pushes
from .rooms import error
from .snapshots import Snapshots

__all__ = ["Engine", "Connection"]


class Engine:
    def __init__(self, app, socketio, registry):
        self.app = app
        self.socketio = socketio
        self.registry = registry
        self.connections = Connections()
        self.snapshots = Snapshots(registry)
        self.pushes = Pushes(app, socketio, self.connections, self.snapshots)
        self.pipeline = Pipeline(app, registry, socketio, self.pushes)

    # connections -------------------------------------------------------------

    def attach(self, conn: Connection) -> list[str]:
        """Register an authenticated socket; returns the rooms it must join."""
        self.connections.add(conn)
        if conn.role == "participant":
            self.pushes.presence(conn.meeting_id, conn.actor, True)
        if conn.role in ("participant", "network"):
            self.pushes.team(conn.meeting_id, conn.actor.team, conn.actor.network_id)
        return conn.rooms()

    def detach(self, sid: str, still_online=None) -> Connection | None:
        """Forget a closed socket; ``still_online(actor)`` says whether the person has another."""
        conn = self.connections.remove(sid)
        if conn is None:
            return None
        if conn.role in ("participant", "network"):
            self.pushes.team(conn.meeting_id, conn.actor.team, conn.actor.network_id)
        if conn.role == "participant" and still_online is not None and not still_online(conn.actor):
            self.pushes.presence(conn.meeting_id, conn.actor, False)
        return conn

    def connection(self, sid: str) -> Connection | None:
        return self.connections.get(sid)

    def close_links(self, link_ids) -> None:
        """Close, on every server process, the sockets opened with these network links."""
        for link_id in link_ids:
            self.socketio.emit(CLOSE, {"code": "revoked"}, to=rooms.room_link(link_id))

    def close_participant(self, participant_id, code: str = "removed") -> None:
        """Close, on every server process, every socket of one participant (erased, removed)."""
        self.socketio.emit(CLOSE, {"code": code}, to=rooms.room_participant(participant_id))

    def close_facilitator(self, facilitator_id, code: str = "logged_out") -> None:
        """Close, on every server process, every live page of one facilitator's account."""
        self.socketio.emit(CLOSE, {"code": code}, to=rooms.room_person(Actor("facilitator", facilitator_id)))

    def tell_waiting(self, db, meeting_id) -> None:
        """Consoles learn who waits to be admitted."""
        self.socketio.emit("admission", {"waiting": store.waiting_participants(db, meeting_id)},
                           to=rooms.room_screen(meeting_id, "console"))

    # actions, controls, reads -------------------------------------------------

    def perform(self, db, conn: Connection, message, allow=None) -> dict:
        """An exercise action, in a meeting or a network's workspace."""
        return self.pipeline.act(db, conn, message, allow)

    def control(self, db, conn: Connection, message) -> dict:
        """A facilitator moves the meeting (see ``controls``). Persisted and sequenced like any action."""
        try:
            envelope = validate(controls.CONTROL_ENVELOPE, message)
        except ValidationError as exc:
            return error("invalid", _("The message is not valid."), fields=exc.errors)
        meeting_id, cmd = conn.meeting_id, envelope["cmd"]

        def work(db) -> Step:
            ctx = controls.Context(db=db, meeting=store.meeting(db, meeting_id), envelope=envelope,
                                   registry=self.registry, snapshots=self.snapshots)
            controls.apply(ctx, cmd)

            def after(seq):
                if ctx.teams_changed:
                    self.retarget(db, meeting_id)
                for participant_id in ctx.closed:
                    self.close_participant(participant_id, "removed")
                self.broadcast_meeting(db, meeting_id, seq)
                if ctx.archived:
                    self.socketio.emit("archived", {"seq": seq, "items": ctx.archived},
                                       to=rooms.room_facilitators(meeting_id))

            return Step(type=f"control.{cmd}", payload={k: v for k, v in envelope.items() if k != "cid"},
                        meeting_id=meeting_id, item_id=envelope.get("item"),
                        audience=[rooms.room_participants(meeting_id), rooms.room_facilitators(meeting_id)],
                        after=[after])

        return self.pipeline.run(db, stream=rooms.stream_key(meeting_id), actor=conn.actor, cid=envelope["cid"],
                                 work=work)

    def start_meeting(self, db, facilitator_id, meeting_id) -> dict:
        """The meeting page's "Start": the same control as the console's."""
        return self.control(db, Connection("http", Actor("facilitator", facilitator_id), meeting_id, "console"),
                            {"cmd": "start"})

    def snapshot(self, db, conn: Connection) -> dict:
        return self.snapshots.snapshot(db, conn)

    def sync(self, db, conn: Connection, message) -> dict:
        since = message.get("since") if isinstance(message, dict) else None
        if not isinstance(since, int) or isinstance(since, bool) or since < 0:
            since = 0
        return self.snapshots.sync(db, conn, since)

    def broadcast_meeting(self, db, meeting_id, seq) -> None:
        for message, room in self.snapshots.meeting_messages(db, meeting_id, seq):
            self.socketio.emit("meeting", message, to=room)

    def flush(self) -> None:
        """Push what is pending now (tests; the background task does it on its schedule)."""
        self.pushes.flush(force=True)

    def push_results(self, db, meeting_id, item_id) -> None:
        self.pushes.push_results(db, meeting_id, item_id)

    def retarget(self, db, meeting_id) -> None:
        """After teams changed: move live connections between team rooms and give them a fresh snapshot."""
        server = self.socketio.server
        for conn in self.connections.of_meeting(meeting_id, "participant"):
            person = store.participant(db, conn.actor.id)
            if person is None or person["team"] == conn.actor.team:
                continue
            old = conn.actor.team
            if old:
                server.leave_room(conn.sid, rooms.room_team(meeting_id, old), namespace="/")
            self.connections.move(conn.sid, person["team"])
            if person["team"]:
                server.enter_room(conn.sid, rooms.room_team(meeting_id, person["team"]), namespace="/")
            self.socketio.emit("snapshot", self.snapshot(db, conn), to=conn.sid)
            self.pushes.team(meeting_id, conn.actor.team, conn.actor.network_id)
            if old:
                self.pushes.team(meeting_id, old, conn.actor.network_id)
