"""What URLs may carry: ids within SQLite's range, and redirect targets on this site only."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter

from .schema import INT_MAX


class BoundedInt(IntegerConverter):
    """``<int:...>`` for the whole app: ASCII digits up to 2**63 - 1. A larger id, or digits of
    other scripts, does not match the route (404) instead of overflowing a query."""

    regex = r"[0-9]{1,19}"

    def __init__(self, map, fixed_digits=0, min=None, max=INT_MAX, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def init_app(app) -> None:
    """Before any route is added: every ``<int:...>`` of the core and of plugins is bounded."""
    app.url_map.converters["int"] = BoundedInt


def local_path(target, *, host: str | None = None) -> str | None:
    """``target`` when, once parsed as a browser would, it is a path of this site (with its query);
    ``None`` otherwise. Refused: a scheme or a host (``//evil``, ``/\\evil``, ``https://evil``),
    control characters anywhere (browsers drop tabs and newlines, so ``/\\t/evil`` is ``//evil``),
    anything that is not text. With ``host``, a full URL of that host (a Referer) gives its path."""
    if not isinstance(target, str) or not target or len(target) > 2000:
        return None
    if "\\" in target or any(unicodedata.category(c) in ("Cc", "Cs", "Cf", "Zl", "Zp") for c in target):
        return None
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if host is not None and parts.scheme in ("http", "https") and parts.netloc == host:
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
