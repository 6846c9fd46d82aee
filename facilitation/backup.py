"""Backups of the live database and their restoration.

``backup`` uses SQLite's online backup API: the copy is one consistent
snapshot even while meetings write (each write is a transaction; the copy
holds whole transactions only). ``restore`` refuses while a server holds the
database (``serving_lock``) unless forced, and only accepts a facilitation DB.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from pathlib import Path

REQUIRED_TABLES = {"_sqlite_migrations", "meetings", "participants", "events", "agenda_items", "streams"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def _lock_path(database: str) -> str:
    return database + ".serving"


@contextlib.contextmanager
def serving_lock(database: str):
    """Held (shared) by every serving process for its lifetime; the OS drops it
    when the process dies, even on SIGKILL, so a stale lock never blocks a restore."""
    fd = os.open(_lock_path(database), os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


def in_use(database: str) -> bool:
    if not os.path.exists(_lock_path(database)):
        return False
    fd = os.open(_lock_path(database), os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def check_database(path: str) -> dict:
    """Open ``path`` read-only and make sure it is an intact facilitation database.
    Returns a few figures (meetings, participants, events)."""
    if not Path(path).is_file():
        raise BackupError(f"{path}: no such file")
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if ok != "ok":
                raise BackupError(f"{path}: the database is damaged ({ok})")
            missing = REQUIRED_TABLES - tables
            if missing:
                raise BackupError(f"{path}: not a facilitation database (no {', '.join(sorted(missing))})")
            if not conn.execute("SELECT 1 FROM _sqlite_migrations WHERE migration_set = 'facilitation.core'"
                                ).fetchone():
                raise BackupError(f"{path}: not a facilitation database (no core migrations)")
            return {name: conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                    for name in ("meetings", "participants", "events")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: not a SQLite database ({exc})") from None


def backup(database: str, target: str, *, overwrite: bool = False) -> dict:
    """Copy the live ``database`` to ``target`` as one self-contained file."""
    if Path(target).exists() and not overwrite:
        raise BackupError(f"{target} exists already")
    if not Path(database).is_file():
        raise BackupError(f"{database}: no database to back up")
    partial = f"{target}.partial"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(partial)
    source = sqlite3.connect(database, timeout=30)
    try:
        dest = sqlite3.connect(partial)
        try:
            source.backup(dest)
            # One file, no -wal beside it: the copy can be moved around alone.
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
    finally:
        source.close()
    figures = check_database(partial)
    os.replace(partial, target)
    return figures


def restore(source: str, database: str, *, force: bool = False) -> dict:
    """Replace ``database`` with the backup ``source``."""
    figures = check_database(source)
    if in_use(database) and not force:
        raise BackupError("a server is using this database: stop it first (or use --force)")
    src = sqlite3.connect(f"file:{Path(source).resolve()}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(database, timeout=30)
        try:
            # Through the backup API rather than a file copy, so the -wal and
            # -shm files of the database being replaced stay coherent.
            src.backup(dest)
        finally:
            dest.close()
    finally:
        src.close()
    return figures
