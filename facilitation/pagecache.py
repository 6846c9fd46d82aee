"""Pages that everyone arriving without anything of their own sees alike, rendered once.

A meeting's join form is the same page for every person who opens the meeting's link:
when 2,000 people join a conference, it was rendered 2,000 times, the largest single
cost of a room filling up. ``shared_page`` renders such a page once per key (the
meeting's title and state, its networks, the reader's language...) and puts each
visitor's own CSRF token in its copy. A visitor with something of their own on the page
(a facilitator's session, a flashed message, a query string) gets it rendered afresh.

The key must hold everything the page shows: a key that leaves something out would show
one visitor's page to another.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict

from flask import current_app, render_template, request, session
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

SIZE = 128  # pages kept per process, the least recently used dropped first


class _Pages:
    def __init__(self):
        self.hole = f"csrf-{secrets.token_hex(16)}"  # where each visitor's token goes
        self.pages: OrderedDict[tuple, str] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key) -> str | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key, page: str) -> None:
        with self.lock:
            self.pages[key] = page
            while len(self.pages) > SIZE:
                self.pages.popitem(last=False)


def _alike() -> bool:
    """Nothing of the visitor's own would be on the page (base.html's session-dependent parts)."""
    return not request.query_string and not session.get("facilitator_id") and "_flashes" not in session


def shared_page(key: tuple, template: str, **context) -> str:
    """``template`` rendered with ``context``, or the copy rendered before for the same ``key``,
    with this visitor's CSRF token."""
    if not _alike():
        return render_template(template, **context)
    pages = current_app.extensions.get("facilitation.pages")
    if pages is None:
        pages = current_app.extensions.setdefault("facilitation.pages", _Pages())
    key = (template, request.script_root, request.path, str(get_locale()), *key)
    page = pages.get(key)
    if page is None:
        page = render_template(template, **context, csrf_token=lambda: pages.hole)
        pages.put(key, page)
    return page.replace(pages.hole, generate_csrf())
