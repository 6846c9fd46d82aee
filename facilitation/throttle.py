"""Failed attempts (facilitator logins, meeting codes) counted in the database.

Every server process sharing the database sees the same counts, and a restart does
not reset them. The keys (an address, an account) are stored as hashes and deleted
once they are out of their window: nothing here outlives a quarter of an hour.
"""

from __future__ import annotations

import hashlib
import time

from .db import transaction


def _now() -> float:
    return time.time()


class Throttle:
    """At most ``limit`` failures per key within ``window`` seconds; past that, wait."""

    def __init__(self, kind: str, window: float, limit: int):
        self.kind, self.window, self.limit = kind, window, limit

    @staticmethod
    def _hashed(keys) -> list[str]:
        return [hashlib.sha256(key.encode()).hexdigest()[:32] for key in keys]

    def blocked(self, db, *keys: str) -> bool:
        """Whether any of ``keys`` has used up its failures."""
        hashed = self._hashed(keys)
        marks = ",".join("?" * len(hashed))
        found = db.execute(
            f"SELECT max(n) FROM (SELECT count(*) AS n FROM failed_attempts"
            f" WHERE kind = ? AND key IN ({marks}) AND at > ? GROUP BY key)",
            [self.kind, *hashed, _now() - self.window]).fetchone()
        return (found[0] or 0) >= self.limit

    def fail(self, db, *keys: str) -> None:
        now = _now()
        with transaction(db):
            self.forget_expired(db, now)
            db.conn.executemany("INSERT INTO failed_attempts (kind, key, at) VALUES (?, ?, ?)",
                                [(self.kind, key, now) for key in self._hashed(keys)])

    def forget_expired(self, db, now: float | None = None) -> None:
        """Delete this kind's rows that are out of the window (inside a transaction)."""
        db.execute("DELETE FROM failed_attempts WHERE kind = ? AND at <= ?",
                   [self.kind, (now or _now()) - self.window])

    def clear(self, db, *keys: str) -> None:
        hashed = self._hashed(keys)
        with transaction(db):
            db.execute(f"DELETE FROM failed_attempts WHERE kind = ? AND key IN ({','.join('?' * len(hashed))})",
                       [self.kind, *hashed])


# Failed logins per address and per account: 10 in 15 minutes.
LOGIN = Throttle("login", 15 * 60, 10)
# Wrong meeting codes per address: 20 in 10 minutes (codes cannot be enumerated).
CODE = Throttle("code", 10 * 60, 20)


def forget_expired(db) -> None:
    """Every count out of its window, gone (``facilitation purge``; inside a transaction)."""
    for throttle in (LOGIN, CODE):
        throttle.forget_expired(db)
