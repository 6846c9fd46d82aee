"""Reads and writes of the core tables. Views and the live engine call these."""

from __future__ import annotations

import hashlib
import secrets
import time

from .artifacts import add_artifact, artifacts_of_network, latest_artifact  # noqa: F401 (the archive, by name)
from .db import dumps, loads

# No 0/O, 1/I/L: a code read off a projector is typed without guessing.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A secret of 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


def normalise_code(code: str) -> str:
    return "".join(c for c in (code or "").upper() if c in CODE_ALPHABET)[:CODE_LENGTH]


def new_join_code(db) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not db.execute("SELECT 1 FROM meetings WHERE join_code = ?", [code]).fetchone():
            return code


def format_code(code: str) -> str:
    return f"{code[:3]} {code[3:]}"


def rows(db, sql, params=()):
    cursor = db.execute(sql, params)
    cols = [c[0] for c in cursor.description]
    return [dict(zip(cols, row)) for row in cursor.fetchall()]


def row(db, sql, params=()):
    found = rows(db, sql, params)
    return found[0] if found else None


def insert(db, table: str, values: dict) -> int:
    """One row in ``table`` (a name from this module, never from input); its id. For rows written
    once per person joining a meeting: sqlite-utils' ``insert`` reads the table's columns first,
    which cost more than the write itself."""
    cursor = db.execute(f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                        list(values.values()))
    return cursor.lastrowid


# facilitators --------------------------------------------------------------

def set_password_hash(db, facilitator_id, password_hash) -> None:
    db.execute("UPDATE facilitators SET password_hash = ? WHERE id = ?", [password_hash, facilitator_id])


def facilitator_by_email(db, email):
    return row(db, "SELECT * FROM facilitators WHERE email = ?", [email.strip().lower()])


# networks ------------------------------------------------------------------

def networks(db):
    return rows(db, "SELECT * FROM networks ORDER BY name")


def network(db, network_id):
    return row(db, "SELECT * FROM networks WHERE id = ?", [network_id])


def save_network(db, values, network_id=None):
    if network_id:
        db["networks"].update(network_id, values)
        return network_id
    return db["networks"].insert(values).last_pk


# labs ----------------------------------------------------------------------

def labs(db):
    return rows(
        db,
        """SELECT labs.*, (SELECT count(*) FROM meetings WHERE lab_id = labs.id) AS meetings,
                  (SELECT count(*) FROM lab_networks WHERE lab_id = labs.id) AS networks
           FROM labs ORDER BY created_at DESC, id DESC""",
    )


def lab_titled(db, title):
    return row(db, "SELECT * FROM labs WHERE title = ? ORDER BY id LIMIT 1", [title])


def lab(db, lab_id):
    return row(db, "SELECT * FROM labs WHERE id = ?", [lab_id])


def lab_networks(db, lab_id):
    return rows(
        db,
        """SELECT networks.* FROM networks JOIN lab_networks ON lab_networks.network_id = networks.id
           WHERE lab_networks.lab_id = ? ORDER BY networks.name""",
        [lab_id],
    )


def lab_network_names(db, lab_id) -> list[dict]:
    """The networks of a lab as a join form lists them: id and name, by name."""
    return rows(db, """SELECT n.id, n.name FROM lab_networks ln JOIN networks n ON n.id = ln.network_id
                       WHERE ln.lab_id = ? ORDER BY n.name""", [lab_id])


def in_lab(db, lab_id, network_id) -> bool:
    return db.execute("SELECT 1 FROM lab_networks WHERE lab_id = ? AND network_id = ?",
                      [lab_id, network_id]).fetchone() is not None


def save_lab(db, values, network_ids, lab_id=None, created_by=None):
    if lab_id:
        db["labs"].update(lab_id, values)
    else:
        lab_id = db["labs"].insert({**values, "created_by": created_by}).last_pk
    db.execute("DELETE FROM lab_networks WHERE lab_id = ?", [lab_id])
    for nid in network_ids:
        db.execute("INSERT INTO lab_networks (lab_id, network_id) VALUES (?, ?)", [lab_id, nid])
    return lab_id


# meetings ------------------------------------------------------------------

def meetings_of_lab(db, lab_id):
    return rows(db, "SELECT * FROM meetings WHERE lab_id = ? ORDER BY starts_at, id", [lab_id])


def meeting(db, meeting_id):
    return row(db, "SELECT * FROM meetings WHERE id = ?", [meeting_id])


def meeting_by_code(db, code):
    return row(db, "SELECT * FROM meetings WHERE join_code = ?", [normalise_code(code)])


def create_meeting(db, lab_id, values):
    return db["meetings"].insert({**values, "lab_id": lab_id, "join_code": new_join_code(db)}).last_pk


# agenda --------------------------------------------------------------------

def agenda(db, meeting_id):
    items = rows(db, "SELECT * FROM agenda_items WHERE meeting_id = ? ORDER BY position, id", [meeting_id])
    for item in items:
        item["config"] = loads(item["config"], {})
    return items


def item(db, item_id):
    found = row(db, "SELECT * FROM agenda_items WHERE id = ?", [item_id])
    if found:
        found["config"] = loads(found["config"], {})
    return found


def add_item(db, meeting_id, exercise_type, config):
    position = db.execute(
        "SELECT coalesce(max(position), 0) + 1 FROM agenda_items WHERE meeting_id = ?", [meeting_id]
    ).fetchone()[0]
    return db["agenda_items"].insert(
        {"meeting_id": meeting_id, "position": position, "exercise_type": exercise_type,
         "config": dumps(config)}
    ).last_pk


def update_item_config(db, item_id, config):
    db.execute("UPDATE agenda_items SET config = ? WHERE id = ?", [dumps(config), item_id])


def move_item(db, meeting_id, item_id, delta):
    items = agenda(db, meeting_id)
    ids = [i["id"] for i in items]
    if item_id not in ids:
        return
    i = ids.index(item_id)
    j = i + delta
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
    for position, iid in enumerate(ids, start=1):
        db.execute("UPDATE agenda_items SET position = ? WHERE id = ?", [position, iid])


def delete_item(db, meeting_id, item_id):
    db.execute("UPDATE meetings SET current_item_id = NULL WHERE id = ? AND current_item_id = ?",
               [meeting_id, item_id])
    db.execute("DELETE FROM agenda_items WHERE id = ? AND meeting_id = ? AND status = 'pending'",
               [item_id, meeting_id])


# agenda templates ------------------------------------------------------------

def agenda_templates(db):
    found = rows(db, "SELECT * FROM agenda_templates ORDER BY name COLLATE NOCASE, id")
    for template in found:
        template["items"] = loads(template["items"], [])
    return found


def agenda_template(db, template_id):
    found = row(db, "SELECT * FROM agenda_templates WHERE id = ?", [template_id])
    if found:
        found["items"] = loads(found["items"], [])
    return found


def save_agenda_template(db, name, description, items, created_by=None):
    return db["agenda_templates"].insert({"name": name, "description": description, "items": dumps(items),
                                          "created_by": created_by}).last_pk


def delete_agenda_template(db, template_id) -> None:
    db.execute("DELETE FROM agenda_templates WHERE id = ?", [template_id])


# participants --------------------------------------------------------------

def add_participant(db, meeting_id, name, organisation, network_id, admitted=True, profession=""):
    token = new_token()
    pid = insert(db, "participants", {
        "meeting_id": meeting_id, "name": name, "organisation": organisation, "profession": profession or "",
        "network_id": network_id, "team": team_of_network(db, meeting_id, network_id),
        "token_hash": hash_token(token), "admitted": 1 if admitted else 0})
    return pid, token


# teams ---------------------------------------------------------------------
# A team is a string: ``n<network id>`` by default; a facilitator may merge
# networks into one team (kept in ``meeting_teams`` so late joiners follow).

def team_of_network(db, meeting_id, network_id):
    if not network_id:
        return None
    found = db.execute("SELECT team FROM meeting_teams WHERE meeting_id = ? AND network_id = ?",
                       [meeting_id, network_id]).fetchone()
    return found[0] if found else f"n{network_id}"


def merge_networks(db, meeting_id, network_ids):
    """Put every participant of ``network_ids`` into the first network's team; one id alone splits it off."""
    team = f"n{network_ids[0]}"
    for nid in network_ids:
        db.execute("INSERT INTO meeting_teams (meeting_id, network_id, team) VALUES (?, ?, ?) "
                   "ON CONFLICT (meeting_id, network_id) DO UPDATE SET team = excluded.team",
                   [meeting_id, nid, team if len(network_ids) > 1 else f"n{nid}"])
        db.execute("UPDATE participants SET team = ? WHERE meeting_id = ? AND network_id = ?",
                   [team if len(network_ids) > 1 else f"n{nid}", meeting_id, nid])
    return team


def move_participant(db, meeting_id, participant_id, team):
    db.execute("UPDATE participants SET team = ? WHERE id = ? AND meeting_id = ?",
               [team, participant_id, meeting_id])


def teams_of_meeting(db, meeting_id):
    """Every team with at least one participant, and the networks in it."""
    out: dict[str, list[int]] = {}
    for team, network_id in db.execute(
            "SELECT DISTINCT team, network_id FROM participants WHERE meeting_id = ? AND team IS NOT NULL"
            " ORDER BY team, network_id", [meeting_id]):
        out.setdefault(team, [])
        if network_id and network_id not in out[team]:
            out[team].append(network_id)
    return out


# Admission by hand: ``admitted`` is 1 (in), 0 (waiting for a facilitator) or -1 (refused).
WAITING, REFUSED = 0, -1


def waiting_participants(db, meeting_id):
    return rows(
        db,
        """SELECT p.id, p.name, p.organisation, p.network_id, n.name AS network
           FROM participants p LEFT JOIN networks n ON n.id = p.network_id
           WHERE p.meeting_id = ? AND p.admitted = 0 ORDER BY p.id""",
        [meeting_id],
    )


def participant_by_token(db, token):
    if not token or len(token) > 100:
        return None
    return row(db, "SELECT * FROM participants WHERE token_hash = ?", [hash_token(token)])


def participant(db, participant_id):
    return row(db, "SELECT * FROM participants WHERE id = ?", [participant_id])


def participants_with_presence(db, meeting_id):
    return rows(
        db,
        """SELECT p.id, p.name, p.organisation, p.network_id, p.team, n.name AS network,
                  EXISTS(SELECT 1 FROM attendance a WHERE a.participant_id = p.id AND a.left_at IS NULL)
                  AS online
           FROM participants p LEFT JOIN networks n ON n.id = p.network_id
           WHERE p.meeting_id = ? AND p.admitted = 1 ORDER BY n.name, p.name""",
        [meeting_id],
    )


def open_attendance(db, participant_id, meeting_id, sid):
    insert(db, "attendance", {"participant_id": participant_id, "meeting_id": meeting_id,
                              "sid": sid, "joined_at": time.time()})


def close_attendance(db, sid):
    found = row(db, "SELECT participant_id, meeting_id FROM attendance WHERE sid = ? AND left_at IS NULL",
                [sid])
    db.execute("UPDATE attendance SET left_at = ? WHERE sid = ? AND left_at IS NULL", [time.time(), sid])
    return found


def close_all_attendance(db):
    db.execute("UPDATE attendance SET left_at = ? WHERE left_at IS NULL", [time.time()])


def is_online(db, participant_id):
    return bool(db.execute(
        "SELECT 1 FROM attendance WHERE participant_id = ? AND left_at IS NULL LIMIT 1",
        [participant_id]).fetchone())


# network links -------------------------------------------------------------
# A network team's access between meetings: looked up by the hash of the secret; the secret
# itself only sealed (encrypted, see ``linkseal``) when the caller passes ``seal``.

def issue_network_link(db, network_id, created_by=None, seal=None):
    """Revoke the network's active links and issue a new one; return the secret. ``seal``
    (``linkseal.seal``) encrypts the secret so it can be shown again; without it only the
    hash is kept and the secret is shown once."""
    revoke_network_links(db, network_id)
    token = new_token()
    db["network_links"].insert({"network_id": network_id, "token_hash": hash_token(token),
                                "created_by": created_by, "secret_sealed": seal(token) if seal else None})
    return token


def revoke_network_links(db, network_id):
    """Revoke the active links of a network; return their ids."""
    ids = [r[0] for r in db.execute(
        "SELECT id FROM network_links WHERE network_id = ? AND revoked_at IS NULL", [network_id])]
    db.execute("UPDATE network_links SET revoked_at = ? WHERE network_id = ? AND revoked_at IS NULL",
               [now_iso(), network_id])
    return ids


def network_link_by_token(db, token):
    """The active link of this secret, or None (unknown, revoked, malformed)."""
    if not token or len(token) > 100:
        return None
    return row(db, "SELECT * FROM network_links WHERE token_hash = ? AND revoked_at IS NULL", [hash_token(token)])


def active_network_link(db, network_id):
    return row(db, "SELECT id, created_at, secret_sealed FROM network_links WHERE network_id = ? AND revoked_at IS NULL",
               [network_id])


def meetings_of_network(db, network_id):
    """The meetings a network took part in (someone of it was admitted), oldest first: ``id``,
    ``title``, ``starts_at``, ``started_at``, ``state``, ``lab_id``, ``lab_title`` and ``people``
    (how many of the network joined). Counts only: no names."""
    return rows(
        db,
        """SELECT m.id, m.title, m.starts_at, m.started_at, m.state, m.lab_id, l.title AS lab_title,
                  count(p.id) AS people
           FROM participants p JOIN meetings m ON m.id = p.meeting_id JOIN labs l ON l.id = m.lab_id
           WHERE p.network_id = ? AND p.admitted = 1
           GROUP BY m.id
           ORDER BY coalesce(nullif(m.starts_at, ''), m.started_at, m.created_at), m.id""",
        [network_id],
    )


def networks_present(db, meeting_id):
    return [r[0] for r in db.execute(
        "SELECT DISTINCT network_id FROM participants WHERE meeting_id = ? AND network_id IS NOT NULL",
        [meeting_id]).fetchall()]


def lab_of_meeting_networks(db, meeting_id) -> set[int]:
    """Networks of the meeting's lab, and any network someone of the meeting is in."""
    meeting_row = meeting(db, meeting_id)
    found = {n["id"] for n in lab_networks(db, meeting_row["lab_id"])} if meeting_row else set()
    return found | set(networks_present(db, meeting_id))


def first_team_of_networks(db, meeting_id) -> dict[int, str]:
    """For each network present in a meeting, the (first) team its people are in."""
    return dict(db.execute(
        "SELECT network_id, min(team) FROM participants WHERE meeting_id = ? AND network_id IS NOT NULL"
        " GROUP BY network_id", [meeting_id]).fetchall())


def live_meetings(db):
    return rows(db, """SELECT m.*, l.title AS lab_title FROM meetings m JOIN labs l ON l.id = m.lab_id
                       WHERE m.state = 'live' ORDER BY m.started_at DESC""")


def network_named(db, name):
    return row(db, "SELECT * FROM networks WHERE name = ?", [name])


# who may still act -----------------------------------------------------------

def participant_may_act(db, participant_id) -> bool:
    """Admitted and not erased (checked inside every write transaction of a participant)."""
    return bool(db.execute("SELECT 1 FROM participants WHERE id = ? AND admitted = 1 AND erased_at IS NULL",
                           [participant_id]).fetchone())


def link_is_active(db, link_id) -> bool:
    return bool(db.execute("SELECT 1 FROM network_links WHERE id = ? AND revoked_at IS NULL", [link_id]).fetchone())


def active_link_ids(db, network_id) -> list[int]:
    return [r[0] for r in db.execute(
        "SELECT id FROM network_links WHERE network_id = ? AND revoked_at IS NULL", [network_id])]


# the live state of meetings --------------------------------------------------
# Facilitator controls change these; each is called inside the control's transaction.

def start_meeting(db, meeting_id, first_item_id) -> None:
    db.execute("UPDATE meetings SET state = 'live', started_at = coalesce(started_at, ?),"
               " current_item_id = coalesce(current_item_id, ?) WHERE id = ?",
               [now_iso(), first_item_id, meeting_id])


def end_meeting(db, meeting_id) -> None:
    db.execute("UPDATE meetings SET state = 'ended', ended_at = ?, timer_end = NULL WHERE id = ?",
               [now_iso(), meeting_id])
    db.execute("UPDATE attendance SET left_at = ? WHERE meeting_id = ? AND left_at IS NULL",
               [time.time(), meeting_id])


def set_current_item(db, meeting_id, item_id) -> None:
    db.execute("UPDATE meetings SET current_item_id = ? WHERE id = ?", [item_id, meeting_id])


def set_item_status(db, item_id, status) -> None:
    db.execute("UPDATE agenda_items SET status = ? WHERE id = ?", [status, item_id])


def set_item_revealed(db, item_id, revealed: bool) -> None:
    db.execute("UPDATE agenda_items SET revealed = ? WHERE id = ?", [int(revealed), item_id])


def set_timer(db, meeting_id, ends_at) -> None:
    db.execute("UPDATE meetings SET timer_end = ? WHERE id = ?", [ends_at, meeting_id])


def set_admission(db, meeting_id, mode) -> None:
    db.execute("UPDATE meetings SET admission = ?, admit_by_hand = ? WHERE id = ?",
               ["locked" if mode == "locked" else "open", int(mode == "manual"), meeting_id])


def set_notice(db, meeting_id, text) -> None:
    db.execute("UPDATE meetings SET notice = ? WHERE id = ?", [text or None, meeting_id])


def decide_admission(db, meeting_id, participant_id, admit: bool) -> bool:
    """Admit or refuse someone waiting; False when nobody of that id waits."""
    found = db.execute("UPDATE participants SET admitted = ? WHERE id = ? AND meeting_id = ? AND admitted = ?",
                       [1 if admit else REFUSED, participant_id, meeting_id, WAITING])
    return bool(found.rowcount)


def remove_participant(db, meeting_id, participant_id) -> bool:
    """Take someone out of a meeting: their device link stops working (admitted = refused)."""
    found = db.execute("UPDATE participants SET admitted = ? WHERE id = ? AND meeting_id = ? AND admitted = 1",
                       [REFUSED, participant_id, meeting_id])
    return bool(found.rowcount)


# the event log ---------------------------------------------------------------

def event_by_client_id(db, stream, actor_key, client_id):
    """(seq, data) of the event a client id already made in a stream, or None."""
    found = db.execute("SELECT seq, data FROM events WHERE stream = ? AND actor = ? AND client_id = ?",
                       [stream, actor_key, client_id]).fetchone()
    return (found[0], loads(found[1], {})) if found else None


def append_event(db, stream, *, meeting_id, item_id, actor_key, network_id, type, payload, client_id,
                 audience, data=None) -> int:
    """The next sequence of ``stream``, and the event stored under it (inside the action's transaction)."""
    db.execute("INSERT INTO streams (key, seq) VALUES (?, 1) "
               "ON CONFLICT (key) DO UPDATE SET seq = seq + 1", [stream])
    seq = db.execute("SELECT seq FROM streams WHERE key = ?", [stream]).fetchone()[0]
    db.execute(
        "INSERT INTO events (stream, seq, meeting_id, item_id, actor, network_id, type, payload,"
        " client_id, audience, data, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [stream, seq, meeting_id, item_id, actor_key, network_id, type, dumps(payload), client_id,
         ",".join(audience), dumps(data) if data else None, time.time()],
    )
    return seq


def stream_seq(db, stream) -> int:
    found = db.execute("SELECT seq FROM streams WHERE key = ?", [stream]).fetchone()
    return found[0] if found else 0


def events_since(db, stream, since):
    """(seq, item, type, audience rooms) of the events of ``stream`` after ``since``."""
    return [(seq, item_id, type_, audience.split(",")) for seq, item_id, type_, audience in db.execute(
        "SELECT seq, item_id, type, audience FROM events WHERE stream = ? AND seq > ? ORDER BY seq",
        [stream, since])]


def events_of_actor(db, actor_key):
    return rows(db, "SELECT seq, item_id, type, payload, created_at FROM events WHERE actor = ? ORDER BY seq",
                [actor_key])


def events_mentioning(db, meeting_id, needles: list[str]):
    clause = " OR ".join(f"instr({c}, ?) > 0" for c in ("payload", "data") for _ in needles)
    return db.execute(f"SELECT id, payload, data FROM events WHERE meeting_id = ? AND ({clause})",
                      [meeting_id, *needles, *needles]).fetchall()


def rewrite_event(db, event_id, payload, data) -> None:
    db.execute("UPDATE events SET payload = ?, data = ? WHERE id = ?",
               [dumps(payload), dumps(data) if data is not None else None, event_id])


# exercise state: key-value rows per space --------------------------------------

def state_value(db, space, key):
    found = db.execute("SELECT value FROM exercise_state WHERE space = ? AND key = ?", [space, key]).fetchone()
    return loads(found[0]) if found else None


def state_items(db, space, prefix: str = ""):
    """(key, value) of a space, every key or those starting with ``prefix``."""
    if not prefix:
        cursor = db.execute("SELECT key, value FROM exercise_state WHERE space = ?", [space])
    else:
        cursor = db.execute("SELECT key, value FROM exercise_state WHERE space = ? AND key >= ? AND key < ?",
                            [space, prefix, prefix + "\U0010ffff"])
    return [(key, loads(value)) for key, value in cursor]


def write_state(db, space, changes: dict) -> None:
    for key, value in changes.items():
        if value is None:
            db.execute("DELETE FROM exercise_state WHERE space = ? AND key = ?", [space, key])
        else:
            db.execute(
                "INSERT INTO exercise_state (space, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT (space, key) DO UPDATE SET value = excluded.value",
                [space, key, dumps(value)],
            )


def clear_state(db, space) -> None:
    db.execute("DELETE FROM exercise_state WHERE space = ?", [space])


def state_mentioning(db, item_id, needles: list[str]):
    """(space, key, value) of an item's state rows (every team's too) containing one of ``needles``."""
    clause = " OR ".join("instr(value, ?) > 0" for _ in needles)
    return db.execute(
        f"SELECT space, key, value FROM exercise_state WHERE (space = ? OR space LIKE ?) AND ({clause})",
        [f"i{item_id}", f"i{item_id}:%", *needles]).fetchall()


def rewrite_state(db, space, key, value) -> None:
    db.execute("UPDATE exercise_state SET value = ? WHERE space = ? AND key = ?", [dumps(value), space, key])


def attendance_of(db, participant_id):
    return rows(db, "SELECT joined_at, left_at FROM attendance WHERE participant_id = ? ORDER BY joined_at",
                [participant_id])


def item_ids_of_meeting(db, meeting_id) -> list[int]:
    return [r[0] for r in db.execute("SELECT id FROM agenda_items WHERE meeting_id = ?", [meeting_id])]


def erase_person(db, participant_id, pseudonym) -> None:
    db.execute("UPDATE participants SET name = ?, organisation = '', token_hash = ?, erased_at = ? WHERE id = ?",
               [pseudonym, hash_token(new_token()), now_iso(), participant_id])


def participants_older_than(db, cutoff_iso) -> list[int]:
    return [r[0] for r in db.execute(
        """SELECT p.id FROM participants p JOIN meetings m ON m.id = p.meeting_id
           WHERE p.erased_at IS NULL AND coalesce(m.ended_at, m.started_at, m.created_at) < ?""",
        [cutoff_iso]).fetchall()]
# facilitator sessions ----------------------------------------------------------
# Only the hash of a session's token is stored; the token lives in the signed session cookie.

def add_facilitator_session(db, facilitator_id, now: float) -> str:
    """A new session of this account; return its token (for the session cookie)."""
    token = new_token()
    db.execute("INSERT INTO facilitator_sessions (token_hash, facilitator_id, created_at, seen_at)"
               " VALUES (?, ?, ?, ?)", [hash_token(token), facilitator_id, now, now])
    return token


def facilitator_session(db, token):
    if not isinstance(token, str) or not token or len(token) > 100:
        return None
    return row(db, "SELECT * FROM facilitator_sessions WHERE token_hash = ?", [hash_token(token)])


def touch_facilitator_session(db, token, now: float) -> None:
    db.execute("UPDATE facilitator_sessions SET seen_at = ? WHERE token_hash = ?", [now, hash_token(token)])


def end_facilitator_session(db, token) -> None:
    if isinstance(token, str) and token:
        db.execute("DELETE FROM facilitator_sessions WHERE token_hash = ?", [hash_token(token)])


def end_facilitator_sessions(db, facilitator_id) -> None:
    """Every session of the account ends (log out everywhere, password changed)."""
    db.execute("DELETE FROM facilitator_sessions WHERE facilitator_id = ?", [facilitator_id])


def forget_stale_sessions(db, idle_before: float, created_before: float) -> None:
    db.execute("DELETE FROM facilitator_sessions WHERE seen_at < ? OR created_at < ?", [idle_before, created_before])


def facilitator_session_count(db, facilitator_id) -> int:
    return db.execute("SELECT count(*) FROM facilitator_sessions WHERE facilitator_id = ?",
                      [facilitator_id]).fetchone()[0]


def facilitator(db, facilitator_id):
    return row(db, "SELECT * FROM facilitators WHERE id = ?", [facilitator_id])


# reports: what the dashboard, the e-book and the exports read ------------------------------
# A meeting's date is the one the facilitator planned (local time), else the day it started.

MEETING_DATE = "substr(coalesce(nullif(m.starts_at, ''), m.started_at, m.created_at), 1, 10)"


def held_meetings(db, lab_id=None, since=None, until=None, meeting_ids=None):
    """Meetings that were started (live or ended), oldest first, with their lab's title and their
    date (``date``, ``YYYY-MM-DD``); optionally of one lab, within dates (inclusive), or by id."""
    where, params = ["m.started_at IS NOT NULL"], []
    if lab_id is not None:
        where.append("m.lab_id = ?")
        params.append(lab_id)
    if since:
        where.append(f"{MEETING_DATE} >= ?")
        params.append(since)
    if until:
        where.append(f"{MEETING_DATE} <= ?")
        params.append(until)
    if meeting_ids is not None:
        where.append(f"m.id IN ({','.join('?' * len(meeting_ids))})")
        params += list(meeting_ids)
    return rows(db, f"""SELECT m.*, l.title AS lab_title, {MEETING_DATE} AS date
                        FROM meetings m JOIN labs l ON l.id = m.lab_id
                        WHERE {' AND '.join(where)} ORDER BY date, m.starts_at, m.id""", params)


def _in(column: str, ids) -> tuple[str, list]:
    ids = list(ids)
    return f"{column} IN ({','.join('?' * len(ids))})" if ids else "0", ids


def participants_of_meetings(db, meeting_ids):
    """Admitted participants of these meetings, with their network's name."""
    clause, params = _in("p.meeting_id", meeting_ids)
    return rows(db, f"""SELECT p.id, p.meeting_id, p.name, p.organisation, p.profession, p.network_id, p.team,
                               p.erased_at, n.name AS network
                        FROM participants p LEFT JOIN networks n ON n.id = p.network_id
                        WHERE {clause} AND p.admitted = 1 ORDER BY p.meeting_id, n.name, p.id""", params)


def attendance_of_meetings(db, meeting_ids):
    """Every connection's join and leave time (seconds since the epoch) in these meetings."""
    clause, params = _in("meeting_id", meeting_ids)
    return rows(db, f"""SELECT participant_id, meeting_id, joined_at, left_at FROM attendance
                        WHERE {clause} ORDER BY participant_id, joined_at""", params)


def network_count(db) -> int:
    return db.execute("SELECT count(*) FROM networks").fetchone()[0]


def all_participants_of_meeting(db, meeting_id):
    """Everyone who signed in to a meeting, admitted or not (raw data exports)."""
    return rows(db, """SELECT p.id, p.name, p.organisation, p.profession, p.network_id, n.name AS network, p.team,
                              p.admitted, p.created_at, p.erased_at
                       FROM participants p LEFT JOIN networks n ON n.id = p.network_id
                       WHERE p.meeting_id = ? ORDER BY p.id""", [meeting_id])


def events_of_meeting(db, meeting_id):
    """The meeting's event log, in order: every accepted action and control."""
    return rows(db, """SELECT seq, item_id, actor, network_id, type, payload, client_id, audience, data, created_at
                       FROM events WHERE meeting_id = ? ORDER BY stream, seq""", [meeting_id])


def set_meeting_times(db, meeting_id, started_at, ended_at) -> None:
    """When a meeting started and ended (ISO UTC): for meetings entered after the fact, and seeds."""
    db.execute("UPDATE meetings SET started_at = ?, ended_at = ?, state = ? WHERE id = ?",
               [started_at, ended_at, "ended" if ended_at else "live", meeting_id])


def add_attendance(db, participant_id, meeting_id, joined_at: float, left_at: float | None, sid="") -> None:
    """One connection with known times (seeds and imports; live connections use ``open_attendance``)."""
    db["attendance"].insert({"participant_id": participant_id, "meeting_id": meeting_id, "sid": sid or "import",
                             "joined_at": joined_at, "left_at": left_at})


def set_profession(db, participant_id, profession) -> None:
    db.execute("UPDATE participants SET profession = ? WHERE id = ?", [profession or "", participant_id])


# report jobs: PDFs built by a separate process, progress read by the pages ------------------

def add_report_job(db, kind, subject_id, options, requested_by) -> int:
    return db["report_jobs"].insert({"kind": kind, "subject_id": subject_id, "options": dumps(options),
                                     "requested_by": requested_by}).last_pk


def report_job(db, job_id):
    found = row(db, "SELECT * FROM report_jobs WHERE id = ?", [job_id])
    if found:
        found["options"] = loads(found["options"], {})
    return found


def report_jobs_of(db, kind, subject_id, limit=5):
    return rows(db, "SELECT * FROM report_jobs WHERE kind = ? AND subject_id = ? ORDER BY id DESC LIMIT ?",
                [kind, subject_id, limit])


def fail_stale_report_jobs(db, heartbeat_before: float, message: str) -> None:
    """Running jobs whose builder stopped beating (its process died) are failed."""
    db.execute("UPDATE report_jobs SET state = 'failed', error = ?, finished_at = ? "
               "WHERE state = 'running' AND coalesce(heartbeat, 0) < ?", [message, now_iso(), heartbeat_before])


def claim_report_job(db, max_running: int, now: float):
    """The oldest queued job, now running, if fewer than ``max_running`` run (inside a transaction)."""
    running = db.execute("SELECT count(*) FROM report_jobs WHERE state = 'running'").fetchone()[0]
    if running >= max_running:
        return None
    found = db.execute("SELECT id FROM report_jobs WHERE state = 'queued' ORDER BY id LIMIT 1").fetchone()
    if not found:
        return None
    db.execute("UPDATE report_jobs SET state = 'running', heartbeat = ?, progress = 1 WHERE id = ?", [now, found[0]])
    return report_job(db, found[0])


def report_progress(db, job_id, progress: int, step: str, now: float) -> None:
    db.execute("UPDATE report_jobs SET progress = ?, step = ?, heartbeat = ? WHERE id = ? AND state = 'running'",
               [progress, step, now, job_id])


def finish_report_job(db, job_id, file, size, pages) -> None:
    db.execute("UPDATE report_jobs SET state = 'done', progress = 100, step = '', file = ?, size = ?, pages = ?,"
               " finished_at = ? WHERE id = ?", [file, size, pages, now_iso(), job_id])


def older_report_files(db, kind, subject_id, keep: int) -> list[tuple[int, str]]:
    """(id, file) of a subject's built PDFs older than its ``keep`` newest."""
    return [(r[0], r[1]) for r in db.execute(
        "SELECT id, file FROM report_jobs WHERE kind = ? AND subject_id = ? AND file IS NOT NULL"
        " ORDER BY id DESC LIMIT -1 OFFSET ?", [kind, subject_id, keep])]


def forget_report_file(db, job_id) -> None:
    db.execute("UPDATE report_jobs SET file = NULL WHERE id = ?", [job_id])


def fail_report_job(db, job_id, message) -> None:
    db.execute("UPDATE report_jobs SET state = 'failed', error = ?, finished_at = ? WHERE id = ?",
               [message, now_iso(), job_id])


# API tokens: a facilitator's, for the read API; only the hash is stored ----------------------

API_TOKEN_PREFIX = "fapi_"


def add_api_token(db, facilitator_id, name) -> tuple[int, str]:
    """A new token of this account; returns (id, the secret), the secret shown once."""
    token = API_TOKEN_PREFIX + new_token()
    token_id = db["api_tokens"].insert({"facilitator_id": facilitator_id, "name": name,
                                        "token_hash": hash_token(token)}).last_pk
    return token_id, token


def api_tokens_of(db, facilitator_id):
    return rows(db, """SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens
                       WHERE facilitator_id = ? ORDER BY revoked_at IS NOT NULL, id DESC""", [facilitator_id])


def api_token_by_secret(db, token):
    """The active token of this secret, with its account, or None."""
    if not isinstance(token, str) or not token.startswith(API_TOKEN_PREFIX) or len(token) > 100:
        return None
    return row(db, "SELECT * FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL", [hash_token(token)])


def touch_api_token(db, token_id) -> None:
    db.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", [now_iso(), token_id])


def revoke_api_token(db, facilitator_id, token_id) -> bool:
    found = db.execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND facilitator_id = ? "
                       "AND revoked_at IS NULL", [now_iso(), token_id, facilitator_id])
    return bool(found.rowcount)
