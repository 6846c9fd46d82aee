"""Backups of a live database, taken during a vote burst, and their restoration."""

import sqlite3
import threading

import pytest

from facilitation.backup import BackupError, backup, check_database

from .liveserver import LiveServer, facilitator, join_participants
from .scenarios import start_poll, tally_mismatch, vote_burst


def consistent(path: str, item: int) -> int:
    """A copy is consistent when the sequence counter matches the event log and the
    tallies match the stored answers. Returns the number of events."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        seq = conn.execute("SELECT seq FROM streams").fetchone()
        events = conn.execute("SELECT count(*), max(seq) FROM events").fetchone()
        assert seq is None or (seq[0] == events[1] == events[0]), (seq, events)
        assert tally_mismatch(conn, item) is None
        return events[0]
    finally:
        conn.close()


def test_backup_during_a_write_burst_is_consistent_and_restores(tmp_path):
    server = LiveServer(tmp_path / "instance")
    seed = server.seed(polls=1)
    item = seed["items"][0]
    server.start()
    try:
        fac = facilitator(server, seed)
        start_poll(fac, item)
        clients = join_participants(server, seed, 4)
        acks: dict = {}
        threads = vote_burst(clients, item, 12, acks, pause=0.1)
        copies = []
        while any(t.is_alive() for t in threads):
            path = tmp_path / f"copy{len(copies)}.db"
            backup(str(server.db_path), str(path))  # what `facilitation backup` runs, without its start-up time
            copies.append(path)
        for t in threads:
            t.join()
        sizes = [consistent(str(p), item) for p in copies]
        assert len(copies) >= 2 and sizes == sorted(sizes), sizes
        final = tmp_path / "final.db"
        print(server.run("backup", str(final)))
        stored = consistent(str(final), item)
        # A server is running: restore refuses, and says why.
        with pytest.raises(RuntimeError, match="server is using"):
            server.run("restore", str(copies[0]))
        for c in [*clients, fac]:
            c.close()
    finally:
        server.stop()
    # Stopped: the first copy comes back, then the final one.
    server.run("restore", str(copies[0]))
    assert consistent(str(server.db_path), item) == sizes[0]
    server.run("restore", str(final))
    assert consistent(str(server.db_path), item) == stored
    server.start()
    try:
        fac = facilitator(server, seed)
        assert fac.control("timer", seconds=60)["ok"], "the restored meeting goes on"
        fac.close()
    finally:
        server.stop()


def test_restore_refuses_what_is_not_a_facilitation_database(tmp_path):
    not_db = tmp_path / "notes.txt"
    not_db.write_text("hello")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    for path in (not_db, other, tmp_path / "missing.db"):
        with pytest.raises(BackupError):
            check_database(str(path))
    with pytest.raises(BackupError, match="exists"):
        backup(str(other), str(not_db))


def test_the_serving_lock_is_released_by_a_crash(tmp_path):
    from facilitation.backup import in_use, serving_lock

    database = str(tmp_path / "x.db")
    done = threading.Event()
    with serving_lock(database):
        assert in_use(database)
        done.set()
    assert not in_use(database)
