"""Blueprints, one per area."""

from flask import abort


def or_404(value):
    """The value, or a 404 response when it was not found."""
    if value is None:
        abort(404)
    return value
