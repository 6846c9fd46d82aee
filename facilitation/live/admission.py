"""Connections admitted at the pace this process can serve them.

After a restart every participant's browser reconnects at once. Each connection costs its
Engine.IO handshake and websocket upgrade, then its Socket.IO ``connect``: the person
looked up, an attendance row written, a snapshot (the meeting, the current exercise, the
person's own answers) built and sent. 2,000 of them in one go would leave no time for the
acks of those already back and for the facilitator's console. ``Openings`` lets a few of
them work at once and holds the others, at no cost, until their turn.
"""

from __future__ import annotations

import threading
import time
from collections import deque


class Opening:
    """One piece of work's place among those of new connections; given back once, by whoever."""

    __slots__ = ("gate", "started", "_left")

    def __init__(self, gate: Openings, started: float):
        self.gate, self.started, self._left = gate, started, False

    def release(self) -> None:
        self.gate._leave(self)


class _Waiter:
    __slots__ = ("event", "opening")

    def __init__(self):
        self.event, self.opening = threading.Event(), None


class Openings:
    """Work on new live connections, at most ``limit`` pieces at once; the others wait their turn.

    An opening has two pieces of work on the server, with a round trip to the client between
    them: the Engine.IO handshake (a request without ``sid``, until Engine.IO has made the
    connection) and the Socket.IO ``connect`` (until it is answered, accepted or refused).
    Each takes a place here (``live/inbound.py``) and gives it back when done; a place is
    never held while the client is on its way, so the process stays busy at its own pace
    and no faster. Let in at once, 2,000 openings fill the event loop and every live action
    of those already back (the facilitator's console among them) waits behind all of them;
    held here, a waiting one costs nothing but its memory, and the rate adapts by itself:
    fast when the process is idle, slower when it is busy.

    A place runs out ``hold`` seconds after it was taken, whatever happens: a client that
    stalls in the middle of its handshake keeps it no longer. Who waits more than ``wait``
    seconds is told "busy" with the time to wait (HTTP 503 with ``Retry-After`` at the
    handshake, the Socket.IO ``connect_error`` ``busy`` with ``retry_ms`` at connect).
    Facilitators (a signed session of theirs) do not wait: they run the meeting everyone is
    coming back to.

    Under eventlet or gevent (``loop``: the Socket.IO server, for its ``sleep`` and
    ``start_background_task``) a place is also a share of one turn of the event loop: at most
    ``limit`` pieces start between two turns. A handshake or a connect never yields (its
    database work is synchronous), so without this every new connection whose frame arrived
    in the same turn took the place the previous one had just given back, and ran: a turn of
    the first wave after a restart lasted 200-350 ms, and the console's control, read and
    acknowledged over three turns, waited up to 0.6 s. A task that turns with the loop while
    openings are being worked on gives each turn its share and hands it to those waiting.
    """

    def __init__(self, limit: int = 16, wait: float = 10.0, hold: float = 2.0, loop=None):
        self.limit, self.wait, self.hold, self.loop = limit, wait, hold, loop
        self._started = 0  # pieces started since the loop last turned (with ``loop``)
        self._turning = False
        self._lock = threading.Lock()
        self._inside: deque[Opening] = deque()  # in the order they came in
        self._queue: deque[_Waiter] = deque()  # first come, first served
        self._ahead: deque[_Waiter] = deque()  # served before: connections already open
        self.waited = self.turned_away = 0  # pieces of work that waited, and that waited in vain

    @classmethod
    def from_config(cls, config, loop=None) -> Openings:
        return cls(int(config["SOCKET_OPENINGS"]), float(config["SOCKET_OPENING_WAIT"]), loop=loop)

    def enter(self, ahead: bool = False) -> Opening | None:
        """A place, after waiting for one if need be; ``None`` after ``wait`` seconds in vain.
        ``ahead``: served before those who did not start yet (a connection whose handshake is
        done: it holds resources, and its time to authenticate runs)."""
        start = time.monotonic()
        if self.limit <= 0:
            return Opening(self, start)
        with self._lock:
            self._expire(start)
            if self._free() and not self._ahead and (ahead or not self._queue):
                return self._take(start)
            me = _Waiter()
            queue = self._ahead if ahead else self._queue
            queue.append(me)
            self.waited += 1
        while True:
            # A place is handed over by the one who leaves; waking up now and then (at most every
            # ``hold`` seconds) notices places run out with nobody leaving.
            left = start + self.wait - time.monotonic()
            me.event.wait(max(0.0, min(left, self.hold)))
            with self._lock:
                now = time.monotonic()
                self._expire(now)
                if me.opening is not None:
                    return me.opening
                if now >= start + self.wait:
                    queue.remove(me)
                    self.turned_away += 1
                    return None

    def _free(self) -> bool:
        """Whether a piece may start now (under the lock): a place, and this turn's share."""
        return len(self._inside) < self.limit and (self.loop is None or self._started < self.limit)

    def _take(self, now: float) -> Opening:
        opening = Opening(self, now)
        self._inside.append(opening)
        if self.loop is not None:
            self._started += 1
            if not self._turning:
                self._turning = True
                self.loop.start_background_task(self._turn)
        return opening

    def _turn(self) -> None:
        """Each turn of the loop: a new share, handed to those waiting; gone once nothing starts."""
        while True:
            self.loop.sleep(0)
            with self._lock:
                started, self._started = self._started, 0
                self._expire(time.monotonic())
                if not started and not self._started:
                    if not (self._queue or self._ahead):
                        self._turning = False
                        return
                    idle = True  # waiting for places held by work that yields: no need to spin
                else:
                    idle = False
            if idle:
                self.loop.sleep(0.005)

    def _hand_over(self, now: float) -> None:
        """Free places to the first in the queue (under the lock)."""
        while (self._ahead or self._queue) and self._free():
            waiter = (self._ahead or self._queue).popleft()
            waiter.opening = self._take(now)
            waiter.event.set()

    def _expire(self, now: float) -> None:
        while self._inside and self._inside[0].started + self.hold <= now:
            self._inside.popleft()._left = True
        self._hand_over(now)

    def _leave(self, opening: Opening) -> None:
        with self._lock:
            if opening._left:
                return
            opening._left = True
            try:
                self._inside.remove(opening)
            except ValueError:
                return
            self._hand_over(time.monotonic())

    def inside(self) -> int:
        with self._lock:
            return len(self._inside)
