"""Facilitator accounts: hashed passwords, sessions the server can end, the login decorator
(throttling: throttle.py)."""

from __future__ import annotations

import functools
import secrets
import time

from flask import current_app, redirect, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from . import offload, store
from .db import get_db, transaction

MIN_PASSWORD = 8
# The session cookie's keys that make a facilitator; all leave together when the session ends.
SESSION_KEYS = ("facilitator_id", "facilitator_name", "facilitator_session")
# A session's last use is written at most this often (seconds): idle limits are in hours.
TOUCH_EVERY = 60


def _now() -> float:
    return time.time()


def create_facilitator(db, email: str, name: str, password: str) -> int:
    if len(password) < MIN_PASSWORD:
        raise ValueError("the password needs at least 8 characters")
    return db["facilitators"].insert(
        {"email": email.strip().lower(), "name": name.strip(),
         "password_hash": hash_password(password)}
    ).last_pk


def hash_password(password: str) -> str:
    """The stored form of a password: a few hundred milliseconds of CPU by design, so hash it
    before taking the database's write lock, never while holding it."""
    return offload.call(generate_password_hash, password)


def set_password(db, facilitator_id: int, hashed: str) -> None:
    """A new password, hashed by ``hash_password`` (inside a transaction); the caller ends the
    account's sessions."""
    store.set_password_hash(db, facilitator_id, hashed)


def check_login(db, email: str, password: str):
    """The facilitator, if the password is theirs. An unknown address costs the same
    hash check as a known one, so timing does not tell which addresses exist."""
    found = store.facilitator_by_email(db, email)
    stored = found["password_hash"] if found else _unknown_hash()
    if offload.call(check_password_hash, stored, password) and found:
        return found
    return None


@functools.cache
def _unknown_hash() -> str:
    return offload.call(generate_password_hash, secrets.token_urlsafe(16))


# sessions ------------------------------------------------------------------
# The signed session cookie alone would stay valid for as long as its signature does: it also
# names a row of facilitator_sessions, and every request (and every live connection) checks it.

def _limits() -> tuple[float, float]:
    config = current_app.config
    return float(config["SESSION_IDLE_MINUTES"]) * 60, float(config["SESSION_MAX_DAYS"]) * 86400


def _drop_from_cookie() -> None:
    for key in SESSION_KEYS:
        session.pop(key, None)


def start_session(db, facilitator: dict) -> None:
    """Log this browser in as ``facilitator`` (its password checked): a fresh session cookie
    (any previous session of this browser ends; the language choice stays)."""
    end_session(db)
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    now = _now()
    idle, longest = _limits()
    with transaction(db):
        store.forget_stale_sessions(db, now - idle, now - longest)
        token = store.add_facilitator_session(db, facilitator["id"], now)
    session.update(facilitator_id=facilitator["id"], facilitator_name=facilitator["name"],
                   facilitator_session=token)


def end_session(db) -> None:
    """This browser's session ends (log out): a copy of its cookie opens nothing any more."""
    token = session.get("facilitator_session")
    if token:
        with transaction(db):
            store.end_facilitator_session(db, token)
    _drop_from_cookie()


def end_every_session(db, facilitator_id: int) -> None:
    """Every session of the account ends, on every device (inside a transaction)."""
    store.end_facilitator_sessions(db, facilitator_id)


def current_facilitator(db=None) -> int | None:
    """The facilitator of this request's session, checked on the server: a session that was
    ended (log out, log out everywhere, a new password), idle for ``SESSION_IDLE_MINUTES`` or
    older than ``SESSION_MAX_DAYS`` gives ``None`` and leaves the cookie."""
    fid = session.get("facilitator_id")
    if not fid:
        return None
    db = db or get_db()
    token = session.get("facilitator_session")
    found = store.facilitator_session(db, token)
    now = _now()
    idle, longest = _limits()
    if (found is None or found["facilitator_id"] != fid or now - found["seen_at"] > idle
            or now - found["created_at"] > longest):
        _drop_from_cookie()
        return None
    if now - found["seen_at"] > TOUCH_EVERY:
        with transaction(db):
            store.touch_facilitator_session(db, token, now)
    return fid


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not session.get("facilitator_id"):
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped
