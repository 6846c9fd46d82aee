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
from ..schema import clean_text
from . import quiet_gc
from .checks import UNKNOWN_RATE
from .connections import Connection
from .limits import Limits
from .rooms import error

PARTICIPANT_COOKIE = "fp_{}"
LIFECYCLE = ("connect", "disconnect")
# Events a client sends, each with one argument (its message) at most.
EVENTS = ("action", "control", "sync")


def participant_cookie(meeting_id) -> str:
    return PARTICIPANT_COOKIE.format(meeting_id)


def _positive_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


class LiveNamespace(Namespace):
    """The one namespace, ``/``. Handlers: connect, disconnect, action, control, sync."""

    def __init__(self, engine, namespace="/"):
        super().__init__(namespace)
        self.engine = engine
        self.limits = Limits.from_config(engine.app.config)

    # Unknown events get an error ack instead of silence; nothing raises out.
    # ``args`` are the socket id, then what the client sent.
    def trigger_event(self, event, *args):
        quiet_gc.touch()
        if event not in LIFECYCLE:
            if event not in EVENTS:
                self._spend(args[0] if args else None)
                return error("unknown_event", _("Unknown event."))
            if len(args) > 2:
                self._spend(args[0])
                return error("invalid", _("The message is not valid."))
        try:
            return super().trigger_event(event, *args)
        except ConnectionRefusedError:
            raise
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or event in LIFECYCLE:
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
        if event in LIFECYCLE:
            raise ConnectionRefusedError(_("Server error.")) from None
        return error("server_error", _("Something went wrong on the server; nothing was changed."))

    def _conn(self) -> Connection | None:
        return self.engine.connection(request.sid)

    def _allow(self, rate_class: str) -> bool:
        return self.limits.allow(request.sid, rate_class)

    def _spend(self, sid=None) -> None:
        """Bad input costs the sender as much as good input."""
        if sid is None:
            sid = request.sid
        self.limits.allow(sid, UNKNOWN_RATE)

    def _attach(self, conn: Connection, db) -> None:
        for room in self.engine.attach(conn):
            join_room(room)
        self.engine.socketio.emit("snapshot", self.engine.snapshot(db, conn), to=request.sid)

    def on_connect(self, auth=None):
        """Client -> server on connect, with ``auth = {meeting, role}``. The server
        decides who this is from the session or the participant cookie, joins the
        rooms itself and emits ``snapshot`` to this connection."""
        if not isinstance(auth, dict):
            raise ConnectionRefusedError(_("Missing meeting."))
        meeting_id, role = auth.get("meeting"), auth.get("role", "participant")
        if role == "network":
            return self._connect_network(auth)
        if not _positive_int(meeting_id) or role not in ("participant", "console", "projector"):
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
        if role == "participant":
            with transaction(db):
                store.open_attendance(db, actor.id, meeting_id, request.sid)
        self._attach(Connection(request.sid, actor, meeting_id, role), db)

    def on_disconnect(self, reason=None):
        """Server side only: closes the attendance row and tells facilitators (coalesced)."""
        self.limits.disconnect(request.sid)
        sid = request.sid
        conn = self.engine.connection(sid)
        if conn is None:
            return
        db = get_db()
        if conn.role == "participant":
            with transaction(db):
                store.close_attendance(db, sid)
        self.engine.detach(sid, still_online=lambda actor: store.is_online(db, actor.id))

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
        elif fid and _positive_int(auth.get("network")) and store.network(db, auth["network"]):
            actor = Actor("facilitator", fid, session.get("facilitator_name", ""), auth["network"], f"n{auth['network']}")
        else:
            raise ConnectionRefusedError(_("This network link is not valid."))
        if not self.limits.connect(request.sid, request.remote_addr or ""):
            raise ConnectionRefusedError(_("Too many connections from your address."))
        self._attach(Connection(request.sid, actor, None, "network", link["id"] if link else None), db)

    def on_action(self, message=None):
        """Client -> server: ``{item, type, payload, cid}``. Ack: ``{ok, seq, reply}`` or ``{ok: false, error}``."""
        conn = self._conn()
        if conn is None:
            self._spend()
            return error("unauthenticated", _("Not connected to a meeting."))
        return self.engine.perform(get_db(), conn, message, allow=self._allow)

    def on_control(self, message=None):
        """Facilitator -> server: ``{cmd, item?, seconds?, locked?, cid}``. Ack: ``{ok, seq}``."""
        conn = self._conn()
        if conn is None or not conn.actor.is_facilitator or conn.role == "network":
            self._spend()
            return error("forbidden", _("Only facilitators can do this."))
        if not self._allow("control"):
            return error("rate_limited", _("Too many actions; wait a moment."))
        return self.engine.control(get_db(), conn, message)

    def on_sync(self, message=None):
        """Client -> server after a reconnect: ``{since}``. Ack: ``{ok, seq, missed, snapshot}``."""
        conn = self._conn()
        if conn is None:
            self._spend()
            return error("unauthenticated", _("Not connected to a meeting."))
        if not self._allow("sync"):
            return error("rate_limited", _("Too many actions; wait a moment."))
        return self.engine.sync(get_db(), conn, message)


__all__ = ["LiveNamespace", "participant_cookie"]
