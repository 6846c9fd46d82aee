"""Full garbage collections at quiet moments, not in the middle of a vote.

A serving process holding 2,000 connections holds about 400,000 Python objects.
CPython's automatic full collection walks all of them, and on a small machine
that stops the whole process for a quarter of a second; it comes whenever
enough objects have outlived the young generations, which is exactly when a
room is busy (people joining, a burst of votes). Every action in flight then
waits for it.

The serving entry points (``facilitation serve``, ``wsgi.py``) call ``start``:
the objects of the started app are frozen out of every later collection,
young collections go on as usual (they are short: they only see new objects),
and full collections run from a background task once the live side has been
quiet for ``QUIET`` seconds, and at the latest ``LONGEST`` seconds after the
previous one whatever happens, so memory held in reference cycles stays
bounded. Only cyclic garbage waits for them; everything else is freed at once
by reference counting.
"""

from __future__ import annotations

import gc
import time

QUIET = 2.0  # seconds without a live event before a full collection may run
SPACING = 30.0  # at most one quiet-time collection per this many seconds
LONGEST = 300.0  # a full collection at the latest after this many seconds
CHECK = 1.0

_last_event = time.monotonic()
_state = {"started": False, "last_full": 0.0}


def touch() -> None:
    """Called on every live event: the process is busy now."""
    global _last_event
    _last_event = time.monotonic()


def due(now: float, last_event: float, last_full: float) -> str | None:
    """Whether a full collection is due: ``"quiet"``, ``"forced"`` or None."""
    if now - last_full >= LONGEST:
        return "forced"
    if now - last_event >= QUIET and now - last_full >= SPACING:
        return "quiet"
    return None


def start(socketio) -> None:
    """Take over full collections in this process (once; serving entry points only)."""
    if _state["started"]:
        return
    _state["started"] = True
    gc.collect()
    gc.freeze()  # the app, its plugins and their modules: never garbage, never walked again
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 2**31 - 1)  # no automatic full collection
    _state["last_full"] = time.monotonic()

    def pace():
        while True:
            socketio.sleep(CHECK)
            if due(time.monotonic(), _last_event, _state["last_full"]):
                gc.collect()
                _state["last_full"] = time.monotonic()

    socketio.start_background_task(pace)
