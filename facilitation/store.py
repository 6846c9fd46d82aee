"""Reads and writes of the core tables. Views and the live engine call these."""

from __future__ import annotations

import hashlib
import secrets
import time

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


def lab(db, lab_id):
    return row(db, "SELECT * FROM labs WHERE id = ?", [lab_id])


def lab_networks(db, lab_id):
    return rows(
        db,
        """SELECT networks.* FROM networks JOIN lab_networks ON lab_networks.network_id = networks.id
           WHERE lab_networks.lab_id = ? ORDER BY networks.name""",
        [lab_id],
    )


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


# participants --------------------------------------------------------------

def add_participant(db, meeting_id, name, organisation, network_id, admitted=True):
    token = new_token()
    pid = db["participants"].insert(
        {"meeting_id": meeting_id, "name": name, "organisation": organisation,
         "network_id": network_id, "team": team_of_network(db, meeting_id, network_id),
         "token_hash": hash_token(token), "admitted": 1 if admitted else 0}
    ).last_pk
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
    db["attendance"].insert({"participant_id": participant_id, "meeting_id": meeting_id,
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


# artifacts -----------------------------------------------------------------

def add_artifact(db, *, network_id, lab_id, meeting_id, item_id, exercise_type, title, data):
    version = db.execute(
        "SELECT coalesce(max(version), 0) + 1 FROM artifacts WHERE network_id = ? AND item_id IS ?",
        [network_id, item_id],
    ).fetchone()[0]
    return db["artifacts"].insert(
        {"network_id": network_id, "lab_id": lab_id, "meeting_id": meeting_id, "item_id": item_id,
         "exercise_type": exercise_type, "title": title, "version": version, "data": dumps(data)}
    ).last_pk


def artifacts_of_network(db, network_id):
    """The latest version of each artifact of a network, with lab and meeting titles."""
    found = rows(
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
    )
    for a in found:
        a["data"] = loads(a["data"], {})
    return found


def latest_artifact(db, network_id, exercise_type):
    """The newest artifact of one exercise type for a network, or None."""
    found = row(db, "SELECT * FROM artifacts WHERE network_id = ? AND exercise_type = ? ORDER BY id DESC LIMIT 1",
                [network_id, exercise_type])
    if found:
        found["data"] = loads(found["data"], {})
    return found


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


def networks_present(db, meeting_id):
    return [r[0] for r in db.execute(
        "SELECT DISTINCT network_id FROM participants WHERE meeting_id = ? AND network_id IS NOT NULL",
        [meeting_id]).fetchall()]
