"""A test plugin whose dashboard section fails: the rest of the dashboard must stand."""

from facilitation.api import hookimpl


@hookimpl
def dashboard_sections(filters):
    raise RuntimeError("a bug, on purpose")
