"""The door of the live channel: every inbound frame is counted and checked before any handler.

python-socketio decodes what a client sends and hands it to a handler; a
hostile client can make that cost anything. Here, ahead of it:

- **every frame is counted** against its connection's budget, in messages and
  in bytes, where the transport hands it over (a websocket frame, each packet
  of a long-polling POST), before it is decoded; a connection past its budget
  gets an ``error`` event ``over_budget`` and is closed, and for
  ``SOCKET_PENALTY_SECONDS`` its address may not open another one (HTTP 429,
  answered before Engine.IO looks at the request; ``facilitation serve`` resets
  such connections at accept, ``live/websocket.py``);
- **until it authenticates** (its Socket.IO ``connect`` is accepted) a
  connection has a small fixed allowance and ``SOCKET_AUTH_DEADLINE`` seconds;
  an address may hold only ``SOCKET_PENDING_PER_ADDRESS`` such connections;
- **malformed frames** (not an Engine.IO or Socket.IO packet, JSON that does not
  decode or nests past the decoder's limit, an event that is not a list
  starting with a name, binary attachments, packets a client never sends) get
  the documented error and never reach python-socketio's dispatch, which would
  log a traceback; past ``SOCKET_MALFORMED_LIMIT`` of them the connection is
  closed;
- **reserved event names** (``connect``, ``disconnect``, ``connect_error``...) never
  reach a connection-lifecycle handler: the sender gets ``reserved_event``.

Everything else is dispatched by python-socketio's own methods, with the
packet decoded once. ``install`` is called by the app factory; it works the
same under eventlet, gevent, threading and Flask-SocketIO's test client.
"""

from __future__ import annotations

import io
import math
import threading
import time
import urllib.parse

import itsdangerous
import socketio
from flask_babel import gettext as _
from socketio import packet
from werkzeug.http import parse_cookie

from . import acks
from .admission import Openings

# Names a Socket.IO library handles itself on either side, and those the JavaScript
# library reserves: a client event by one of these names is never dispatched.
RESERVED_EVENTS = frozenset(socketio.Server.reserved_events) | frozenset(socketio.Client.reserved_events) | {
    "connecting", "disconnecting", "newListener", "removeListener"}
EVENT_NAME_MAX = 64
MAX_ATTACHMENTS = 10
# Engine.IO packets other than MESSAGE carry at most a short word ("probe").
CONTROL_MAX = 16
SWEEP_SECONDS = 1.0
PENALTY_TABLE_MAX = 10_000

OK, DROP, CLOSE = "ok", "drop", "close"
OPENING = "facilitation.opening"  # the request's place among the connections opening
PRIORITY = "facilitation.priority"  # a facilitator's new connection: it never waits its turn


class Account:
    """What one Engine.IO connection may still send."""

    __slots__ = ("address", "opened", "authenticated", "messages", "bytes", "stamp", "strikes", "strike_stamp",
                 "skip", "closed", "priority")

    def __init__(self, address: str, allowance: tuple[int, int], strikes: int):
        self.address = address
        self.opened = self.stamp = self.strike_stamp = time.monotonic()
        self.authenticated = False
        self.messages, self.bytes = allowance
        self.strikes = strikes
        self.skip = 0  # binary attachments of a refused packet still to come
        self.closed = False
        self.priority = False  # a facilitator's: its connect does not wait its turn


class Inbound:
    """The budgets and checks of one Socket.IO server; see the module's docstring."""

    def __init__(self, app, server: socketio.Server):
        config = app.config
        self.app, self.server = app, server
        self.message_rate, self.message_burst = (float(v) for v in config["SOCKET_INBOUND_MESSAGES"])
        self.byte_rate, self.byte_burst = (float(v) for v in config["SOCKET_INBOUND_BYTES"])
        self.allowance = tuple(int(v) for v in config["SOCKET_UNAUTHENTICATED_BUDGET"])
        self.deadline = float(config["SOCKET_AUTH_DEADLINE"])
        self.pending_cap = int(config["SOCKET_PENDING_PER_ADDRESS"])
        self.penalty_seconds = float(config["SOCKET_PENALTY_SECONDS"])
        self.strike_limit = int(config["SOCKET_MALFORMED_LIMIT"])
        # A share of each turn of the loop, where a turn is one (eventlet, gevent), not under threads.
        self.openings = Openings.from_config(config, server if server.async_mode != "threading" else None)
        self.accounts: dict[str, Account] = {}
        self._pending: dict[str, int] = {}
        self._penalty: dict[str, float] = {}
        self._lock = threading.Lock()
        self._sweeping = False

    def install(self) -> None:
        """Put the checks in front of python-socketio's handlers (and of the test client's calls).

        This leans on python-socketio's and python-engineio's internals as of 5.x and 4.x (the
        Engine.IO handlers, ``_handle_connect``/``_handle_event``/``_handle_disconnect``,
        ``_send_packet``, the async driver's table); ``tests/test_inbound.py`` drives all of them
        through the real server and the test client, so an upgrade that moves them fails there."""
        server, eio = self.server, self.server.eio
        self._connected = server._handle_eio_connect
        self._disconnected = server._handle_eio_disconnect
        server._handle_eio_connect = self.eio_connect
        server._handle_eio_message = self.message
        server._handle_eio_disconnect = self.eio_disconnect
        eio.on("connect", self.eio_connect)
        eio.on("message", self.message)
        eio.on("disconnect", self.eio_disconnect)
        # This server's own copy: the driver's table is shared by every server of the process.
        eio._async = {**eio._async, "websocket": counted_websocket(self, eio._async["websocket"])}
        self._handle_request = eio.handle_request
        eio.handle_request = self.handle_request
        acks.install(server)

    # Engine.IO connections --------------------------------------------------------------

    def eio_connect(self, eio_sid, environ):
        opening = environ.get(OPENING)
        if opening is not None:
            opening.release()  # the handshake's work is done; the connect will take a place of its own
        address = environ.get("REMOTE_ADDR") or ""
        now = time.monotonic()
        with self._lock:
            until = self._penalty.get(address)
            if until is not None and until > now:
                return False  # 401 before any websocket handshake (handle_request refuses most earlier)
            if self._pending.get(address, 0) >= self.pending_cap:
                return False
            self._pending[address] = self._pending.get(address, 0) + 1
            account = self.accounts[eio_sid] = Account(address, self.allowance, self.strike_limit)
            account.priority = bool(environ.get(PRIORITY))
            start = not self._sweeping
            self._sweeping = True
        if start:
            self.server.start_background_task(self._sweep)
        return self._connected(eio_sid, environ)

    def eio_disconnect(self, eio_sid, reason=None):
        with self._lock:
            account = self.accounts.pop(eio_sid, None)
            if account is not None and not account.authenticated:
                self._unpend(account.address)
        return self._disconnected(eio_sid, reason)

    def _unpend(self, address: str) -> None:
        left = self._pending.get(address, 1) - 1
        if left > 0:
            self._pending[address] = left
        else:
            self._pending.pop(address, None)

    def _authenticated(self, account: Account) -> None:
        with self._lock:
            if account.authenticated:
                return
            account.authenticated = True
            self._unpend(account.address)
        account.messages, account.bytes, account.stamp = self.message_burst, self.byte_burst, time.monotonic()

    def _unauthenticated(self, eio_sid: str, account: Account) -> None:
        """Back to what a new connection may do: its allowance, a new deadline."""
        with self._lock:
            if not account.authenticated:
                return
            if self._pending.get(account.address, 0) >= self.pending_cap:
                refused = True
            else:
                refused = False
                account.authenticated = False
                account.opened = time.monotonic()
                account.messages, account.bytes = self.allowance
                self._pending[account.address] = self._pending.get(account.address, 0) + 1
                start = not self._sweeping
                self._sweeping = True
        if refused:
            self.close(eio_sid, account)
        elif start:
            self.server.start_background_task(self._sweep)

    def _sweep(self) -> None:
        """Close connections that did not authenticate in time; stops when none is waiting."""
        while True:
            self.server.sleep(SWEEP_SECONDS)
            now = time.monotonic()
            with self._lock:
                waiting = [(sid, a) for sid, a in self.accounts.items() if not a.authenticated]
                if not waiting:
                    self._sweeping = False
                    return
            for eio_sid, account in waiting:
                if now - account.opened > self.deadline:
                    self.close(eio_sid, account)

    def close(self, eio_sid: str, account: Account | None = None, penalty: bool = False) -> None:
        """Close a connection from the server's side (its messages already queued go first)."""
        account = account or self.accounts.get(eio_sid)
        if account is not None:
            account.closed = True
            if penalty and self.penalty_seconds > 0:
                with self._lock:
                    if len(self._penalty) > PENALTY_TABLE_MAX:
                        now = time.monotonic()
                        self._penalty = {a: t for a, t in self._penalty.items() if t > now}
                    self._penalty[account.address] = time.monotonic() + self.penalty_seconds
        socket = self.server.eio.sockets.get(eio_sid)
        if socket is not None and not socket.closed:
            socket.close(wait=False, abort=False, reason=self.server.eio.reason.SERVER_DISCONNECT)
        elif socket is None:
            # Gone already, or never a transport of this server (Flask-SocketIO's test client):
            # nothing will call eio_disconnect, so it is forgotten here.
            with self._lock:
                gone = self.accounts.pop(eio_sid, None)
                if gone is not None and not gone.authenticated:
                    self._unpend(gone.address)
        else:  # not (or no longer) an Engine.IO socket of this server, as with the test client
            self.eio_disconnect(eio_sid, self.server.reason.SERVER_DISCONNECT)

    # Budgets and Engine.IO frames ---------------------------------------------------------

    def charge(self, account: Account, size: int) -> bool:
        """Spend one message and ``size`` bytes; False when the connection is over its budget."""
        if account.authenticated:
            now = time.monotonic()
            elapsed, account.stamp = now - account.stamp, now
            account.messages = min(self.message_burst, account.messages + elapsed * self.message_rate)
            account.bytes = min(self.byte_burst, account.bytes + elapsed * self.byte_rate)
        account.messages -= 1
        account.bytes -= size
        return account.messages >= 0 and account.bytes >= 0

    def frame(self, eio_sid: str, data, polling: bool = False) -> str:
        """A frame as the transport hands it over: ``OK`` to pass it on to Engine.IO, ``DROP``
        (answered here) or ``CLOSE``."""
        account = self.accounts.get(eio_sid)
        if account is None or account.closed:
            return CLOSE
        if isinstance(data, str):
            size = len(data) if data.isascii() else len(data.encode("utf-8", "surrogatepass"))
        else:
            size = len(data)
        if not self.charge(account, size):
            self._send_error(eio_sid, "over_budget", _l_over_budget)
            self.close(eio_sid, account, penalty=True)
            return CLOSE
        if isinstance(data, str) and not engineio_packet_ok(data, polling):
            return self._malformed(eio_sid, account)
        return OK

    def handle_request(self, environ, start_response):
        """Every Engine.IO request. A new connection from an address that waits out its penalty is
        refused first, at the least cost (a flooder retries at once, as fast as it can); long-polling
        POSTs have every packet counted and checked before Engine.IO decodes them."""
        if self._penalty and "sid=" not in environ.get("QUERY_STRING", ""):
            wait = self._penalty.get(environ.get("REMOTE_ADDR") or "", 0.0) - time.monotonic()
            if wait > 0:
                start_response("429 TOO MANY REQUESTS", [("Content-Type", "text/plain"),
                                                         ("Retry-After", str(math.ceil(wait)))])
                return [b"Too many requests."]
        if environ.get("REQUEST_METHOD") == "POST":
            refused = self._check_post(environ)
            if refused:
                start_response("400 BAD REQUEST", [("Content-Type", "text/plain")])
                return [refused.encode()]
        if _sid(environ) is not None:
            return self._handle_request(environ, start_response)
        if self._facilitator(environ):
            environ[PRIORITY] = True
            return self._handle_request(environ, start_response)
        # A new connection: it waits for a place among those opening (live/admission.py).
        opening = self.openings.enter()
        if opening is None:
            start_response("503 SERVICE UNAVAILABLE", [("Content-Type", "text/plain"),
                                                      ("Retry-After", str(math.ceil(self.openings.hold)))])
            return [b"Busy: try again in a moment."]
        environ[OPENING] = opening
        try:
            return self._handle_request(environ, start_response)
        finally:
            opening.release()  # if eio_connect has not (a refused or bad request)

    def _facilitator(self, environ) -> bool:
        """Whether the request carries a facilitator's signed session (checked again at connect)."""
        name = self.app.config["SESSION_COOKIE_NAME"]
        if name + "=" not in environ.get("HTTP_COOKIE", ""):
            return False
        signed = parse_cookie(environ).get(name)
        serializer = self.app.session_interface.get_signing_serializer(self.app)
        try:
            data = serializer.loads(signed) if signed and serializer is not None else None
        except (itsdangerous.BadData, ValueError, TypeError):
            return False
        return isinstance(data, dict) and bool(data.get("facilitator_id"))

    def _check_post(self, environ) -> str | None:
        sid = _sid(environ)
        account = self.accounts.get(sid) if sid else None
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return "Bad length."
        if account is None or length > self.server.eio.max_http_buffer_size:
            return None  # Engine.IO refuses these itself, without reading the body
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            packets = body.decode("utf-8").split("\x1e")
        except UnicodeDecodeError:
            packets = None
        if packets is None or len(packets) > 16 or packets[0].startswith("d="):  # 16: Engine.IO's own cap
            self._malformed(sid, account)
            return "Malformed payload."
        for data in packets:
            verdict = self.frame(sid, data, polling=True)
            if verdict == CLOSE:
                return "Closed."
            if verdict == DROP:
                return "Malformed packet."
        return None

    def penalised(self, address: str) -> bool:
        """Whether ``address`` waits out a penalty now."""
        until = self._penalty.get(address)
        return until is not None and until > time.monotonic()

    # Socket.IO packets ------------------------------------------------------------------

    def message(self, eio_sid, data):
        """Engine.IO's ``message`` handler: decode once, refuse what must not pass, dispatch the rest."""
        account = self.accounts.get(eio_sid)
        if account is None or account.closed:
            return
        try:
            self._dispatch(eio_sid, account, data)
        except Exception as exc:  # a case the checks above do not foresee: refused, in one line
            self.app.logger.error("live frame refused (%s: %s)", type(exc).__name__, str(exc)[:200])
            self._malformed(eio_sid, account)

    def _dispatch(self, eio_sid, account: Account, data) -> None:
        server = self.server
        if not isinstance(data, str):
            if account.skip > 0:  # an attachment of a packet already refused
                account.skip -= 1
                return
            self._malformed(eio_sid, account)
            return
        try:
            pkt = server.packet_class(encoded_packet=data)
        except (ValueError, TypeError, IndexError, RecursionError):
            self._malformed(eio_sid, account)
            return
        kind, namespace = pkt.packet_type, pkt.namespace
        if kind == packet.EVENT:
            event = pkt.data[0] if isinstance(pkt.data, list) and pkt.data else None
            if not isinstance(event, str) or len(event) > EVENT_NAME_MAX:
                self._malformed(eio_sid, account, pkt.id, namespace)
            elif event in RESERVED_EVENTS:
                self._strike(eio_sid, account)
                self._answer(eio_sid, pkt.id, namespace, "reserved_event", _l_reserved)
            else:
                server._handle_event(eio_sid, namespace, pkt.id, pkt.data)
        elif kind == packet.CONNECT:
            opening = None if account.priority else self.openings.enter(ahead=True)
            if opening is None and not account.priority:
                self._busy(eio_sid, namespace)
                return
            try:
                server._handle_connect(eio_sid, namespace, pkt.data)
            finally:
                if opening is not None:
                    opening.release()
            sid = server.manager.sid_from_eio_sid(eio_sid, namespace or "/")
            if sid is not None and server.manager.is_connected(sid, namespace or "/"):
                self._authenticated(account)
        elif kind == packet.DISCONNECT:
            server._handle_disconnect(eio_sid, namespace, server.reason.CLIENT_DISCONNECT)
            if server.manager.sid_from_eio_sid(eio_sid, "/") is None:
                self._unauthenticated(eio_sid, account)  # left the namespace, kept the connection
        elif kind in (packet.BINARY_EVENT, packet.BINARY_ACK):
            # The protocol is JSON only: refused, and its attachments skipped as they come.
            if pkt.attachment_count > MAX_ATTACHMENTS:
                self.close(eio_sid, account, penalty=True)
                return
            account.skip = pkt.attachment_count
            self._malformed(eio_sid, account, pkt.id if kind == packet.BINARY_EVENT else None, namespace)
        else:  # ACK (the server asks none), CONNECT_ERROR, unknown types
            self._malformed(eio_sid, account)

    # Answers ------------------------------------------------------------------------------

    def _strike(self, eio_sid: str, account: Account) -> bool:
        """Count a malformed or reserved frame; past the limit the connection is closed."""
        now = time.monotonic()
        # One strike forgiven every 10 s: a client with a rare bug is not cut off.
        account.strikes = min(self.strike_limit, account.strikes + (now - account.strike_stamp) / 10.0)
        account.strike_stamp = now
        account.strikes -= 1
        if account.strikes < 0:
            self.close(eio_sid, account, penalty=True)
            return False
        return True

    def _malformed(self, eio_sid: str, account: Account, id=None, namespace=None) -> str:
        if not self._strike(eio_sid, account):
            return CLOSE
        if id is not None:
            self._answer(eio_sid, id, namespace, "malformed", _l_malformed)
        else:
            self._send_error(eio_sid, "malformed", _l_malformed)
        return DROP

    def _answer(self, eio_sid, id, namespace, code: str, message) -> None:
        """An error ack when the client asked for one."""
        if id is None:
            return
        body = {"ok": False, "error": {"code": code, "message": self._text(eio_sid, message)}}
        self.server._send_packet(eio_sid, self.server.packet_class(packet.ACK, namespace=namespace, id=id,
                                                                   data=[body]))

    def _busy(self, eio_sid, namespace) -> None:
        """A connect that waited its turn in vain: refused with the time to wait, as live.js expects."""
        body = {"message": self._text(eio_sid, _l_busy),
                "data": {"code": "busy", "retry_ms": int(self.openings.hold * 1000)}}
        self.server._send_packet(eio_sid, self.server.packet_class(packet.CONNECT_ERROR, namespace=namespace,
                                                                   data=body))

    def _send_error(self, eio_sid, code: str, message) -> None:
        body = {"code": code, "message": self._text(eio_sid, message)}
        self.server._send_packet(eio_sid, self.server.packet_class(packet.EVENT, data=["error", body]))

    def _text(self, eio_sid: str, message) -> str:
        """``message()`` translated into the sender's language (its session, as for handlers)."""
        environ = self.server.environ.get(eio_sid)
        with self.app.request_context(environ) if environ and "wsgi.input" in environ else self.app.app_context():
            return message()


def _l_reserved() -> str:
    return _("This event name is reserved: nothing was done.")


def _sid(environ) -> str | None:
    """The Engine.IO session a request belongs to; None for a new connection."""
    query = environ.get("QUERY_STRING", "")
    return urllib.parse.parse_qs(query).get("sid", [None])[0] if "sid=" in query else None


def _l_busy() -> str:
    return _("The server is busy: connecting again in a moment.")


def _l_malformed() -> str:
    return _("This message could not be read: nothing was done.")


def _l_over_budget() -> str:
    return _("Too much was sent too fast: this connection is closed.")


def engineio_packet_ok(data: str, polling: bool = False) -> bool:
    """Whether this text packet is one a client sends and Engine.IO decodes without an exception:
    CLOSE, PONG, a MESSAGE carrying a Socket.IO packet type and, on a websocket, the PING and
    UPGRADE of its handshake. (Over long-polling Engine.IO answers any other type by closing the
    connection and waiting for a poll that may never come.)"""
    if not data:
        return False
    kind = data[0]
    if kind == "4":
        return len(data) > 1 and data[1] in "0123456"
    return kind in ("13" if polling else "1235") and len(data) <= CONTROL_MAX


def counted_websocket(gate: Inbound, inner):
    """The async driver's websocket class, with every received frame counted by ``gate``."""

    class CountedWebSocket:
        def __init__(self, handler, server):
            sid = getattr(getattr(handler, "__self__", None), "sid", None)

            def counted(ws):
                return handler(_Counted(ws, gate, sid))

            self._inner = inner(counted, server)

        def __call__(self, environ, start_response):
            return self._inner(environ, start_response)

    return CountedWebSocket


class _Counted:
    """A websocket whose ``wait()`` hands over only frames the gate let through."""

    def __init__(self, ws, gate: Inbound, eio_sid: str):
        self._ws, self._gate, self._sid = ws, gate, eio_sid

    def wait(self):
        while True:
            data = self._ws.wait()
            if data is None:
                return None
            verdict = self._gate.frame(self._sid, data)
            if verdict == OK:
                return data
            if verdict == CLOSE:
                return None

    def __getattr__(self, name):
        return getattr(self._ws, name)


def install(app, server: socketio.Server) -> Inbound:
    gate = Inbound(app, server)
    gate.install()
    app.extensions["facilitation.inbound"] = gate
    return gate
