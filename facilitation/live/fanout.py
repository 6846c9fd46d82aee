"""Broadcasts to large rooms, sent in slices so the server keeps answering.

python-socketio hands a room broadcast to every recipient's send queue in one
go. With 2,000 participants that is 2,000 queue puts, then 2,000 writer tasks
woken in the same turn of the event loop, before the server reads another
incoming message: every vote that arrives meanwhile waits for the whole
fan-out (hundreds of milliseconds at 2,000). Here a broadcast to
``SLICED_FROM`` recipients or more is encoded once, as before, and handed
over ``SLICE`` recipients at a time, yielding to the event loop between
slices, so incoming actions are read, applied and acknowledged in between.
Smaller broadcasts (a network team's edits) go out at once, as before.

Order is kept: while a sliced broadcast is going out, later broadcasts of the
process wait their turn (a token in a queue of the server's async mode serves
as the lock), so no recipient sees a later broadcast before an earlier one.
Snapshots (``UNORDERED``) are whole states and go out at once.
Under eventlet and gevent the checks that let a small broadcast skip the
queue cannot be interrupted; with OS threads the order is what python-socketio
gives. The same mixin serves a single process and the message-queue managers,
whose receiving side broadcasts locally through ``Manager.emit``.
"""

from __future__ import annotations

import socketio
from engineio import packet as eio_packet
from socketio import packet

SLICE = 50  # recipients handed over between two yields
SLICED_FROM = 200  # broadcasts to fewer recipients go out at once, as python-socketio does
# Not an event any client receives: "close every socket of this room", carried like a
# broadcast (through the message queue when there is one), so that each server process
# closes the sockets it holds, as the Socket.IO server's own rooms record them. Each one
# first gets a ``closed`` event saying why (``{"code": ...}``).
CLOSE = "facilitation:close"
# Whole states, each complete at its sequence: one never waits for the turn. A connection's
# snapshot overtakes nothing it would need (a broadcast already going out was addressed
# before it joined; later ones come after), and a new connection's connect (its place
# among those opening, live/admission.py) must not wait for a broadcast to the whole room.
UNORDERED = frozenset({"snapshot"})


class PacedFanout(socketio.Manager):
    """A ``Manager`` whose large room broadcasts go out ``slice_size`` recipients at a time."""

    slice_size = SLICE
    sliced_from = SLICED_FROM

    def initialize(self):
        super().initialize()
        self._turn = self.server.eio.create_queue()
        self._turn.put(True)
        self._slicing = False
        self._waiting = 0

    def emit(self, event, data, namespace, room=None, skip_sid=None, callback=None, to=None, **kwargs):
        room = to or room
        if event == CLOSE:
            self._close(namespace, room, data)
            return
        if callback is not None or namespace not in self.rooms:
            return super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, **kwargs)
        skip = set(skip_sid) if isinstance(skip_sid, list) else {skip_sid}
        recipients = [eio_sid for sid, eio_sid in self.get_participants(namespace, room) if sid not in skip]
        frames = self._frames(namespace, event, data)
        sliced = len(recipients) >= self.sliced_from
        if not sliced and (event in UNORDERED or not self._slicing and not self._waiting):
            # Nothing in progress to overtake, and no yield below: out at once (a team's edit
            # must not wait for the turn, or its ack would wait with it).
            self._deliver(recipients, frames, len(recipients))
            return
        self._waiting += 1
        self._turn.get()
        self._waiting -= 1
        self._slicing = sliced
        try:
            self._deliver(recipients, frames, self.slice_size if sliced else len(recipients))
        finally:
            self._slicing = False
            self._turn.put(True)

    def _close(self, namespace, room, data) -> None:
        if namespace not in self.rooms:
            return
        frames = self._frames(namespace, "closed", data)
        for sid, eio_sid in list(self.get_participants(namespace, room)):
            for frame in frames:
                self.server._send_eio_packet(eio_sid, frame)
            self.server.disconnect(sid, namespace=namespace, ignore_queue=True)
            # and the transport itself: a client ignoring the disconnect keeps nothing open.
            # Without waiting for its queue to be written out (Engine.IO's ``disconnect`` waits):
            # when the client goes away at the same moment, the websocket's writer stops with
            # frames still queued, and the wait never ended; the facilitator's request that
            # revoked the link hung with it, and never answered.
            socket = self.server.eio.sockets.get(eio_sid)
            if socket is not None and not socket.closed:
                socket.close(wait=False, reason=self.server.eio.reason.SERVER_DISCONNECT)

    def _frames(self, namespace, event, data) -> list:
        if isinstance(data, tuple):
            data = list(data)
        elif data is not None:
            data = [data]
        else:
            data = []
        encoded = self.server.packet_class(packet.EVENT, namespace=namespace, data=[event, *data]).encode()
        return [eio_packet.Packet(eio_packet.MESSAGE, p) for p in (encoded if isinstance(encoded, list) else [encoded])]

    def _deliver(self, recipients, frames, step) -> None:
        for start in range(0, len(recipients), max(1, step)):
            if start:
                self.server.sleep(0)
            for eio_sid in recipients[start:start + step]:
                for frame in frames:
                    self.server._send_eio_packet(eio_sid, frame)


def client_manager(url: str | None):
    """The client manager for ``SocketIO(client_manager=...)``: paced, and on the
    message queue at ``url`` when one is configured (as Flask-SocketIO picks it)."""
    if not url:
        return PacedFanout()
    if url.startswith(("redis://", "rediss://")):
        base = socketio.RedisManager
    elif url.startswith("kafka://"):
        base = socketio.KafkaManager
    elif url.startswith("zmq"):
        base = socketio.ZmqManager
    else:
        base = socketio.KombuManager
    # Pub/sub first, so emit() publishes; its receiving side's super().emit() lands here.
    paced = type(f"Paced{base.__name__}", (base, PacedFanout), {})
    return paced(url, channel="flask-socketio")
