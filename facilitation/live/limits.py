"""Flood limits of the live channel: per connection, per address, connections per address.

A connection spends from its own budget per class of event (``RATE_CLASSES``)
and from its address's shared budget, so opening many sockets from one
machine does not multiply what it may send. Budgets live in this process:
with several processes behind a message queue each process counts its own.
"""

from __future__ import annotations

import threading
import time

# (tokens a second, burst) per class. Canvas editing sends many small edits
# while typing, so "edit" has the largest budget; chat-like input the smallest.
RATE_CLASSES = {"vote": (5, 20), "edit": (20, 80), "chat": (1, 5), "control": (10, 30), "sync": (2, 10)}


class TokenBucket:
    """``rate`` tokens a second, up to ``burst``."""

    def __init__(self, rate: float, burst: float):
        self.rate, self.burst = rate, burst
        self.tokens, self.stamp = burst, time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class Limits:
    """Budgets of every live connection and address of one process.

    ``per_address`` is (rate, burst) of all events from one address;
    ``connections`` the most sockets open at once from one address (a room
    behind one school router shares an address: keep it well above a class).
    """

    def __init__(self, per_address: tuple[float, float] = (400, 2000), connections: int = 1000):
        self.per_address = per_address
        self.max_connections = connections
        self._lock = threading.Lock()
        self._sid_address: dict[str, str] = {}
        self._open: dict[str, int] = {}
        self._buckets: dict[str, dict[str, TokenBucket]] = {}
        self._address_buckets: dict[str, TokenBucket] = {}

    @classmethod
    def from_config(cls, config) -> Limits:
        return cls(tuple(config["SOCKET_RATE_PER_ADDRESS"]), int(config["SOCKET_CONNECTIONS_PER_ADDRESS"]))

    def connect(self, sid: str, address: str) -> bool:
        """Count a new socket; False (and nothing counted) when its address has too many."""
        with self._lock:
            if self._open.get(address, 0) >= self.max_connections:
                return False
            self._open[address] = self._open.get(address, 0) + 1
            self._sid_address[sid] = address
            return True

    def disconnect(self, sid: str) -> None:
        with self._lock:
            self._buckets.pop(sid, None)
            address = self._sid_address.pop(sid, None)
            if address is None:
                return
            left = self._open.get(address, 1) - 1
            if left > 0:
                self._open[address] = left
            else:
                self._open.pop(address, None)
                self._address_buckets.pop(address, None)

    def allow(self, sid: str, rate_class: str) -> bool:
        """Spend one token of this connection's class budget and one of its address's."""
        with self._lock:
            buckets = self._buckets.setdefault(sid, {})
            bucket = buckets.get(rate_class)
            if bucket is None:
                bucket = buckets[rate_class] = TokenBucket(*RATE_CLASSES[rate_class])
            if not bucket.take():
                return False
            address = self._sid_address.get(sid)
            if address is None:
                return True
            shared = self._address_buckets.get(address)
            if shared is None:
                shared = self._address_buckets[address] = TokenBucket(*self.per_address)
            return shared.take()

    def open_connections(self, address: str) -> int:
        with self._lock:
            return self._open.get(address, 0)
