"""Scenarios on the real server, shared by tests (quick) and bench/ (full size):
a vote burst with a SIGKILL in the middle, and the checks against the acks."""

from __future__ import annotations

import json
import random
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .liveserver import LiveClient, LiveServer, wait_until


@dataclass
class Tally:
    acked: int = 0
    stored: int = 0
    lost: int = 0
    doubled: int = 0
    not_sent: int = 0
    refused: int = 0
    problems: list[str] = field(default_factory=list)

    def count_stored(self, conn: sqlite3.Connection, cid: str) -> None:
        """One acked action, looked up by its client id: stored once, lost or doubled."""
        self.acked += 1
        count = conn.execute("SELECT count(*) FROM events WHERE client_id = ?", [cid]).fetchone()[0]
        self.stored += min(count, 1)
        self.lost += count == 0
        self.doubled += max(0, count - 1)

    def add(self, other: Tally) -> None:
        for name in ("acked", "stored", "lost", "doubled", "not_sent", "refused"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.problems += other.problems


def vote_burst(clients: list[LiveClient], item: int, votes: int, acks: dict, pause: float = 0.05,
               canvas: bool = False) -> list:
    """Start one thread per client casting ``votes`` votes (or, with ``canvas``, adding as many
    strategies to their team's squad canvas); acks[client] collects (cid, seq, value or unit id)."""
    def cast(client):
        rng = random.Random()
        for _ in range(votes):
            value = uuid.uuid4().hex[:12] if canvas else rng.randrange(4)
            ack = client.add_strategy(item, value) if canvas else client.vote(item, value)
            if ack.get("ok"):
                acks[client].append((ack["cid"], ack["seq"], value))
            elif ack["error"]["code"] == "not_sent":
                acks.setdefault("not_sent", []).append(ack["cid"])
            else:
                acks.setdefault("refused", []).append(ack)
            time.sleep(pause)

    threads = [threading.Thread(target=cast, args=(c,), daemon=True) for c in clients]
    for c in clients:
        acks.setdefault(c, [])
    for t in threads:
        t.start()
    return threads


def crash_round(server: LiveServer, seed: dict, clients: list[LiveClient], fac: LiveClient, *, votes: int = 12,
                kill_after: float | None = None, down_for: float = 0.3, canvas: bool = False) -> Tally:
    """A vote burst (or a canvas editing burst); SIGKILL the server in the middle; restart it;
    let the burst finish; check."""
    item = seed["squad"] if canvas else seed["items"][0]
    earlier = canvas_units(server.db_path, item) if canvas else set()
    acks: dict = {}
    before = {c: c.snapshots for c in clients}
    threads = vote_burst(clients, item, votes, acks, canvas=canvas)
    time.sleep(kill_after if kill_after is not None else random.uniform(0.2, 0.8))
    server.restart(down_for)
    for t in threads:
        t.join(120)
    if canvas:
        tally = check_edits(server.db_path, {c: acks[c] for c in clients}, item, earlier)
    else:
        tally = check_acks(server.db_path, {c: acks[c] for c in clients}, item)
    tally.not_sent = len(acks.get("not_sent", []))
    tally.refused = len(acks.get("refused", []))
    # Clients came back by themselves and got a fresh snapshot at least as new as their acks.
    for c in clients:
        if not wait_until(lambda c=c: c.sio.connected and c.snapshots > before[c], 20):
            tally.problems.append(f"a client did not reconnect (snapshots {c.snapshots})")
        last = max((seq for _, seq, _ in acks[c]), default=0)
        if c.seq < last:
            tally.problems.append(f"client seq {c.seq} behind its own ack {last}")
    # The meeting goes on: a control after the restart reaches every participant.
    if not wait_until(lambda: fac.sio.connected, 20):
        tally.problems.append("the console did not reconnect")
    marks = {c: len(c.events) for c in clients}
    ack = fac.control("timer", seconds=60 + random.randrange(100))
    if not ack.get("ok"):
        tally.problems.append(f"control after restart refused: {ack}")
    for c in clients:
        if not wait_until(lambda c=c: any(n == "meeting" for n, _ in c.events[marks[c]:]), 10):
            tally.problems.append("a participant did not receive the meeting update after the restart")
    return tally


def check_acks(database: Path, acks: dict, item: int) -> Tally:
    """Every acked cid stored exactly once; each person's stored answer is their last acked
    one; tallies agree with the answers (an action applied twice would skew them)."""
    tally = Tally()
    conn = sqlite3.connect(database, timeout=30)
    try:
        for client, entries in acks.items():
            for cid, _seq, _value in entries:
                tally.count_stored(conn, cid)
            if entries:
                pid = client.last_snapshot["me"]["id"]
                found = conn.execute("SELECT value FROM exercise_state WHERE space = ? AND key = ?",
                                     [f"i{item}", f"a:{pid}"]).fetchone()
                last_value = max(entries, key=lambda e: e[1])[2]
                if found is None or json.loads(found[0])["v"] != last_value:
                    tally.problems.append(f"participant {pid}: stored {found and found[0]}, last acked {last_value}")
        mismatch = tally_mismatch(conn, item)
        if mismatch:
            tally.doubled += 1
            tally.problems.append(mismatch)
    finally:
        conn.close()
    return tally


def tally_mismatch(conn: sqlite3.Connection, item: int) -> str | None:
    """How a poll's stored tally disagrees with its stored answers, or None if it agrees."""
    answers = [json.loads(v)["v"] for (v,) in conn.execute(
        "SELECT value FROM exercise_state WHERE space = ? AND key LIKE 'a:%'", [f"i{item}"])]
    if not answers:
        return None
    stored = conn.execute("SELECT value FROM exercise_state WHERE space = ? AND key = 't'", [f"i{item}"]).fetchone()
    t = json.loads(stored[0])
    expected = [answers.count(i) for i in range(len(t["c"]))]
    if t["c"] != expected or t["n"] != len(answers):
        return f"tally {t} does not match the answers {expected}"
    return None


def canvas_units(database: Path, item: int) -> set[tuple[str, str]]:
    """(space, key) of every strategy in the teams' canvases of a squad item."""
    conn = sqlite3.connect(database, timeout=30)
    try:
        return set(conn.execute("SELECT space, key FROM exercise_state WHERE space LIKE ? AND key LIKE 's:%'",
                                [f"i{item}:%"]).fetchall())
    finally:
        conn.close()


def check_edits(database: Path, acks: dict, item: int, earlier: set = frozenset()) -> Tally:
    """Every acked canvas edit stored once, and its unit in the canvas of the sender's team,
    once; no new unit nobody acked (``earlier`` ones were there before the burst)."""
    tally = Tally()
    conn = sqlite3.connect(database, timeout=30)
    try:
        expected: dict[str, set] = {}
        for client, entries in acks.items():
            team = client.last_snapshot["me"]["team"]
            for cid, _seq, unit_id in entries:
                tally.count_stored(conn, cid)
                expected.setdefault(team, set()).add(f"s:{unit_id}")
        for team, keys in expected.items():
            stored = {k for (k,) in conn.execute(
                "SELECT key FROM exercise_state WHERE space = ? AND key LIKE 's:%'", [f"i{item}:{team}"])}
            stored -= {k for space, k in earlier if space == f"i{item}:{team}"}
            if keys - stored:
                tally.problems.append(f"team {team}: acked units missing {sorted(keys - stored)[:3]}")
            if stored - keys:
                tally.problems.append(f"team {team}: units nobody acked {sorted(stored - keys)[:3]}")
    finally:
        conn.close()
    return tally


def start_poll(fac: LiveClient, item: int) -> None:
    for cmd, extra in (("start", {}), ("open", {"item": item})):
        ack = fac.control(cmd, **extra)
        assert ack.get("ok"), ack
