"""Exercise state stored as key-value rows, read lazily inside a transaction."""

from __future__ import annotations

from .. import store
from ..exercise import State

_MISSING = object()


class DbState(State):
    """A ``State`` that reads keys from the store as the exercise asks for them, so an
    action touching two keys reads two rows, whatever the size of the rest of the state."""

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
            value = self._cache[key] = store.state_value(self._db, self._space, key)
        if value is None:
            raise KeyError(key)
        return value

    def _load_all(self):
        if not self._complete:
            self._cache.update(store.state_items(self._db, self._space))
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
        found = dict(store.state_items(self._db, self._space, prefix))
        self._cache.update(found)
        return found
