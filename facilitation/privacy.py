"""Personal data of participants: export one person's data, erase it, purge old meetings.

What is personal: a participant's name and organisation, and names copied
into event payloads or archived versions (authors, "by"). What is kept: their
contributions (answers, tallies, canvas items), attached to a pseudonym
``#<id>`` so results and archives stay whole.
"""

from __future__ import annotations

import time

from . import store
from .db import dumps, loads

# Keys under which exercises copy a person's name into stored JSON.
NAME_KEYS = frozenset({"name", "by", "author", "authors", "who", "editor", "editors"})


def pseudonym(participant_id: int) -> str:
    return f"#{participant_id}"


def _scrub(value, names: set[str], replacement: str):
    """``value`` with every name under a NAME_KEYS key replaced; (new value, changed?)."""
    if isinstance(value, dict):
        changed = False
        out = {}
        for key, inner in value.items():
            if key in NAME_KEYS and isinstance(inner, str) and inner in names:
                out[key], hit = replacement, True
            elif key in NAME_KEYS and isinstance(inner, list):
                out[key] = [replacement if isinstance(v, str) and v in names else v for v in inner]
                hit = out[key] != inner
                if not hit:
                    out[key], hit = _scrub(inner, names, replacement)
            else:
                out[key], hit = _scrub(inner, names, replacement)
            changed = changed or hit
        return out, changed
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
    like = [f"%{n}%" for n in names]
    clause = " OR ".join(["payload LIKE ? OR data LIKE ?"] * len(names))
    for event_id, payload, data in db.execute(
        f"SELECT id, payload, data FROM events WHERE meeting_id = ? AND ({clause})",
        [person["meeting_id"], *[v for n in like for v in (n, n)]],
    ).fetchall():
        new_payload, hit1 = _scrub(loads(payload, {}), names, replacement)
        new_data, hit2 = _scrub(loads(data, None), names, replacement)
        if hit1 or hit2:
            db.execute("UPDATE events SET payload = ?, data = ? WHERE id = ?",
                       [dumps(new_payload), dumps(new_data) if new_data is not None else None, event_id])
    _scrub_artifacts(db, person["meeting_id"], names, replacement)
    return True


def _scrub_artifacts(db, meeting_id, names, replacement) -> None:
    """Archived versions are immutable, except for this: the trigger is lifted
    inside the caller's transaction and put back before it commits."""
    found = []
    for artifact_id, data in db.execute("SELECT id, data FROM artifacts WHERE meeting_id = ?",
                                        [meeting_id]).fetchall():
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
