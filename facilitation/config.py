"""Configuration: defaults here, then ``instance/config.py``, then ``FACILITATION_*`` variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULTS = {
    "DATABASE": None,  # set from the instance folder
    "SQLITE_SYNCHRONOUS": "NORMAL",
    "WRITE_WAIT_SECONDS": 15,  # a write waits this long for another process' lock, then answers `busy`
    "ASYNC_MODE": "threading",  # the serving entry point chooses eventlet or gevent
    "MESSAGE_QUEUE": None,  # e.g. redis://127.0.0.1:6379/0 to run several processes
    "RESULTS_PER_SECOND": 4,  # live results pushed to large rooms at most this often
    "TEAM_PRESENCE_PER_SECOND": 1,  # who is on a team, pushed to its members at most this often
    "PRODUCTION": False,
    "PLUGINS": [],  # extra plugin modules, besides the entry-point group
    "BABEL_DEFAULT_LOCALE": "it",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Rome",  # dates shown to people; stored in UTC
    "LANGUAGES": {"it": "Italiano", "en": "English"},
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "SOCKET_MAX_MESSAGE": 64 * 1024,
    # A whole venue can share one public address (a school, a conference hall behind NAT):
    # these stop one machine's flood, not a crowded room.
    "SOCKET_RATE_PER_ADDRESS": (400, 2000),  # live events a second from one address, and burst
    "SOCKET_CONNECTIONS_PER_ADDRESS": 1000,  # sockets open at once from one address
    # Pieces of work on new live connections at once (Engine.IO handshakes, Socket.IO connects);
    # the others wait their turn, at most this many seconds, then are told "busy, retry in N ms"
    # (facilitation/live/admission.py). Facilitators do not wait.
    "SOCKET_OPENINGS": 16,
    "SOCKET_OPENING_WAIT": 10,
    # Every inbound frame of a live connection, valid or not (facilitation/live/inbound.py): past
    # these the connection is closed. Well above what a person's browser sends.
    "SOCKET_INBOUND_MESSAGES": (20, 100),  # frames a second per connection, and burst
    "SOCKET_INBOUND_BYTES": (64 * 1024, 512 * 1024),  # bytes a second per connection, and burst
    "SOCKET_UNAUTHENTICATED_BUDGET": (10, 16 * 1024),  # frames and bytes before the connect is accepted
    "SOCKET_AUTH_DEADLINE": 10,  # seconds a connection has to authenticate
    "SOCKET_PENDING_PER_ADDRESS": 100,  # connections not yet authenticated open at once from one address
    "SOCKET_MALFORMED_LIMIT": 10,  # malformed or reserved frames per connection before it is closed
    "SOCKET_PENALTY_SECONDS": 10,  # an address whose connection was closed for flooding waits this long
    "TRUSTED_PROXIES": 0,  # reverse proxies in front (nginx: 1): client addresses from X-Forwarded-For
    "RETENTION_DAYS": 365,  # `facilitation purge` pseudonymises participants of meetings older than this
    "PUBLIC_URL": None,  # base of join links when behind a proxy
    "REPORT_BUILDERS": 1,  # PDFs built at once, each by a process of its own at a lower CPU priority
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    # A facilitator's session ends after this long without a request or a live connection,
    # and in any case this long after logging in (the server checks; see auth.current_facilitator).
    "SESSION_IDLE_MINUTES": 480,
    "SESSION_MAX_DAYS": 7,
}


def load(app, test_config=None) -> None:
    instance = Path(os.environ.get("FACILITATION_INSTANCE") or app.instance_path)
    app.instance_path = str(instance)
    app.config.update(DEFAULTS)
    app.config["DATABASE"] = str(instance / "facilitation.db")
    if test_config is None:
        app.config.from_pyfile(str(instance / "config.py"), silent=True)
        app.config.from_prefixed_env("FACILITATION")
    else:
        app.config.update(test_config)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        if app.config["PRODUCTION"]:
            raise RuntimeError(
                "FACILITATION_SECRET_KEY is not set: refusing to start in production without a secret key")
        app.config["SECRET_KEY"] = _dev_secret(instance)
    if app.config["PRODUCTION"]:
        app.config["SESSION_COOKIE_SECURE"] = True


def _dev_secret(instance: Path) -> str:
    """A development secret, generated once into the instance folder (never committed)."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
