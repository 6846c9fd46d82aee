"""The archive: what each network keeps of each exercise, as immutable, numbered versions.

An artifact is written once (a trigger refuses updates) by the live engine when an
exercise is locked or a team saves, or by an exercise's own pages through
``facilitation.api``. The SQL of the ``artifacts`` table lives here and only here.
"""

from __future__ import annotations

from .db import dumps, loads


def _rows(db, sql, params=()):
    cursor = db.execute(sql, params)
    cols = [c[0] for c in cursor.description]
    return [dict(zip(cols, row)) for row in cursor.fetchall()]


def _decoded(found: list[dict]) -> list[dict]:
    for a in found:
        a["data"] = loads(a["data"], {})
    return found


def add_artifact(db, *, network_id, lab_id, meeting_id, item_id, exercise_type, title, data) -> int:
    version = db.execute(
        "SELECT coalesce(max(version), 0) + 1 FROM artifacts WHERE network_id = ? AND item_id IS ?",
        [network_id, item_id],
    ).fetchone()[0]
    return db["artifacts"].insert(
        {"network_id": network_id, "lab_id": lab_id, "meeting_id": meeting_id, "item_id": item_id,
         "exercise_type": exercise_type, "title": title, "version": version, "data": dumps(data)}
    ).last_pk


def artifacts_of_network(db, network_id) -> list[dict]:
    """The latest version of each artifact of a network, with lab and meeting titles."""
    return _decoded(_rows(
        db,
        """SELECT a.*, l.title AS lab_title, m.title AS meeting_title, m.starts_at AS meeting_date,
                  (SELECT count(*) FROM artifacts b WHERE b.network_id = a.network_id
                     AND b.item_id IS a.item_id) AS versions
           FROM artifacts a
           LEFT JOIN labs l ON l.id = a.lab_id
           LEFT JOIN meetings m ON m.id = a.meeting_id
           WHERE a.network_id = ? AND a.version = (
               SELECT max(version) FROM artifacts c WHERE c.network_id = a.network_id AND c.item_id IS a.item_id)
           ORDER BY l.created_at DESC, m.starts_at DESC, a.item_id""",
        [network_id],
    ))


def latest_artifact(db, network_id, exercise_type) -> dict | None:
    """The newest artifact of one exercise type for a network, or None."""
    found = _decoded(_rows(
        db, "SELECT * FROM artifacts WHERE network_id = ? AND exercise_type = ? ORDER BY id DESC LIMIT 1",
        [network_id, exercise_type]))
    return found[0] if found else None


def versions(db, network_id, exercise_type) -> list[dict]:
    """Every artifact of one exercise type for a network, oldest first, numbered from 1
    (``number``; 1 is the network's T0), with the title and date of the meeting that made it."""
    found = _decoded(_rows(
        db,
        """SELECT a.id, a.lab_id, a.meeting_id, a.item_id, a.title, a.created_at, a.data,
                  m.title AS meeting_title, m.starts_at AS meeting_date
           FROM artifacts a LEFT JOIN meetings m ON m.id = a.meeting_id
           WHERE a.network_id = ? AND a.exercise_type = ? ORDER BY a.id""",
        [network_id, exercise_type]))
    for number, v in enumerate(found, start=1):
        v["number"] = number
    return found


def mentioning(db, meeting_id, needles: list[str]) -> list[tuple[int, str]]:
    """(id, data) of the meeting's artifacts whose data contains one of ``needles``."""
    clause = " OR ".join("instr(data, ?) > 0" for _ in needles)
    return db.execute(f"SELECT id, data FROM artifacts WHERE meeting_id = ? AND ({clause})",
                      [meeting_id, *needles]).fetchall()


def rewrite(db, changed: list[tuple[int, object]]) -> None:
    """Replace the data of archived versions: only for erasing a person's name (privacy).
    The immutability trigger is lifted inside the caller's transaction and put back before
    it commits."""
    if not changed:
        return
    trigger = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'artifacts_immutable'"
                         ).fetchone()
    db.execute("DROP TRIGGER IF EXISTS artifacts_immutable")
    for artifact_id, data in changed:
        db.execute("UPDATE artifacts SET data = ? WHERE id = ?", [dumps(data), artifact_id])
    if trigger:
        db.execute(trigger[0])


def of_meetings(db, meeting_ids, exercise_type=None, network_id=None) -> list[dict]:
    """The latest version of each network's result of each exercise of these meetings, in agenda
    order, with the network's name, the meeting's and the lab's titles."""
    ids = list(meeting_ids)
    if not ids:
        return []
    where = [f"a.meeting_id IN ({','.join('?' * len(ids))})"]
    params: list = [*ids]
    if exercise_type is not None:
        where.append("a.exercise_type = ?")
        params.append(exercise_type)
    if network_id is not None:
        where.append("a.network_id = ?")
        params.append(network_id)
    return _decoded(_rows(
        db,
        f"""SELECT a.*, n.name AS network, l.title AS lab_title, m.title AS meeting_title,
                   m.starts_at AS meeting_date, i.position AS position
            FROM artifacts a
            JOIN networks n ON n.id = a.network_id
            LEFT JOIN labs l ON l.id = a.lab_id
            LEFT JOIN meetings m ON m.id = a.meeting_id
            LEFT JOIN agenda_items i ON i.id = a.item_id
            WHERE {' AND '.join(where)} AND a.version = (
                SELECT max(version) FROM artifacts c WHERE c.network_id = a.network_id AND c.item_id IS a.item_id)
            ORDER BY a.meeting_id, i.position, a.item_id, n.name""",
        params))


def every_version_of_network(db, network_id) -> list[dict]:
    """Every archived version of a network, oldest first (its archive's export)."""
    return _decoded(_rows(
        db,
        """SELECT a.id, a.lab_id, a.meeting_id, a.item_id, a.exercise_type, a.title, a.version, a.created_at,
                  a.data, l.title AS lab_title, m.title AS meeting_title
           FROM artifacts a LEFT JOIN labs l ON l.id = a.lab_id LEFT JOIN meetings m ON m.id = a.meeting_id
           WHERE a.network_id = ? ORDER BY a.id""",
        [network_id]))
