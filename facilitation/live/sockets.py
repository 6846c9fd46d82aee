"""Socket.IO handlers: thin. They authenticate and hand over to the engine.

Every event is listed in docs/protocol.md. A handler answers through its ack;
an unknown event, a malformed message or a refused action gets an error ack
and changes nothing.
"""

from __future__ import annotations

import sqlite3

from flask import request, session
from flask_babel import gettext as _
from flask_socketio import ConnectionRefusedError, Namespace, join_room

from .. import store
from ..auth import current_facilitator
from ..db import get_db, transaction
from ..exercise import Actor
from ..schema import clean_text, parse_int
from . import quiet_gc
from .engine import Connection, error, room_participants, room_person, room_team
from .limits import Limits

PARTICIPANT_COOKIE = "fp_{}"


def participant_cookie(meeting_id) -> str:
    return PARTICIPANT_COOKIE.format(meeting_id)


class LiveNamespace(Namespace):
    """The one namespace, ``/``. Handlers: connect, disconnect, action, control, sync."""

    def __init__(self, engine, namespace="/"):
        super().__init__(namespace)
        self.engine = engine
        self.limits = Limits.from_config(engine.app.config)

    # Unknown events get an error ack instead of silence; nothing raises out.
    def trigger_event(self, event, *args):
        quiet_gc.touch()
        handler_name = "on_" + event
        if event not in ("connect", "disconnect") and not hasattr(self, handler_name):
            return error("unknown_event", _("Unknown event."))
        try:
            return super().trigger_event(event, *args)
        except ConnectionRefusedError:
            raise
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or event in ("connect", "disconnect"):
                return self._failed(event)
            # Another server process held the write lock past WRITE_WAIT_S: nothing was
            # written; the browser sends the same action again (same cid, applied once).
            self.engine.app.logger.warning("write lock busy: %s not applied", event)
            return error("busy", _("The server is busy: nothing was changed yet; sending again."))
        except Exception:
            return self._failed(event)

    def _failed(self, event):
        """An unexpected failure (called while handling it): logged, and a clear error
        instead of a crash."""
        # The handler's app context is gone by now: log through the engine's app.
        self.engine.app.logger.exception("socket handler failed: %s", event)
        if event in ("connect", "disconnect"):
            raise ConnectionRefusedError(_("Server error.")) from None
        return error("server_error", _("Something went wrong on the server; nothing was changed."))

    def _conn(self):
        return self.engine.connections.get(request.sid)

    def _allow(self, rate_class: str) -> bool:
        return self.limits.allow(request.sid, rate_class)

    def on_connect(self, auth=None):
        """Client -> server on connect, with ``auth = {meeting, role}``. The server
        decides who this is from the session or the participant cookie, joins the
        rooms itself and emits ``snapshot`` to this connection."""
        if not isinstance(auth, dict):
            raise ConnectionRefusedError(_("Missing meeting."))
        meeting_id, role = auth.get("meeting"), auth.get("role", "participant")
        if role == "network":
            return self._connect_network(auth)
        if not isinstance(meeting_id, int) or parse_int(meeting_id) is None or role not in (
                "participant", "console", "projector"):
            raise ConnectionRefusedError(_("Missing meeting."))
        db = get_db()
        meeting = store.meeting(db, meeting_id)
        if meeting is None:
            raise ConnectionRefusedError(_("Unknown meeting."))
        if role == "participant":
            person = store.participant_by_token(db, request.cookies.get(participant_cookie(meeting_id)))
            if person is None or person["meeting_id"] != meeting_id:
                raise ConnectionRefusedError(_("Join the meeting first."))
            if person["admitted"] != 1:
                raise ConnectionRefusedError(_("Wait until the facilitator lets you in."))
            actor = Actor("participant", person["id"], person["name"], person["network_id"], person["team"])
        else:
            fid = current_facilitator(db)  # the session checked on the server: ended or idle ones refused
            if not fid:
                raise ConnectionRefusedError(_("Log in as a facilitator."))
            actor = Actor("facilitator", fid, session.get("facilitator_name", ""))
        # Counted last: a refused connection never reaches disconnect, which uncounts.
        if not self.limits.connect(request.sid, request.remote_addr or ""):
            raise ConnectionRefusedError(_("Too many connections from your address."))
        conn = Connection(request.sid, actor, meeting_id, role)
        self.engine.connections[request.sid] = conn
        for room in self.engine.listening_rooms(conn):
            join_room(room)
        if role == "participant":
            with transaction(db):
                store.open_attendance(db, actor.id, meeting_id, request.sid)
            self.engine.presence(meeting_id, actor, True)
            self.engine.announce_team(conn)
        self.engine.socketio.emit("snapshot", self.engine.snapshot(db, conn), to=request.sid)

    def on_disconnect(self, reason=None):
        """Server side only: closes the attendance row and tells facilitators (coalesced)."""
        conn = self.engine.connections.pop(request.sid, None)
        self.limits.disconnect(request.sid)
        if conn is not None and conn.role in ("participant", "network"):
            self.engine.announce_team(conn)
        if conn is None or conn.role != "participant":
            return
        db = get_db()
        with transaction(db):
            store.close_attendance(db, request.sid)
        if not store.is_online(db, conn.actor.id):
            self.engine.presence(conn.meeting_id, conn.actor, False)

    def _connect_network(self, auth):
        """A network team between meetings: ``auth = {role: "network", link}`` (the secret of its
        network link), or a facilitator with ``{role: "network", network}``. Listens to that
        network's workspace room only."""
        db = get_db()
        link, fid = None, current_facilitator(db)
        if isinstance(auth.get("link"), str):
            link = store.network_link_by_token(db, auth["link"])
            if link is None:
                raise ConnectionRefusedError(_("This network link is not valid."))
            name = auth.get("name") if isinstance(auth.get("name"), str) else ""
            person = session.get("network_person") or request.sid
            actor = Actor("network", f"{link['network_id']}.{person}", clean_text(name)[:60] or _("Network team"),
                          link["network_id"], f"n{link['network_id']}")
        elif fid and isinstance(auth.get("network"), int) and store.network(db, parse_int(auth["network"])):
            actor = Actor("facilitator", fid, session.get("facilitator_name", ""), auth["network"], f"n{auth['network']}")
        else:
            raise ConnectionRefusedError(_("This network link is not valid."))
        if not self.limits.connect(request.sid, request.remote_addr or ""):
            raise ConnectionRefusedError(_("Too many connections from your address."))
        conn = Connection(request.sid, actor, None, "network", link["id"] if link else None)
        self.engine.connections[request.sid] = conn
        for room in self.engine.listening_rooms(conn):
            join_room(room)
        self.engine.announce_team(conn)
        self.engine.socketio.emit("snapshot", self.engine.snapshot(db, conn), to=request.sid)


    def on_action(self, message=None):
        """Client -> server: ``{item, type, payload, cid}``. Ack: ``{ok, seq, reply}`` or ``{ok: false, error}``."""
        conn = self._conn()
        if conn is None:
            return error("unauthenticated", _("Not connected to a meeting."))
        return self.engine.perform(get_db(), conn, message, allow=self._allow)

    def on_control(self, message=None):
        """Facilitator -> server: ``{cmd, item?, seconds?, locked?, cid}``. Ack: ``{ok, seq}``."""
        conn = self._conn()
        if conn is None or not conn.actor.is_facilitator:
            return error("forbidden", _("Only facilitators can do this."))
        if not self._allow("control"):
            return error("rate_limited", _("Too many actions; wait a moment."))
        return self.engine.control(get_db(), conn, message)

    def on_sync(self, message=None):
        """Client -> server after a reconnect: ``{since}``. Ack: ``{ok, seq, missed, snapshot}``."""
        conn = self._conn()
        if conn is None:
            return error("unauthenticated", _("Not connected to a meeting."))
        if not self._allow("sync"):
            return error("rate_limited", _("Too many actions; wait a moment."))
        return self.engine.sync(get_db(), conn, message)


__all__ = ["LiveNamespace", "participant_cookie", "room_participants", "room_person", "room_team"]
