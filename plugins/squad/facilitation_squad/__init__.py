"""The territorial squad canvas: each network builds its squad in four steps, live, and
revisits it between meetings. Versions are the core's immutable archived versions; see
docs/squad-schema.md for the JSON export. A plugin like any other: it comes in through
the ``facilitation.plugins`` entry point of its package and uses only ``facilitation.api``.
"""

from __future__ import annotations

from facilitation.api import hookimpl, translations_folder

from . import journey
from .exercise import Squad
from .render import render_archive
from .views import archive_section, bp

__all__ = ["Squad", "render_archive"]


@hookimpl
def register_exercises():
    return [Squad]


@hookimpl
def register_blueprints():
    return [bp]


@hookimpl
def register_translations():
    return [translations_folder(__file__)]


@hookimpl
def network_archive_sections(network_id, viewer, access):
    return [archive_section(access)]


@hookimpl
def network_journey_sections(network_id, viewer, access):
    return journey.section(network_id, access)
