"""Every hook a plugin may implement. ``hookimpl`` is re-exported by ``facilitation.api``."""

import pluggy

hookspec = pluggy.HookspecMarker("facilitation")
hookimpl = pluggy.HookimplMarker("facilitation")


@hookspec
def register_exercises():
    """Return a list of ``Exercise`` subclasses this plugin provides."""


@hookspec
def register_migrations():
    """Return a list of ``sqlite_utils.Migrations`` sets for this plugin's own tables."""


@hookspec
def register_blueprints():
    """Return a list of Flask blueprints: pages of the plugin's own (its static files are served by the core)."""


@hookspec
def register_translations():
    """Return a list of folders holding the plugin's catalogs (``<lang>/LC_MESSAGES/messages.mo``)."""


@hookspec
def network_archive_sections(network_id, viewer, access):
    """Return a list of ``(title, html)`` sections a plugin adds to a network's archive page."""


@hookspec
def network_journey_sections(network_id, viewer, access):
    """Return a list of ``(order, title, html)`` sections a plugin adds to a network's journey page (its path since T0)."""


@hookspec
def dashboard_sections(filters):
    """Return a list of ``DashboardSection``: the plugin's parts of the programme dashboard for ``filters``."""


@hookspec
def meeting_closed(meeting_id):
    """Called after a meeting has ended and its exercises are archived, inside the same transaction."""


@hookspec(firstresult=True)
def render_archive(artifact, fmt, options):
    """Return an archived result rendered in ``fmt`` (``html``, ``print``, ``markdown``), or None for another's."""


@hookspec
def export_personal_data(person):
    """Return what this plugin stores about a participant (JSON values), or None."""


@hookspec
def erase_personal_data(person, pseudonym):
    """Remove a participant's personal data from what this plugin stores (inside the erasure's transaction)."""
