"""Archived results rendered in a requested format, by the exercise that made them.

``render(artifact, fmt)`` asks the plugins (the ``render_archive`` hook, first answer
wins) and falls back on the core's own rendering below: the exercise's
``archive_template`` for HTML and print, and a plain outline in Markdown. Formats:

- ``html``: a fragment for the archive pages (autoescaped template output);
- ``print``: a fragment for printed reports and PDFs (no scripts, vector images);
- ``markdown``: text.

``options`` carries what the reader chose: ``names`` (whether people's names may
appear; reports default to no names).
"""

from __future__ import annotations

import logging

from flask import render_template
from markupsafe import Markup, escape

from .hookspecs import hookimpl
from .plugins import registry

FORMATS = ("html", "print", "markdown")
log = logging.getLogger("facilitation.rendering")


def render(artifact: dict, fmt: str, options: dict | None = None):
    """The artifact in ``fmt``: ``Markup`` for html and print, ``str`` for markdown."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    options = {"names": True, **(options or {})}
    reg = registry()
    try:
        found = reg.pm.hook.render_archive(artifact=artifact, fmt=fmt, options=options)
    except Exception:
        log.exception("rendering an archived %s failed", artifact.get("exercise_type"))
        found = None
    if found is None:
        found = fallback(artifact, fmt, options)
    return Markup(found) if fmt != "markdown" else str(found)


@hookimpl(trylast=True)
def render_archive(artifact, fmt, options):
    """The core's answer when no plugin gave one."""
    return fallback(artifact, fmt, options)


def fallback(artifact: dict, fmt: str, options: dict):
    exercise = registry().exercises.get(artifact["exercise_type"])
    if fmt == "markdown":
        return f"**{artifact['title']}**\n"
    if exercise is not None and exercise.archive_template:
        return Markup(render_template(exercise.archive_template, data=artifact["data"], artifact=artifact,
                                      fmt=fmt, options=options))
    return Markup(f'<p class="muted">{escape(artifact["title"])}</p>')
