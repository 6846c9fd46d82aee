"""The core schema, as sqlite-utils migrations. Never drop a table to migrate."""

import sqlite3

from sqlite_utils import Migrations

core = Migrations("facilitation.core")


def run_script(db, script: str) -> None:
    """Run SQL statements one by one inside the migration's transaction
    (``executescript`` would commit it)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement!r}")


@core()
def m001_initial(db):
    run_script(
        db,
        """
        CREATE TABLE facilitators (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
        );
        CREATE TABLE networks (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            lead_body TEXT NOT NULL DEFAULT '',
            territory TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
        );
        CREATE TABLE labs (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            theme TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            created_by INTEGER REFERENCES facilitators(id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
        );
        CREATE TABLE lab_networks (
            lab_id INTEGER NOT NULL REFERENCES labs(id) ON DELETE CASCADE,
            network_id INTEGER NOT NULL REFERENCES networks(id),
            PRIMARY KEY (lab_id, network_id)
        ) WITHOUT ROWID;
        CREATE TABLE meetings (
            id INTEGER PRIMARY KEY,
            lab_id INTEGER NOT NULL REFERENCES labs(id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            starts_at TEXT NOT NULL DEFAULT '',
            duration_min INTEGER NOT NULL DEFAULT 240,
            state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft','live','ended')),
            join_code TEXT NOT NULL UNIQUE,
            current_item_id INTEGER,
            timer_end REAL,
            admission TEXT NOT NULL DEFAULT 'open' CHECK (admission IN ('open','locked')),
            started_at TEXT,
            ended_at TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
        );
        CREATE INDEX meetings_lab ON meetings(lab_id);
        CREATE TABLE agenda_items (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            exercise_type TEXT NOT NULL,
            config TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','open','locked')),
            revealed INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
        );
        CREATE INDEX agenda_meeting ON agenda_items(meeting_id, position);
        CREATE TABLE participants (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            organisation TEXT NOT NULL DEFAULT '',
            network_id INTEGER REFERENCES networks(id),
            team TEXT,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
        );
        CREATE INDEX participants_meeting ON participants(meeting_id, network_id);
        CREATE TABLE attendance (
            id INTEGER PRIMARY KEY,
            participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            sid TEXT NOT NULL,
            joined_at REAL NOT NULL,
            left_at REAL
        );
        CREATE INDEX attendance_open ON attendance(meeting_id, left_at);
        CREATE INDEX attendance_participant ON attendance(participant_id);
        CREATE INDEX attendance_sid ON attendance(sid);
        CREATE TABLE streams (
            key TEXT PRIMARY KEY,
            seq INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            stream TEXT NOT NULL,
            seq INTEGER NOT NULL,
            meeting_id INTEGER,
            item_id INTEGER,
            actor TEXT NOT NULL,
            network_id INTEGER,
            type TEXT NOT NULL,
            payload TEXT NOT NULL,
            client_id TEXT,
            audience TEXT NOT NULL DEFAULT '',
            data TEXT,
            created_at REAL NOT NULL
        );
        CREATE UNIQUE INDEX events_seq ON events(stream, seq);
        CREATE UNIQUE INDEX events_client ON events(stream, actor, client_id) WHERE client_id IS NOT NULL;
        CREATE INDEX events_item ON events(item_id);
        CREATE TABLE exercise_state (
            space TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (space, key)
        ) WITHOUT ROWID;
        CREATE TABLE artifacts (
            id INTEGER PRIMARY KEY,
            network_id INTEGER NOT NULL REFERENCES networks(id),
            lab_id INTEGER REFERENCES labs(id) ON DELETE SET NULL,
            meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
            item_id INTEGER REFERENCES agenda_items(id) ON DELETE SET NULL,
            exercise_type TEXT NOT NULL,
            title TEXT NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
        );
        CREATE UNIQUE INDEX artifacts_version ON artifacts(network_id, item_id, version);
        CREATE INDEX artifacts_network ON artifacts(network_id, lab_id, meeting_id);
        CREATE TRIGGER artifacts_immutable BEFORE UPDATE ON artifacts
        BEGIN SELECT RAISE(ABORT, 'artifacts are immutable'); END;
        """
    )


@core()
def m002_network_links_and_teams(db):
    run_script(
        db,
        """
        CREATE TABLE network_links (
            id INTEGER PRIMARY KEY,
            network_id INTEGER NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
            token_hash TEXT NOT NULL UNIQUE,
            created_by INTEGER REFERENCES facilitators(id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
            revoked_at TEXT
        );
        CREATE INDEX network_links_network ON network_links(network_id, revoked_at);
        CREATE TABLE meeting_teams (
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            network_id INTEGER NOT NULL REFERENCES networks(id),
            team TEXT NOT NULL,
            PRIMARY KEY (meeting_id, network_id)
        ) WITHOUT ROWID;
        ALTER TABLE meetings ADD COLUMN notice TEXT;
        """
    )


@core()
def m003_privacy_and_admission(db):
    """Erased or pseudonymised participants are marked; meetings can admit people by hand.

    Admission by hand is a flag beside ``admission`` (whose CHECK cannot be
    altered in place): new participants wait until a facilitator decides."""
    run_script(
        db,
        """
        ALTER TABLE participants ADD COLUMN erased_at TEXT;
        ALTER TABLE participants ADD COLUMN admitted INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE meetings ADD COLUMN admit_by_hand INTEGER NOT NULL DEFAULT 0;
        """
    )


@core()
def m004_failed_attempts(db):
    """Failed logins and wrong meeting codes, shared by every server process (keys hashed,
    rows deleted once out of their window)."""
    run_script(
        db,
        """
        CREATE TABLE failed_attempts (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            at REAL NOT NULL
        );
        CREATE INDEX failed_attempts_key ON failed_attempts(kind, key, at);
        """
    )


@core()
def m005_facilitator_sessions(db):
    """Facilitator sessions the server can end: the session cookie names one of these rows (by the
    hash of its token), and a request whose row is gone, idle or too old is logged out."""
    run_script(
        db,
        """
        CREATE TABLE facilitator_sessions (
            token_hash TEXT PRIMARY KEY,
            facilitator_id INTEGER NOT NULL REFERENCES facilitators(id) ON DELETE CASCADE,
            created_at REAL NOT NULL,
            seen_at REAL NOT NULL
        );
        CREATE INDEX facilitator_sessions_account ON facilitator_sessions(facilitator_id);
        """
    )


@core()
def m006_network_link_secrets(db):
    """The secret of a network link, encrypted (see ``linkseal``), so it can be shown again.
    Links issued before this have none: the facilitator issues a new one to see it."""
    run_script(db, "ALTER TABLE network_links ADD COLUMN secret_sealed TEXT;")


@core()
def m007_agenda_templates(db):
    """Agendas kept to be used again: each item an exercise type and its configuration (JSON), so
    a template naming an exercise that is not installed stays whole and shows that item as such."""
    run_script(
        db,
        """
        CREATE TABLE agenda_templates (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            items TEXT NOT NULL DEFAULT '[]',
            created_by INTEGER REFERENCES facilitators(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
        );
        """
    )


@core()
def m008_reports_and_api_tokens(db):
    """Reports built off the live server (``report_jobs``: what to build, its progress, its file),
    facilitators' API tokens (only their hash), and a participant's profession (optional, for
    the programme's figures)."""
    run_script(
        db,
        """
        CREATE TABLE report_jobs (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('ebook', 'dossier')),
            subject_id INTEGER NOT NULL,
            options TEXT NOT NULL DEFAULT '{}',
            requested_by TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
            progress INTEGER NOT NULL DEFAULT 0,
            step TEXT NOT NULL DEFAULT '',
            file TEXT,
            size INTEGER,
            pages INTEGER,
            error TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
            heartbeat REAL,
            finished_at TEXT
        );
        CREATE INDEX report_jobs_state ON report_jobs(state, id);
        CREATE INDEX report_jobs_subject ON report_jobs(kind, subject_id, id);
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            facilitator_id INTEGER NOT NULL REFERENCES facilitators(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
            last_used_at TEXT,
            revoked_at TEXT
        );
        CREATE INDEX api_tokens_account ON api_tokens(facilitator_id, revoked_at);
        ALTER TABLE participants ADD COLUMN profession TEXT NOT NULL DEFAULT '';
        """
    )
