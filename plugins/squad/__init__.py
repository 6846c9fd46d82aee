"""The territorial squad canvas: each network builds its squad in four steps, live, and
revisits it between meetings. Versions are the core's immutable artifacts; see
docs/squad-schema.md for the JSON export."""

from __future__ import annotations

from facilitation import hookimpl

from .exercise import Squad
from .views import archive_section, bp


@hookimpl
def register_exercises():
    return [Squad]


@hookimpl
def register_blueprints():
    return [bp]


@hookimpl
def network_archive_sections(network_id, db, viewer):
    from facilitation.views.network import link_token

    return [archive_section(network_id, db, viewer, link_token())]
