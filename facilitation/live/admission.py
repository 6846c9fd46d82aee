"""Connections admitted at the pace this process can serve them.

After a restart every participant's browser reconnects at once. Each connection costs a
snapshot (the meeting, the current exercise, the person's own answers) and an attendance
row; 2,000 of them in one go would leave no time for the acks of those already back and
for the facilitator's console. So participants' connections may take at most ``share`` of
the process's time (measured: the time their connect handlers take, over the last
second); past that, a connection is refused with ``busy`` and the time to wait, which the
browser honours with a random spread. Facilitators' connections are always admitted.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque


class Admission:
    def __init__(self, share: float = 0.5, window: float = 1.0):
        self.share, self.window = share, window
        self._lock = threading.Lock()
        self._spent: deque[tuple[float, float]] = deque()  # (finished at, seconds spent)
        self._total = 0.0

    @classmethod
    def from_config(cls, config) -> Admission:
        return cls(float(config["SOCKET_ADMISSION_SHARE"]))

    def _forget(self, now: float) -> None:
        while self._spent and self._spent[0][0] < now - self.window:
            self._total -= self._spent.popleft()[1]

    def check(self, now: float | None = None) -> int:
        """0 when a connection may come in now, else the milliseconds to wait before trying again."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._forget(now)
            over = self._total - self.share * self.window
            if over < 0:
                return 0
            # The busy time falls as the oldest connects leave the window: wait until enough has.
            freed, wait = 0.0, self.window
            for finished, spent in self._spent:
                freed += spent
                if freed > over:
                    wait = finished + self.window - now
                    break
            return max(50, math.ceil(wait * 1000))

    def spent(self, seconds: float, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._spent.append((now, seconds))
            self._total += seconds
            self._forget(now)
