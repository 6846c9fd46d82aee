"""Personal data of participants: export one person's data, erase it, purge old meetings.

What is personal: a participant's name and organisation, and their name wherever
an exercise copied it (events, exercise state, archived versions). What is kept: their
contributions (answers, tallies, canvas items), attached to a pseudonym
``#<id>`` so results and archives stay whole. Plugins that keep personal data in
tables of their own export and erase it through the ``export_personal_data`` and
``erase_personal_data`` hooks, called here.
"""

from __future__ import annotations

import time

from . import artifacts, store
from .db import dumps, loads
from .plugins import registry


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


def _person(found: dict) -> dict:
    """What the privacy hooks get about a participant."""
    return {"id": found["id"], "key": f"participant:{found['id']}", "name": found["name"],
            "organisation": found["organisation"], "meeting_id": found["meeting_id"],
            "network_id": found["network_id"]}


def export_participant(db, participant_id: int) -> dict | None:
    """Everything stored about one participant, as plain JSON."""
    person = store.participant(db, participant_id)
    if person is None:
        return None
    meeting = store.meeting(db, person["meeting_id"])
    network = store.network(db, person["network_id"]) if person["network_id"] else None
    out = {
        "participant": {k: person[k] for k in ("id", "name", "organisation", "team", "created_at", "erased_at")},
        "network": network and network["name"],
        "meeting": {"id": meeting["id"], "title": meeting["title"], "starts_at": meeting["starts_at"]},
        "attendance": store.attendance_of(db, participant_id),
        "actions": [
            {"seq": r["seq"], "item": r["item_id"], "type": r["type"], "payload": loads(r["payload"], {}),
             "at": r["created_at"]}
            for r in store.events_of_actor(db, f"participant:{participant_id}")
        ],
    }
    plugins = {}
    for name, impl in _impls("export_personal_data"):
        found = impl(person=_person(person))
        if found:
            plugins[name] = found
    if plugins:
        out["plugins"] = plugins
    return out


def _impls(hook: str):
    """(plugin name, function) of a hook's implementations, so each answer is kept by plugin."""
    for impl in getattr(registry().pm.hook, hook).get_hookimpls():
        yield impl.plugin_name, impl.function


def erase_participant(db, participant_id: int) -> bool:
    """Remove the person's name and organisation everywhere; keep their contributions
    under a pseudonym. Their device link stops working. Call inside a transaction."""
    person = store.participant(db, participant_id)
    if person is None:
        return False
    replacement = pseudonym(participant_id)
    names = {person["name"]} - {"", replacement}
    registry().pm.hook.erase_personal_data(person=_person(person), pseudonym=replacement)
    store.erase_person(db, participant_id, replacement)
    if not names:
        return True
    meeting_id = person["meeting_id"]
    needles = [dumps(n)[1:-1] for n in names]  # as the name is written inside stored JSON
    for event_id, payload, data in store.events_mentioning(db, meeting_id, needles):
        new_payload, hit1 = _scrub(loads(payload, {}), names, replacement)
        new_data, hit2 = _scrub(loads(data, None), names, replacement)
        if hit1 or hit2:
            store.rewrite_event(db, event_id, new_payload, new_data)
    for item_id in store.item_ids_of_meeting(db, meeting_id):
        for space, key, value in store.state_mentioning(db, item_id, needles):
            new, hit = _scrub(loads(value), names, replacement)
            if hit:
                store.rewrite_state(db, space, key, new)
    changed = []
    for artifact_id, data in artifacts.mentioning(db, meeting_id, needles):
        new, hit = _scrub(loads(data, {}), names, replacement)
        if hit:
            changed.append((artifact_id, new))
    artifacts.rewrite(db, changed)
    return True


def purge(db, days: float, now: float | None = None) -> int:
    """Pseudonymise every participant of meetings that ended (or, if never ended,
    were created) more than ``days`` ago. Returns how many. Call inside a transaction."""
    cutoff = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime((now or time.time()) - days * 86400))
    ids = store.participants_older_than(db, cutoff)
    for participant_id in ids:
        erase_participant(db, participant_id)
    return len(ids)
