"""The embedded SQLite database: connections, pragmas, transactions, migrations.

Every connection runs in WAL mode with a busy timeout and foreign keys on.
Connections are pooled per app; ``get_db()`` borrows one for the current app
context and gives it back at teardown.
"""

from __future__ import annotations

import contextlib
import json
import queue
import sqlite3
import time

import click
import sqlite_utils
from flask import current_app, g

from .migrations import core as core_migrations

BUSY_TIMEOUT_MS = 5000
# How long a write waits for another server process' write lock before giving up
# (the live side then answers `busy`, and the browser sends the action again);
# the app's WRITE_WAIT_SECONDS sets it for the connections of its pool.
WRITE_WAIT_S = 15.0


def connect(path: str, synchronous: str = "NORMAL", write_wait: float = WRITE_WAIT_S) -> sqlite_utils.Database:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                           isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    conn.execute("PRAGMA foreign_keys = ON")
    db = sqlite_utils.Database(conn, execute_plugins=False)
    db.write_wait = write_wait
    return db


class Pool:
    """A few open connections, reused across requests and socket events."""

    def __init__(self, path: str, synchronous: str, size: int = 8, write_wait: float = WRITE_WAIT_S):
        self.path, self.synchronous, self.write_wait = path, synchronous, write_wait
        self._free: queue.LifoQueue = queue.LifoQueue(maxsize=size)

    def get(self) -> sqlite_utils.Database:
        try:
            return self._free.get_nowait()
        except queue.Empty:
            return connect(self.path, self.synchronous, self.write_wait)

    def put(self, db: sqlite_utils.Database) -> None:
        if db.conn.in_transaction:
            db.conn.rollback()
        try:
            self._free.put_nowait(db)
        except queue.Full:
            db.close()

    def close(self) -> None:
        while True:
            try:
                self._free.get_nowait().close()
            except queue.Empty:
                return


def get_db() -> sqlite_utils.Database:
    if "db" not in g:
        g.db = current_app.extensions["facilitation.pool"].get()
    return g.db


@contextlib.contextmanager
def borrowed(app=None):
    """A connection outside any request (background tasks, CLI)."""
    pool = (app or current_app).extensions["facilitation.pool"]
    db = pool.get()
    try:
        yield db
    finally:
        pool.put(db)


def _release(exc=None):
    db = g.pop("db", None)
    if db is not None:
        current_app.extensions["facilitation.pool"].put(db)


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database):
    """BEGIN IMMEDIATE ... COMMIT: take the write lock up front, so two writers
    never deadlock upgrading a read lock; roll back on any error."""
    _begin_immediate(db.conn, getattr(db, "write_wait", WRITE_WAIT_S))
    try:
        yield db
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


def _begin_immediate(conn: sqlite3.Connection, wait: float) -> None:
    """Wait for the write lock held by another process in Python, not in SQLite's busy
    handler: that one sleeps in C, and under eventlet or gevent it would freeze every
    connection of this process while another server process commits. ``time.sleep``
    is cooperative there (monkey-patched) and an ordinary sleep under threads."""
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        deadline = time.monotonic() + wait
        delay = 0.0005
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(delay)
            delay = min(2 * delay, 0.005)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def migrate(db: sqlite_utils.Database, registry) -> list[str]:
    """Apply pending migrations of the core and of every plugin; return their names."""
    applied = []
    for migrations in [core_migrations, *registry.migrations]:
        pending = [m.name for m in migrations.pending(db)]
        migrations.apply(db)
        applied += [f"{migrations.name}:{name}" for name in pending]
    return applied


def loads(value, default=None):
    if value is None or value == "":
        return default
    return json.loads(value)


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def init_app(app) -> None:
    app.extensions["facilitation.pool"] = Pool(app.config["DATABASE"], app.config["SQLITE_SYNCHRONOUS"],
                                               write_wait=float(app.config["WRITE_WAIT_SECONDS"]))
    app.teardown_appcontext(_release)

    @app.cli.command("migrate")
    def migrate_command():
        """Create or upgrade the database schema."""
        with borrowed(app) as db:
            names = migrate(db, app.extensions["facilitation.registry"])
        click.echo("\n".join(names) or "database is up to date")
