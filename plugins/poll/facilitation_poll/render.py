"""A poll's archived result for reports: HTML and print through its template, Markdown as a table."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from facilitation.api import gettext as _
from facilitation.api import hookimpl, markdown_cell, ngettext

TYPE = "poll"


def _labels(data: dict) -> list[str]:
    if data.get("kind") == "scale":
        return ["1", "2", "3", "4", "5"]
    return list(data.get("options") or [])


def to_markdown(data: dict) -> str:
    lines = [f"**{markdown_cell(data.get('question', ''))}**", ""]
    network, overall = data.get("network") or {}, data.get("overall") or {}
    if data.get("kind") == "open":
        lines += [f"| {_('Answer')} | {_('This network')} | {_('Everyone')} |", "|---|---:|---:|"]
        mine = {w["text"]: w["count"] for w in network.get("words") or []}
        for word in overall.get("words") or []:
            lines.append(f"| {markdown_cell(word['text'])} | {mine.get(word['text'], 0)} | {word['count']} |")
    else:
        lines += [f"| {_('Option')} | {_('This network')} | {_('Everyone')} |", "|---|---:|---:|"]
        for i, label in enumerate(_labels(data)):
            mine = (network.get("counts") or [])[i] if i < len(network.get("counts") or []) else 0
            everyone = (overall.get("counts") or [])[i] if i < len(overall.get("counts") or []) else 0
            lines.append(f"| {markdown_cell(label)} | {mine} | {everyone} |")
    lines += ["", ngettext("%(num)d answer", "%(num)d answers", network.get("total", 0)) + " · "
              + _("everyone: %(n)d", n=overall.get("total", 0)), ""]
    return "\n".join(lines)


@hookimpl
def render_archive(artifact, fmt, options):
    if artifact["exercise_type"] != TYPE:
        return None
    if fmt == "markdown":
        return to_markdown(artifact["data"])
    return Markup(render_template("poll/archive.html", data=artifact["data"], artifact=artifact, fmt=fmt,
                                  options=options))
