"""Exercise state stored as key-value rows, read lazily inside a transaction."""

from __future__ import annotations

from ..db import dumps, loads
from ..exercise import State

_MISSING = object()


class DbState(State):
    """A ``State`` that reads keys from ``exercise_state`` as the exercise asks
    for them, so an action touching two keys reads two rows, whatever the
    size of the rest of the state."""

    def __init__(self, db, space: str, **kwargs):
        super().__init__(None, **kwargs)
        self._db = db
        self._space = space
        self._cache: dict = {}
        self._complete = False

    def __getitem__(self, key):
        value = self._cache.get(key, _MISSING)
        if value is _MISSING:
            if self._complete:
                raise KeyError(key)
            found = self._db.execute(
                "SELECT value FROM exercise_state WHERE space = ? AND key = ?", [self._space, key]
            ).fetchone()
            value = loads(found[0]) if found else None
            self._cache[key] = value
        if value is None:
            raise KeyError(key)
        return value

    def _load_all(self):
        if not self._complete:
            for key, value in self._db.execute(
                "SELECT key, value FROM exercise_state WHERE space = ?", [self._space]
            ):
                self._cache[key] = loads(value)
            self._complete = True

    def __iter__(self):
        self._load_all()
        return iter([k for k, v in self._cache.items() if v is not None])

    def __len__(self):
        self._load_all()
        return sum(1 for v in self._cache.values() if v is not None)

    def prefix(self, prefix: str) -> dict:
        if self._complete:
            return {k: v for k, v in self._cache.items() if k.startswith(prefix) and v is not None}
        found = {}
        for key, value in self._db.execute(
            "SELECT key, value FROM exercise_state WHERE space = ? AND key >= ? AND key < ?",
            [self._space, prefix, prefix + "\U0010ffff"],
        ):
            found[key] = self._cache[key] = loads(value)
        return found


def write_changes(db, space: str, changes: dict) -> None:
    for key, value in changes.items():
        if value is None:
            db.execute("DELETE FROM exercise_state WHERE space = ? AND key = ?", [space, key])
        else:
            db.execute(
                "INSERT INTO exercise_state (space, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT (space, key) DO UPDATE SET value = excluded.value",
                [space, key, dumps(value)],
            )
