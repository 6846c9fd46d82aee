"""The archived questions for reports: HTML and print through a template, Markdown as a table."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from facilitation.api import gettext as _
from facilitation.api import hookimpl, markdown_cell

TYPE = "questions"


def network_line(data: dict) -> str:
    """This network's figures, or why they are not shown."""
    figures = data.get("network")
    if not figures:
        return _("Nobody of this network asked or voted.")
    parts = []
    if figures.get("asked") is None:
        parts.append(_("Questions asked: fewer than 3 people"))
    else:
        parts.append(_("Questions asked: %(n)d (by %(people)d people)", n=figures["asked"], people=figures["askers"]))
    if figures.get("votes") is None:
        parts.append(_("Votes given: fewer than 3 people"))
    else:
        parts.append(_("Votes given: %(n)d (by %(people)d people)", n=figures["votes"], people=figures["voters"]))
    return " · ".join(parts)


def to_markdown(data: dict, names: bool = False) -> str:
    # Translated outside the f-strings: message extraction does not look inside them.
    headers, yes = [_("Question"), _("Votes"), _("Answered")], _("yes")
    lines = [f"**{markdown_cell(data.get('title', ''))}**", "", "| " + " | ".join(headers) + " |", "|---|---:|---|"]
    for q in data.get("questions") or []:
        text = q["text"]
        if q.get("mine"):
            text += " (" + (q["name"] if names and q.get("name") else _("this network")) + ")"
        lines.append(f"| {markdown_cell(text)} | {q['votes']} | {yes if q['answered'] else ''} |")
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
            "questions/archive.html",
            data=data,
            artifact=artifact,
            fmt=fmt,
            options=options,
            network_line=network_line(data),
        )
    )
