"""The one module an exercise imports.

Everything a plugin needs from the core is here: the ``Exercise`` base class and the
values the core passes to it, declared fields, hook marker, translations, and the
services of the core (the network's archive and versions, access to network pages,
the current database for the plugin's own tables). Code under ``plugins/`` and
``examples/`` imports nothing else from ``facilitation`` (a test enforces it); the rest
of the core may change between releases, this module changes only by adding names.
Every name is documented in ``docs/plugins.md``.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from flask import session
from flask_babel import format_date, format_decimal, format_percent, gettext, lazy_gettext, ngettext, pgettext

from .. import artifacts as _artifacts
from .. import charts as _charts
from .. import db as _db
from .. import store as _store
from ..access import Access, link_token, network_route
from ..auth import login_required
from ..exercise import (
    ARCHIVE,
    EVERYONE,
    FACILITATOR,
    FACILITATORS,
    PARTICIPANT,
    PROJECTOR,
    SELF,
    TEAM,
    Action,
    ActionError,
    ActionSpec,
    Actor,
    Control,
    Exercise,
    Outcome,
    State,
)
from ..hookspecs import hookimpl
from ..reports.figures import Figure as DashboardFigure
from ..reports.figures import Section as DashboardSection
from ..schema import Field, ValidationError, clean_text
from ..text import markdown_cell, neutral_cell

__all__ = [
    "ARCHIVE", "EVERYONE", "FACILITATOR", "FACILITATORS", "PARTICIPANT", "PROJECTOR", "SELF", "TEAM",
    "Access", "Action", "ActionError", "ActionSpec", "Actor", "Control", "clean_text", "DashboardFigure",
    "DashboardSection", "Exercise", "Field", "Outcome", "State",
    "ValidationError", "add_version", "archived_results", "chart", "chart_svg", "current_facilitator", "database",
    "format_date", "format_decimal", "format_percent", "gettext", "hookimpl", "latest_version",
    "lazy_gettext", "link_token", "login_required", "markdown_cell", "network", "network_route", "neutral_cell",
    "ngettext", "participants", "pgettext",
    "transaction", "translations_folder", "version", "versions",
]


# the network's archive ---------------------------------------------------------

def network(network_id: int) -> dict | None:
    """A network: ``id``, ``name``, ``lead_body``, ``territory``; None if there is none."""
    return _store.network(_db.get_db(), network_id)


def versions(network_id: int, exercise_type: str) -> list[dict]:
    """Every archived version of one exercise for a network, oldest first: ``number`` (1 is the
    network's T0), ``id``, ``data``, ``title``, ``created_at``, ``meeting_id``, ``meeting_title``,
    ``meeting_date`` (None for versions saved between meetings)."""
    return _artifacts.versions(_db.get_db(), network_id, exercise_type)


def version(network_id: int, exercise_type: str, number: int) -> dict | None:
    found = versions(network_id, exercise_type)
    return found[number - 1] if 1 <= number <= len(found) else None


def latest_version(network_id: int, exercise_type: str) -> dict | None:
    return _artifacts.latest_artifact(_db.get_db(), network_id, exercise_type)


def add_version(network_id: int, exercise_type: str, title: str, data: dict) -> int:
    """Store a new version made outside a meeting (an import, say); call inside ``transaction()``."""
    return _artifacts.add_artifact(_db.get_db(), network_id=network_id, lab_id=None, meeting_id=None, item_id=None,
                                   exercise_type=exercise_type, title=title, data=data)


def archived_results(exercise_type: str, *, meeting_ids=None, network_id: int | None = None) -> list[dict]:
    """The latest version of each network's archived result of one exercise type, in the meetings
    ``meeting_ids`` (a dashboard's ``filters.meeting_ids``; None: every meeting), optionally of one
    network: dicts like ``render_archive``'s artifact, with ``id``, ``item_id``, ``network`` (its name)."""
    db = _db.get_db()
    if meeting_ids is None:
        meeting_ids = [m["id"] for m in _store.held_meetings(db)]
    return _artifacts.of_meetings(db, meeting_ids, exercise_type, network_id)


def chart(spec: dict, *, title: str, headers: list, rows: list[list], kind: str = "vega-lite",
          caption: str = ""):
    """A chart (a Vega-Lite spec, or a Vega one with ``kind="vega"``) drawn on the server as SVG,
    with its title and its table alternative, as a ``<figure>`` (``Markup``) for pages and
    printed reports alike. ``headers`` and ``rows`` are the table: every figure of the chart."""
    return _charts.figure(spec, title=title, headers=headers, rows=rows, kind=kind, caption=caption)


def chart_svg(spec: dict, kind: str = "vega-lite") -> str:
    """Only the drawing of a chart, as SVG text (give it a table elsewhere)."""
    return _charts.svg(spec, kind)


def participants(meeting_id: int) -> list[dict]:
    """The people admitted to a meeting: ``id``, ``name``, ``organisation``, ``network_id``,
    ``network`` (its name), ``team``, ``online``."""
    return _store.participants_with_presence(_db.get_db(), meeting_id)


# the request --------------------------------------------------------------------

def current_facilitator() -> dict | None:
    """``{"id", "name"}`` of the logged-in facilitator, or None."""
    fid = session.get("facilitator_id")
    return {"id": fid, "name": session.get("facilitator_name", "")} if fid else None


def database():
    """The connection of the current request or command (a ``sqlite_utils.Database``), for the
    plugin's own tables only. Inside a hook the core calls during a transaction it is that
    transaction's connection."""
    return _db.get_db()


@contextlib.contextmanager
def transaction():
    """A write transaction on ``database()`` (nothing is written if the block raises)."""
    with _db.transaction(_db.get_db()) as conn:
        yield conn


def translations_folder(module_file: str) -> str:
    """The ``translations`` folder beside a plugin's module: ``register_translations`` returns it."""
    return str(Path(module_file).resolve().parent / "translations")
