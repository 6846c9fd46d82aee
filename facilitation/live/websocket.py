"""The websocket layer of the serving entry points, made to bear hostile clients.

``facilitation serve`` and ``wsgi.py`` call ``tune(mode, max_message)`` once, before
serving; the app itself never does, so tests run it unchanged under threading.
What ``bench/wscost.py`` measured and why each change is here:

eventlet (the default): its websocket unmasks every received byte in a Python
loop (about 400 ns a byte: 1.8 MB/s from one client fill a core). Frames here
are unmasked with wsproto's table translation instead (a few ns a byte).
eventlet also checks each frame's length but not a fragmented message's total,
answers every ping, and still speaks the 2010 drafts (hixie-75/76), whose
reader buffers without limit: here a message's fragments together stay under
``max_message`` and are at most ``MAX_FRAGMENTS``, pings and pongs are limited
(browsers send none), and the old drafts are refused (no browser uses them).

gevent and threading use simple-websocket, which Engine.IO gives no message
limit: ``max_message`` is passed, so an oversize message is refused while it
arrives instead of once it is whole.

``guard`` (eventlet) paces accepting connections, and closes at accept the TCP
connections of an address that waits out a flooding penalty (``live/inbound.py``),
before any HTTP parsing.
"""

from __future__ import annotations

import socket
import struct
import time

TUNED: set[str] = set()  # the modes tuned in this process
MAX_FRAGMENTS = 64  # frames of one message (browsers send one)
CONTROL_RATE, CONTROL_BURST = 1.0, 10  # pings and pongs a client may send
ACCEPT_BATCH = 8  # connections accepted between two turns of the event loop


def unmask(data, mask, length=None, offset=0) -> bytes:
    """RFC 6455 unmasking of ``data`` by the 4-byte ``mask``, started ``offset`` bytes into the frame."""
    from wsproto.frame_protocol import XorMaskerSimple

    if length is not None and length != len(data):
        data = data[:length]
    key = bytes(mask)
    turn = offset % 4
    return bytes(XorMaskerSimple(key[turn:] + key[:turn]).process(data))


def tune(mode: str, max_message: int) -> None:
    """Install the tuned websocket of ``mode`` in this process (serving entry points only)."""
    if mode == "eventlet":
        _tune_eventlet()
    elif mode in ("gevent", "threading"):
        _tune_simple_websocket(max_message)
    TUNED.add(mode)


def _tune_eventlet() -> None:
    from eventlet import websocket

    if getattr(websocket.RFC6455WebSocket, "tuned", False):
        return
    base = websocket.RFC6455WebSocket

    class LimitedMessage(base.Message):
        """A message whose fragments together stay under the frame limit, and are few."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.size = self.frames = 0

        def push(self, data, final=False):
            self.size += len(data)
            if self.size > self.max_frame_length:
                raise websocket.FailedConnectionError(1009, "Message too big.")
            super().push(data, final)

    class TunedWebSocket(base):
        tuned = True
        Message = LimitedMessage  # eventlet looks it up on the instance
        _apply_mask = staticmethod(unmask)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._control, self._control_stamp = float(CONTROL_BURST), time.monotonic()

        def _recv_frame(self, message=None):
            message = super()._recv_frame(message)
            message.frames += 1
            if message.frames > MAX_FRAGMENTS:
                raise websocket.FailedConnectionError(1009, "Message in too many fragments.")
            return message

        def _handle_control_frame(self, opcode, data):
            if opcode in (0x9, 0xA):
                now = time.monotonic()
                self._control = min(CONTROL_BURST, self._control + (now - self._control_stamp) * CONTROL_RATE) - 1
                self._control_stamp = now
                if self._control < 0:
                    raise websocket.FailedConnectionError(1008, "Too many control frames.")
            return super()._handle_control_frame(opcode, data)

    def refuse_legacy(self, environ):
        raise websocket.BadRequest()

    websocket.RFC6455WebSocket = TunedWebSocket  # what WebSocketWSGI builds for every handshake
    websocket.WebSocketWSGI._handle_legacy_request = refuse_legacy


def _tune_simple_websocket(max_message: int) -> None:
    import simple_websocket

    if getattr(simple_websocket.Server, "tuned", False):
        return
    base = simple_websocket.Server

    class LimitedServer(base):
        tuned = True

        def __init__(self, environ, **kwargs):
            kwargs.setdefault("max_message_size", max_message)
            super().__init__(environ, **kwargs)

    simple_websocket.Server = LimitedServer  # what Engine.IO's driver builds for every handshake


class GuardedListener:
    """The listening socket of ``facilitation serve`` under eventlet.

    It lets the event loop turn after every ``ACCEPT_BATCH`` connections it accepts. eventlet's
    server accepts in a loop that yields only when no connection waits: after a restart, 2,000
    reconnections were accepted in one go and their 2,000 requests parsed in one turn of the
    loop (about a second) before a live connection's frame could be read, the facilitator's
    console included. Paced, they wait in the kernel's backlog, which costs nothing, and are
    taken in as fast as the loop turns.

    With a ``gate`` (clients connecting directly; behind a proxy every connection comes from
    the proxy), it also closes at once the TCP connections of addresses waiting out a
    penalty: no HTTP parsing, no task, for each retry of a flooder."""

    def __init__(self, sock, gate=None):
        self._sock, self._gate = sock, gate
        self._accepted = 0

    def accept(self):
        while True:
            self._accepted += 1
            if self._accepted % ACCEPT_BATCH == 0:
                time.sleep(0)  # eventlet's, once patched: a turn of the loop for everyone else
            conn, address = self._sock.accept()
            if self._gate is None or not self._gate.penalised(address[0]):
                return conn, address
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, no TIME_WAIT
            conn.close()

    def __getattr__(self, name):
        return getattr(self._sock, name)


def guard(app, sock):
    """The listener of ``facilitation serve`` (eventlet): paced, and guarded when clients connect directly."""
    gate = app.extensions.get("facilitation.inbound")
    return GuardedListener(sock, None if app.config["TRUSTED_PROXIES"] else gate)
