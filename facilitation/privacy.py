"""Personal data of participants: export one person's data, erase it, purge old meetings.

What is personal: a participant's name and organisation, and their name wherever
an exercise copied it (events, exercise state, archived versions). What is kept: their
contributions (answers, tallies, canvas items), attached to a pseudonym
``#<id>`` so results and archives stay whole.
"""

from __future__ import annotations

import time

from . import store
from .db import dumps, loads


def pseudonym(participant_id: int) -> str:
    return f"#{participant_id}"


def _scrub(value, names: set[str], replacement: str):
    """``value`` with every string that is exactly one of ``names`` replaced, at any depth
    (exercises copy names as they like: ``by: {k, n}``, ``authors: {key: name}``, ...);
    returns (new value, changed?)."""
    if isinstance(value, str):
        return (replacement, True) if value in names else (value, False)
    if isinstance(value, dict):
        pairs = {k: _scrub(v, names, replacement) for k, v in value.items()}
        return {k: p[0] for k, p in pairs.items()}, any(p[1] for p in pairs.values())
    if isinstance(value, list):
        pairs = [_scrub(v, names, replacement) for v in value]
        return [p[0] for p in pairs], any(p[1] for p in pairs)
    return value, False


def export_participant(db, participant_id: int) -> dict | None:
    """Everything stored about one participant, as plain JSON."""
    person = store.participant(db, participant_id)
    if person is None:
        return None
    meeting = store.meeting(db, person["meeting_id"])
    network = store.network(db, person["network_id"]) if person["network_id"] else None
    key = f"participant:{participant_id}"
    return {
        "participant": {k: person[k] for k in ("id", "name", "organisation", "team", "created_at", "erased_at")},
        "network": network and network["name"],
        "meeting": {"id": meeting["id"], "title": meeting["title"], "starts_at": meeting["starts_at"]},
        "attendance": store.rows(db, "SELECT joined_at, left_at FROM attendance WHERE participant_id = ?"
                                     " ORDER BY joined_at", [participant_id]),
        "actions": [
            {"seq": r["seq"], "item": r["item_id"], "type": r["type"], "payload": loads(r["payload"], {}),
             "at": r["created_at"]}
            for r in store.rows(db, "SELECT seq, item_id, type, payload, created_at FROM events"
                                    " WHERE actor = ? ORDER BY seq", [key])
        ],
    }


def erase_participant(db, participant_id: int) -> bool:
    """Remove the person's name and organisation everywhere; keep their contributions
    under a pseudonym. Their device link stops working. Call inside a transaction."""
    person = store.participant(db, participant_id)
    if person is None:
        return False
    replacement = pseudonym(participant_id)
    names = {person["name"]} - {"", replacement}
    db.execute("UPDATE participants SET name = ?, organisation = '', token_hash = ?, erased_at = ?"
               " WHERE id = ?", [replacement, store.hash_token(store.new_token()), store.now_iso(), participant_id])
    if not names:
        return True
    meeting_id = person["meeting_id"]
    for event_id, payload, data in _rows_mentioning(
            db, "SELECT id, payload, data FROM events WHERE meeting_id = ?", [meeting_id], ("payload", "data"), names):
        new_payload, hit1 = _scrub(loads(payload, {}), names, replacement)
        new_data, hit2 = _scrub(loads(data, None), names, replacement)
        if hit1 or hit2:
            db.execute("UPDATE events SET payload = ?, data = ? WHERE id = ?",
                       [dumps(new_payload), dumps(new_data) if new_data is not None else None, event_id])
    for item_id in [r[0] for r in db.execute("SELECT id FROM agenda_items WHERE meeting_id = ?", [meeting_id])]:
        for space, key, value in _rows_mentioning(
                db, "SELECT space, key, value FROM exercise_state WHERE (space = ? OR space LIKE ?)",
                [f"i{item_id}", f"i{item_id}:%"], ("value",), names):
            new, hit = _scrub(loads(value), names, replacement)
            if hit:
                db.execute("UPDATE exercise_state SET value = ? WHERE space = ? AND key = ?", [dumps(new), space, key])
    _scrub_artifacts(db, meeting_id, names, replacement)
    return True


def _rows_mentioning(db, sql, params, columns, names):
    """Rows of ``sql`` where one of ``columns`` contains one of ``names`` (a quick text filter;
    the JSON is then checked exactly)."""
    needles = [dumps(n)[1:-1] for n in names]  # as the name is written inside stored JSON
    clause = " OR ".join(f"instr({c}, ?) > 0" for c in columns for _ in needles)
    return db.execute(f"{sql} AND ({clause})", [*params, *[n for _ in columns for n in needles]]).fetchall()


def _scrub_artifacts(db, meeting_id, names, replacement) -> None:
    """Archived versions are immutable, except for this: the trigger is lifted
    inside the caller's transaction and put back before it commits."""
    found = []
    for artifact_id, data in _rows_mentioning(db, "SELECT id, data FROM artifacts WHERE meeting_id = ?",
                                              [meeting_id], ("data",), names):
        new, hit = _scrub(loads(data, {}), names, replacement)
        if hit:
            found.append((artifact_id, new))
    if not found:
        return
    trigger = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'artifacts_immutable'"
                         ).fetchone()
    db.execute("DROP TRIGGER IF EXISTS artifacts_immutable")
    for artifact_id, new in found:
        db.execute("UPDATE artifacts SET data = ? WHERE id = ?", [dumps(new), artifact_id])
    if trigger:
        db.execute(trigger[0])


def purge(db, days: float, now: float | None = None) -> int:
    """Pseudonymise every participant of meetings that ended (or, if never ended,
    were created) more than ``days`` ago. Returns how many. Call inside a transaction."""
    cutoff = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime((now or time.time()) - days * 86400))
    ids = [r[0] for r in db.execute(
        """SELECT p.id FROM participants p JOIN meetings m ON m.id = p.meeting_id
           WHERE p.erased_at IS NULL AND coalesce(m.ended_at, m.started_at, m.created_at) < ?""",
        [cutoff]).fetchall()]
    for participant_id in ids:
        erase_participant(db, participant_id)
    return len(ids)
