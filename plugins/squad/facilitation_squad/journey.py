"""The squad's part of a network's journey page: its versions since T0 with their network figures,
how the figures changed, and two charts (drawn by the core's ``chart``, each with its table)."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from facilitation import api
from facilitation.api import gettext as _

from . import analysis
from .versions import versions

# Where the squad's section goes on the journey page, among other plugins' (lower first).
ORDER = 30
COUNTS = ("roles", "interactions", "isolated", "unmanaged")
TABLE = ("roles", "interactions", "flows", "density", "reciprocity", "isolated", "unmanaged", "groups")
RATIOS = ("density", "reciprocity")


def _label(number: int) -> str:
    return f"{number} (T0)" if number == 1 else str(number)


def _chart(rows: list[tuple[dict, dict]], names: tuple, title: str, labels: dict, share: bool):
    """A line per figure across the versions: told apart by colour, by the shape of its points and by
    its dash, and named in the table below it."""
    values = [{"n": v["number"], "version": _label(v["number"]), "figure": labels[name],
               "value": analysis.value_of(found, name)} for v, found in rows for name in names]
    order = [_label(v["number"]) for v, _found in rows]
    y = {"field": "value", "type": "quantitative", "title": None}
    if share:
        y["scale"] = {"domain": [0, 1]}
    else:
        y["axis"] = {"tickMinStep": 1}
    spec = {
        "width": 420, "height": 220,
        "data": {"values": [x for x in values if x["value"] is not None]},
        "mark": {"type": "line", "point": {"size": 70, "filled": True}},
        "encoding": {
            "x": {"field": "version", "type": "ordinal", "sort": order, "title": _("Version"),
                  "axis": {"labelAngle": 0}},
            "y": y,
            "color": {"field": "figure", "type": "nominal", "title": None, "sort": [labels[n] for n in names]},
            "shape": {"field": "figure", "type": "nominal", "title": None, "sort": [labels[n] for n in names]},
            "strokeDash": {"field": "figure", "type": "nominal", "title": None, "sort": [labels[n] for n in names]},
        },
        "config": {"legend": {"orient": "bottom", "direction": "vertical"}},
    }
    headers = [_("Version")] + [labels[n] for n in names]
    table = [[_label(v["number"])] + [analysis.number(n, analysis.value_of(found, n)) for n in names] for v, found in rows]
    return api.chart(spec, title=title, headers=headers, rows=table)


def section(network_id, access) -> list[tuple[int, str, Markup]]:
    found = versions(network_id)
    if not found:
        return []
    rows = [(v, analysis.figures(v["data"]["canvas"])) for v in found]
    labels = analysis.figure_labels()
    charts = [_chart(rows, COUNTS, _("The squad's map, version by version"), labels, share=False),
              _chart(rows, RATIOS, _("Density and reciprocity, version by version"), labels, share=True)]
    table = [(v, [analysis.number(name, analysis.value_of(f, name)) for name in TABLE]) for v, f in rows]
    html = render_template("squad/journey.html", rows=table, names=TABLE, charts=charts, t0=rows[0][1],
                           latest=found[-1], labels=labels, access=access)
    return [(ORDER, _("Territorial squad since T0"), Markup(html))]
