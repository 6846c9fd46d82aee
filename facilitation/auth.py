"""Facilitator accounts: hashed passwords and the login decorator (throttling: throttle.py)."""

from __future__ import annotations

import functools
import secrets

from flask import redirect, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from . import offload, store


def create_facilitator(db, email: str, name: str, password: str) -> int:
    if len(password) < 8:
        raise ValueError("the password needs at least 8 characters")
    return db["facilitators"].insert(
        {"email": email.strip().lower(), "name": name.strip(),
         "password_hash": offload.call(generate_password_hash, password)}
    ).last_pk


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


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not session.get("facilitator_id"):
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped
