"""A prompt card's archived replies for reports: HTML and print through a template, Markdown as a list."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from facilitation.api import gettext as _
from facilitation.api import hookimpl, markdown_cell

TYPE = "prompt"


def network_line(data: dict) -> str:
    figures = data.get("network")
    if not figures:
        return _("Nobody of this network replied.")
    if figures.get("replies") is None:
        return _("Replies of this network: fewer than 3 people")
    return _("Replies of this network: %(n)d (by %(people)d people)", n=figures["replies"], people=figures["people"])


def to_markdown(data: dict, names: bool = False) -> str:
    lines = [f"> {markdown_cell(data.get('prompt', ''))}", ""]
    if data.get("ask"):
        lines += [f"**{markdown_cell(data['ask'])}**", ""]
    for r in data.get("replies") or []:
        marks = []
        if r.get("hl"):
            marks.append(_("highlighted"))
        if r.get("mine"):
            marks.append(r["name"] if names and r.get("name") else _("this network"))
        lines.append(f"- {markdown_cell(r['text'])}" + (f" ({', '.join(marks)})" if marks else ""))
    lines += ["", network_line(data), ""]
    return "\n".join(lines)


@hookimpl
def render_archive(artifact, fmt, options):
    if artifact["exercise_type"] != TYPE:
        return None
    data = artifact["data"]
    if fmt == "markdown":
        return to_markdown(data, bool(options.get("names")))
    return Markup(
        render_template(
            "prompt/archive.html",
            data=data,
            artifact=artifact,
            fmt=fmt,
            options=options,
            network_line=network_line(data),
        )
    )
