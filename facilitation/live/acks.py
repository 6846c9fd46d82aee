"""The ack before the broadcast: a committed change is acknowledged to its sender first.

python-socketio sends an event's ack once its handler has returned, so whatever the
handler does after the commit (broadcasting the change to the meeting's rooms, which
for 2,000 people goes out in slices between which the event loop serves others) would
delay the sender's ack. ``install`` (called by ``live/inbound.py`` on the Socket.IO
server) runs each event's handler with a place for its ack; the pipeline calls ``now``
with the ack right after the commit, which sends it at once, and then broadcasts; the
handler's return value is then not sent a second time. Outside a live event's handler
(an HTTP route, the test client's calls without an id) ``now`` does nothing and the
ack, if any, goes out as usual.
"""

from __future__ import annotations

import contextvars

from socketio import packet

_PENDING: contextvars.ContextVar[list | None] = contextvars.ContextVar("facilitation_ack", default=None)


def install(server) -> None:
    """Handle every event of ``server`` (a python-socketio ``Server``) as described above.

    This replaces python-socketio's ``_handle_event_internal`` (5.x), whose job it keeps:
    run the handler, then send its return value as the ack unless it was sent already."""

    def handle_event_internal(server_, sid, eio_sid, data, namespace, id):
        pending = [server_, eio_sid, namespace, id, False] if id is not None else None
        token = _PENDING.set(pending)
        try:
            r = server_._trigger_event(data[0], namespace, sid, *data[1:])
        finally:
            _PENDING.reset(token)
        if r is server_.not_handled or id is None or (pending and pending[4]):
            return
        server_._send_packet(eio_sid, server_.packet_class(
            packet.ACK, namespace=namespace, id=id, data=list(r) if isinstance(r, tuple) else [] if r is None else [r]))

    server._handle_event_internal = handle_event_internal


def now(ack: dict) -> None:
    """Send ``ack`` to the sender of the event being handled, now (once)."""
    pending = _PENDING.get()
    if pending is None or pending[4]:
        return
    server, eio_sid, namespace, id, _ = pending
    pending[4] = True
    server._send_packet(eio_sid, server.packet_class(packet.ACK, namespace=namespace, id=id, data=[ack]))
