"""Every hook a plugin may implement. Specs only ever gain arguments."""

import pluggy

hookspec = pluggy.HookspecMarker("facilitation")
hookimpl = pluggy.HookimplMarker("facilitation")


@hookspec
def register_exercises():
    """Return a list of ``facilitation.Exercise`` subclasses this plugin provides."""


@hookspec
def register_migrations():
    """Return a list of ``sqlite_utils.Migrations`` sets for this plugin's own tables."""


@hookspec
def register_blueprints():
    """Return a list of Flask blueprints (pages, exports, static files) this plugin serves."""


@hookspec
def network_archive_sections(network_id, db, viewer):
    """Return a list of ``(title, html)`` sections a plugin adds to a network's archive page."""


@hookspec
def meeting_closed(meeting_id, db):
    """Called after a meeting has ended and its exercises are archived."""
