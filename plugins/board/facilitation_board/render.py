"""A board's archived result for reports: HTML and print through its template, with a chart
of each column's ranking (``chart``: drawn on the server, with its table); Markdown as lists."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from facilitation.api import chart, hookimpl, markdown_cell, ngettext
from facilitation.api import gettext as _

TYPE = "board"
CHART_ENTRIES = 10
LABEL_MAX = 48


def label(entry: dict) -> str:
    return entry["name"] if entry["kind"] == "cluster" else entry["text"]


def short(text: str, n: int = LABEL_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def column_chart(column: dict):
    """The column's entries by dots, best first, as a bar chart with its table; None when
    nobody put a dot in this column."""
    entries = column["entries"]
    if not any(e["dots"] for e in entries):
        return None
    shown = entries[:CHART_ENTRIES]
    # Each bar is named with its place, so two notes with the same words stay two bars.
    values = [{"entry": f"{i}. {short(label(e))}", "dots": e["dots"]} for i, e in enumerate(shown, 1)]
    spec = {
        "data": {"values": values},
        "mark": {"type": "bar", "color": "#0b5cad"},
        "encoding": {
            "y": {"field": "entry", "type": "nominal", "sort": None, "title": None},
            "x": {"field": "dots", "type": "quantitative", "title": _("Dots"), "axis": {"tickMinStep": 1}},
        },
        "width": 320,
    }
    rows = [[f"{e['rank']}. {label(e)}", str(e["dots"])] for e in entries]
    return chart(spec, title=_("%(column)s: ranked by dots", column=column["column"]),
                 headers=[_("Note or cluster"), _("Dots")], rows=rows)


def to_markdown(data: dict, names: bool = False) -> str:
    lines = []
    signed = names and not data.get("anonymous")
    for column in data.get("ranking") or []:
        lines += [f"**{markdown_cell(column['column'])}**", ""]
        if not column["entries"]:
            lines += [_("No notes."), ""]
            continue
        for entry in column["entries"]:
            dots = ngettext("%(num)d dot", "%(num)d dots", entry["dots"])
            if entry["kind"] == "cluster":
                lines.append(f"{entry['rank']}. **{markdown_cell(entry['name'])}** ({dots})")
                for note in entry["notes"]:
                    lines.append(f"    - {_note(note, signed)} ({note['dots']})")
            else:
                lines.append(f"{entry['rank']}. {_note(entry, signed)} ({dots})")
        lines.append("")
    lines.append(ngettext("%(num)d note", "%(num)d notes", data.get("notes", 0)) + " · "
                 + ngettext("%(num)d person voted", "%(num)d people voted", data.get("voters", 0)))
    return "\n".join(lines) + "\n"


def _note(note: dict, signed: bool) -> str:
    text = markdown_cell(note["text"])
    if signed and note.get("name"):
        text += f" ({markdown_cell(note['name'])})"
    return text


@hookimpl
def render_archive(artifact, fmt, options):
    if artifact["exercise_type"] != TYPE:
        return None
    data = artifact["data"]
    if fmt == "markdown":
        return to_markdown(data, bool(options.get("names")))
    charts = [column_chart(c) for c in data.get("ranking") or []]
    return Markup(render_template("board/archive.html", data=data, charts=charts, artifact=artifact, fmt=fmt,
                                  options=options))
