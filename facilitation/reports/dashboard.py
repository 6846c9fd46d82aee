"""The programme dashboard: the core's participation figures and the sections plugins add.

Plugins contribute through the ``dashboard_sections(filters)`` hook (docs/plugins.md): each
returns ``Section`` values whose figures carry their table and, optionally, a chart spec. A
plugin that raises is left out (logged), the rest of the dashboard stands. Every figure is
drawn with ``charts.figure`` (one grammar for the pages and the PDFs) and downloadable as CSV.
"""

from __future__ import annotations

import csv
import io
import logging
import time

from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup, escape

from .. import charts, professions, store
from ..plugins import registry
from ..text import neutral_cell
from .figures import Figure, Section, participation
from .filters import Filters

log = logging.getLogger("facilitation.reports")
CORE = "participation"


def figures_of(db, filters: Filters, now: float | None = None) -> dict:
    """The participation figures of the meetings ``filters`` chose (see ``figures``)."""
    meetings = store.held_meetings(db, meeting_ids=filters.meeting_ids)
    ids = [m["id"] for m in meetings]
    return participation(meetings, store.participants_of_meetings(db, ids), store.attendance_of_meetings(db, ids),
                         network_id=filters.network_id, networks_total=store.network_count(db),
                         now=time.time() if now is None else now)


def number(value) -> str:
    """A figure in the reader's language (a decimal comma in Italian)."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return format_decimal(value, format="#,##0")
    if isinstance(value, float):
        return format_decimal(value, format="#,##0.0#")
    return str(value)


def bars(values: list[dict], label: str, value: str, label_title, value_title, *, integer=True) -> dict:
    """Horizontal bars with their values written beside them: read at a glance, any number of
    categories, long names kept on one line."""
    top = max((v[value] for v in values), default=0)
    if integer and top <= 10:  # a tick at every whole number, none between (no "0 1 1 2 2")
        axis = {"values": list(range(0, int(top) + 1)), "format": "d"}
    else:
        axis = {"tickCount": 5, "format": "d" if integer else "~g"}
    # Compact, so that on a 360 px phone the drawing keeps a legible size once scaled down.
    return {
        "width": 220,
        "height": {"step": 24},
        "data": {"values": values},
        "encoding": {
            "y": {"field": label, "type": "nominal", "sort": None, "title": label_title, "axis": {"labelLimit": 120}},
            "x": {"field": value, "type": "quantitative", "title": value_title, "axis": axis},
        },
        "layer": [
            {"mark": {"type": "bar", "color": charts.PALETTE[0]}},
            {"mark": {"type": "text", "align": "left", "dx": 4, "color": "#1f2937"},
             "encoding": {"text": {"field": value, "type": "quantitative", "format": "~g"}}},
        ],
    }


def participation_section(data: dict) -> Section:
    summary = [
        (_("Attendances"), data["attendances"]),
        (_("Distinct participants"), data["people"]),
        (_("Meetings"), data["meetings"]),
        (_("Meeting hours"), data["meeting_hours"]),
        (_("Participant-hours"), data["participant_hours"]),
        (_("Networks reached"), _("%(reached)s of %(total)s", reached=number(data["networks_reached"]),
                                  total=number(data["networks_total"]))),
        (_("Organisations reached"), data["organisations"]),
        (_("Professions reached"), data["professions"]),
    ]
    headline = Figure(
        "summary", _("The figures at a glance"), [_("Figure"), _("Value")],
        [[_("Attendances"), data["attendances"]], [_("Distinct participants"), data["people"]],
         [_("Meetings"), data["meetings"]], [_("Meeting hours"), data["meeting_hours"]],
         [_("Participant-hours"), data["participant_hours"]], [_("Networks reached"), data["networks_reached"]],
         [_("Networks in all"), data["networks_total"]], [_("Organisations reached"), data["organisations"]],
         [_("Professions reached"), data["professions"]]])
    per_network = data["per_network"]
    networks = Figure(
        "networks", _("Meetings attended by each network"),
        [_("Network"), _("Meetings"), _("Attendances"), _("Participant-hours")],
        [[e["network"], e["meetings"], e["attendances"], e["participant_hours"]] for e in per_network],
        bars([{"network": e["network"], "meetings": e["meetings"]} for e in per_network], "network", "meetings",
             None, _("Meetings attended")) if per_network else None)
    per_meeting = data["per_meeting"]
    meetings = Figure(
        "meetings", _("Attendances at each meeting"),
        [_("Meeting"), _("Date"), _("Lab"), _("Attendances"), _("Networks"), _("Hours"), _("Participant-hours")],
        [[m["title"], m["date"], m["lab"], m["attendances"], m["networks"], m["hours"], m["participant_hours"]]
         for m in per_meeting],
        bars([{"meeting": f"{m['date']} · {m['title']}", "attendances": m["attendances"]} for m in per_meeting],
             "meeting", "attendances", None, _("Attendances")) if per_meeting else None)
    per_profession = data["per_profession"]
    jobs = Figure(
        "professions", _("Professions reached"), [_("Profession"), _("Attendances"), _("Distinct participants")],
        [[professions.label(e["profession"]), e["attendances"], e["people"]] for e in per_profession],
        bars([{"profession": professions.label(e["profession"]), "attendances": e["attendances"]}
              for e in per_profession], "profession", "attendances", None, _("Attendances"))
        if per_profession else None,
        caption=_("From the profession people may give when they join."))
    organisations = Figure(
        "organisations", _("Organisations reached"), [_("Organisation"), _("Attendances")],
        [[e["name"], e["attendances"]] for e in data["per_organisation"]])
    return Section(CORE, _("Participation"), [headline, networks, meetings, jobs, organisations], order=10,
                   summary=summary)


def plugin_sections(filters: Filters) -> list[Section]:
    """The sections plugins add; one that raises is left out and logged."""
    found = []
    for impl in registry().pm.hook.dashboard_sections.get_hookimpls():
        try:
            found += [s for s in impl.function(filters=filters) or () if isinstance(s, Section)]
        except Exception:
            log.exception("the dashboard section of plugin %s failed", impl.plugin_name)
    return found


def sections(db, filters: Filters, now: float | None = None) -> list[Section]:
    found = [participation_section(figures_of(db, filters, now)), *plugin_sections(filters)]
    return sorted(found, key=lambda s: (s.order, s.key))


def find(sections_: list[Section], section_key: str, figure_key: str) -> Figure | None:
    for section in sections_:
        if section.key == section_key:
            return next((f for f in section.figures if f.key == figure_key), None)
    return None


# drawing and downloading ---------------------------------------------------------------------

def drawn(fig: Figure) -> Markup:
    """A figure as HTML: its chart and table (``charts.figure``), or its table alone."""
    rows = [[number(c) for c in row] for row in fig.rows]
    if fig.spec is not None:
        return charts.figure(fig.spec, title=fig.title, headers=fig.headers, rows=rows, kind=fig.kind,
                             caption=fig.caption)
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in fig.headers)
    body = "".join("<tr>" + "".join(
        (f'<th scope="row" dir="auto">{escape(c)}</th>' if i == 0 else f'<td class="num" dir="auto">{escape(c)}</td>')
        for i, c in enumerate(row)) + "</tr>" for row in rows)
    if not rows:
        body = f'<tr><td colspan="{len(fig.headers)}" class="muted">{escape(_("Nothing to show."))}</td></tr>'
    note = f'<p class="muted small">{escape(fig.caption)}</p>' if fig.caption else ""
    return Markup(f'<figure class="chart"><figcaption>{escape(fig.title)}</figcaption>{note}'
                  f'<div class="table-wrap"><table class="table chart-table"><caption class="visually-hidden">'
                  f'{escape(fig.title)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
                  f'</figure>')


def csv_text(fig: Figure) -> str:
    """The figure's table as CSV (comma-separated, dot decimals, UTF-8 with a byte-order mark so
    spreadsheets read accents right); no cell can be read as a formula."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutral_cell(h) for h in fig.headers])
    for row in fig.rows:
        writer.writerow([c if isinstance(c, int | float) and not isinstance(c, bool) else neutral_cell(c)
                         for c in row])
    return out.getvalue()


def as_json(sections_: list[Section]) -> list[dict]:
    """Every section and figure as plain values (the read API)."""
    return [{"key": s.key, "title": str(s.title),
             "summary": [{"label": str(label), "value": value if isinstance(value, int | float) else str(value)}
                         for label, value in s.summary],
             "figures": [{"key": f.key, "title": str(f.title), "headers": [str(h) for h in f.headers],
                          "rows": [[c if isinstance(c, int | float) or c is None else str(c) for c in row]
                                   for row in f.rows]} for f in s.figures]}
            for s in sections_]
