"""Team spaces and network workspaces: where their state starts from.

A team exercise keeps one state space per team, started from the network's latest
archived version of the exercise (``Exercise.start_state``); a network's workspace
between meetings does the same, and follows newer versions archived elsewhere
unless it holds unsaved work, which is never thrown away.
"""

from __future__ import annotations

from .. import artifacts, store
from ..db import transaction
from .rooms import START_KEY


def ensure_seeded(db, exercise, space, config, network_id, follow_latest=False) -> None:
    """Give a space its first state (inside a transaction)."""
    start = store.state_value(db, space, START_KEY)
    if start is not None and not follow_latest:
        return
    if start and start.get("edited"):
        return
    latest = artifacts.latest_artifact(db, network_id, exercise.type) if network_id else None
    latest_id = latest["id"] if latest else None
    if start and start.get("artifact") == latest_id:
        return
    store.clear_state(db, space)
    store.write_state(db, space, exercise.start_state(config, latest["data"] if latest else None))
    store.write_state(db, space, {START_KEY: {"artifact": latest_id}})


def seed(db, exercise, space, config, network_id, follow_latest=False) -> None:
    """``ensure_seeded``, in its own transaction unless one is open."""
    if db.conn.in_transaction:
        ensure_seeded(db, exercise, space, config, network_id, follow_latest)
    else:
        with transaction(db):
            ensure_seeded(db, exercise, space, config, network_id, follow_latest)


def mark_edited(db, space) -> None:
    """A workspace holds unsaved work: it no longer follows newer versions until saved."""
    start = store.state_value(db, space, START_KEY) or {}
    if not start.get("edited"):
        store.write_state(db, space, {START_KEY: {**start, "edited": True}})


def saved_as(db, space, artifact_id) -> None:
    store.write_state(db, space, {START_KEY: {"artifact": artifact_id}})


def behind(db, space, network_id, exercise_type) -> bool:
    """A newer version was archived (e.g. by a meeting) while this space held unsaved edits."""
    latest = artifacts.latest_artifact(db, network_id, exercise_type)
    return bool(latest) and (store.state_value(db, space, START_KEY) or {}).get("artifact") != latest["id"]
