"""A squad version for reports: HTML and print with its map (SVG, vector), Markdown as text."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from facilitation.api import hookimpl

from .exports import canvas_markdown

TYPE = "squad"


@hookimpl
def render_archive(artifact, fmt, options):
    if artifact["exercise_type"] != TYPE:
        return None
    canvas = artifact["data"].get("canvas") or {}
    if fmt == "markdown":
        return canvas_markdown(canvas, level=4)
    return Markup(render_template("squad/archive.html", data=artifact["data"], artifact=artifact, fmt=fmt,
                                  options=options))
