"""Response headers (a Content Security Policy with no inline script, no caching of what is not
a static file) and logs that never hold a network link's secret."""

from __future__ import annotations

import logging
import re

from flask import request


def content_security_policy() -> str:
    """No inline script or style; live connections to this site's own origin only (a bare
    ``ws:`` or ``wss:`` would allow WebSockets to any host)."""
    connect = " ".join(filter(None, ["'self'", _websocket_origin()]))
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        f"connect-src {connect}",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


# A network link's secret in a path: /n/<secret>/...
_LINK_SECRET = re.compile(r"(/n/)[^/\s?#\"'<>]+")


def redact(text: str) -> str:
    """``text`` with every network-link secret in a path replaced by ``[secret]``."""
    return _LINK_SECRET.sub(r"\1[secret]", text)


class RedactSecrets(logging.Filter):
    """Rewrites a record's message and traceback without link secrets (request paths appear
    in Flask's "Exception on /n/<secret>/... [GET]" and in access logs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/n/" in message:
            record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and "/n/" in record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_HOST = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]+)?|\[[0-9A-Fa-f:.]+\](:[0-9]+)?")


def _websocket_origin() -> str:
    """This site's WebSocket origin (the host the page came from); nothing when the request
    named no usable host, so that only 'self' is left."""
    host = request.host
    if not _HOST.fullmatch(host or ""):
        return ""
    return f"{'wss' if request.scheme == 'https' else 'ws'}://{host}"


def init_app(app) -> None:
    # Loggers are global: one filter each, however many apps a process creates (tests create many).
    for logger in (app.logger, logging.getLogger("werkzeug"), logging.getLogger("engineio.server"),
                   logging.getLogger("socketio.server")):
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        # Pages, exports and personal data stay out of every cache (shared computers, proxies);
        # only static files may be kept.
        if not (request.endpoint or "").endswith("static"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
