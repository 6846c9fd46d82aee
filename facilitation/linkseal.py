"""Network-link secrets, sealed at rest so a facilitator can see a link again.

The lookup stays by hash (``network_links.token_hash``); beside it the secret is kept
encrypted with Fernet (AES-128-CBC and HMAC-SHA256, from ``cryptography``) under a key
derived from the app's ``SECRET_KEY`` with HKDF. Whoever copies the database alone cannot
open a network's archive; a new ``SECRET_KEY`` makes old sealed secrets unreadable (the page
then asks for a new link), never wrong.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

INFO = b"facilitation network-link secrets v1"


def _fernet(app) -> Fernet:
    cached = app.extensions.get("facilitation.linkseal")
    if cached is None or cached[0] != app.config["SECRET_KEY"]:
        secret = app.config["SECRET_KEY"]
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(
            secret.encode() if isinstance(secret, str) else secret
        )
        cached = (secret, Fernet(base64.urlsafe_b64encode(key)))
        app.extensions["facilitation.linkseal"] = cached
    return cached[1]


def seal(token: str, app=None) -> str:
    return _fernet(app or current_app).encrypt(token.encode()).decode("ascii")


def unseal(sealed: str | None, app=None) -> str | None:
    """The secret, or None when there is none stored or it cannot be read with this key."""
    if not sealed:
        return None
    try:
        return _fernet(app or current_app).decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        return None
