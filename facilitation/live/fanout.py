"""Broadcasts to large rooms, sent in slices so the server keeps answering.

python-socketio hands a room broadcast to every recipient's send queue in one
go. With 2,000 participants that is 2,000 queue puts, then 2,000 writer tasks
woken in the same turn of the event loop, before the server reads another
incoming message: every vote that arrives meanwhile waits for the whole
fan-out (hundreds of milliseconds at 2,000). Here a broadcast to more than
``SLICE`` recipients is encoded once, as before, and handed over ``SLICE``
recipients at a time, yielding to the event loop between slices so incoming
actions are read, applied and acknowledged in between.

Order is kept: broadcasts of one process go out one after the other (a token
in a queue of the server's async mode serves as the lock), so no recipient
sees a later broadcast before an earlier one. The same mixin serves a single
process and the message-queue managers, whose receiving side broadcasts
locally through ``Manager.emit``.
"""

from __future__ import annotations

import socketio
from engineio import packet as eio_packet
from socketio import packet

SLICE = 50


class PacedFanout(socketio.Manager):
    """A ``Manager`` whose room broadcasts go out ``SLICE`` recipients at a time."""

    slice_size = SLICE

    def initialize(self):
        super().initialize()
        self._turn = self.server.eio.create_queue()
        self._turn.put(True)

    def emit(self, event, data, namespace, room=None, skip_sid=None, callback=None, to=None, **kwargs):
        room = to or room
        if callback is not None or namespace not in self.rooms:
            return super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, **kwargs)
        skip = set(skip_sid) if isinstance(skip_sid, list) else {skip_sid}
        recipients = [eio_sid for sid, eio_sid in self.get_participants(namespace, room) if sid not in skip]
        if isinstance(data, tuple):
            data = list(data)
        elif data is not None:
            data = [data]
        else:
            data = []
        encoded = self.server.packet_class(packet.EVENT, namespace=namespace, data=[event, *data]).encode()
        frames = [eio_packet.Packet(eio_packet.MESSAGE, p) for p in (encoded if isinstance(encoded, list) else [encoded])]
        self._turn.get()
        try:
            for start in range(0, len(recipients), self.slice_size):
                if start:
                    self.server.sleep(0)
                for eio_sid in recipients[start:start + self.slice_size]:
                    for frame in frames:
                        self.server._send_eio_packet(eio_sid, frame)
        finally:
            self._turn.put(True)


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
