"""A self-assessment as a radar against the network's earlier ones (its T0 and the previous),
for the archive, printed reports and Markdown, and over time for the network's journey page.

The radar is a Vega spec drawn on the server (``api.chart(kind="vega")``), with its table:
every rating is in it. Series differ by colour, line pattern and point shape.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import render_template
from markupsafe import Markup

from facilitation import api
from facilitation.api import format_date, hookimpl, markdown_cell
from facilitation.api import gettext as _

from .dimensions import group_of, label_of

TYPE = "selfassessment"
# Oldest to newest: grey dashes and squares, orange dots and triangles, blue solid and circles.
STYLES = [("#4b5563", [5, 3], "square"), ("#c2410c", [1, 3], "triangle-up"), ("#0b5cad", [1, 0], "circle")]


def radar(dims: list[dict], series: list[tuple[str, dict]], title: str, caption: str = ""):
    """``dims`` in order; ``series`` is ``(name, {dim id: rating})``, oldest first (three at most).
    The axes carry the dimensions' numbers, so the drawing stays readable on a phone whatever
    their names; the table right below names each one."""
    count = len(dims)
    keys = [{"key": str(i + 1), "order": i} for i in range(count)]
    values = [
        {"series": name, "order": i, "value": ratings.get(d["id"])}
        for name, ratings in series
        for i, d in enumerate(dims)
    ]
    names = [name for name, _ratings in series]
    styles = STYLES[-len(names) :]
    position = "scale('radial', {r}) * {f}(scale('angular', datum.order))"
    spec = {
        "width": 260,
        "height": 260,
        "padding": {"left": 34, "right": 34, "top": 30, "bottom": 64},
        "autosize": {"type": "none", "contains": "content"},
        "signals": [{"name": "radius", "update": "width / 2"}],
        "data": [
            {"name": "ratings", "values": values},
            {"name": "keys", "values": keys},
            {"name": "rings", "values": [{"r": r} for r in range(1, 6)]},
            {"name": "ring_points", "values": [{"r": r, "order": i} for r in range(1, 6) for i in range(count)]},
        ],
        "scales": [
            {"name": "angular", "type": "linear", "domain": [0, count], "range": {"signal": "[-PI / 2, 3 * PI / 2]"}},
            {"name": "radial", "type": "linear", "domain": [0, 5], "range": {"signal": "[0, radius]"}},
            {"name": "color", "type": "ordinal", "domain": names, "range": [s[0] for s in styles]},
            {"name": "dash", "type": "ordinal", "domain": names, "range": [s[1] for s in styles]},
            {"name": "shape", "type": "ordinal", "domain": names, "range": [s[2] for s in styles]},
        ],
        "legends": [
            {
                "stroke": "color",
                "fill": "color",
                "strokeDash": "dash",
                "shape": "shape",
                "orient": "bottom",
                "direction": "horizontal",
                "offset": 30,
                "symbolStrokeWidth": 2,
                "labelFontSize": 12,
            }
        ],
        "marks": [
            {
                "type": "group",
                "encode": {"enter": {"x": {"signal": "radius"}, "y": {"signal": "radius"}}},
                "marks": [
                    {
                        "type": "group",
                        "from": {"facet": {"data": "ring_points", "name": "ring", "groupby": ["r"]}},
                        "marks": [
                            {
                                "type": "line",
                                "from": {"data": "ring"},
                                "sort": {"field": "datum.order"},
                                "encode": {
                                    "enter": {
                                        "interpolate": {"value": "linear-closed"},
                                        "x": {"signal": position.format(r="datum.r", f="cos")},
                                        "y": {"signal": position.format(r="datum.r", f="sin")},
                                        "stroke": {"value": "#c5d0db"},
                                        "strokeWidth": {"value": 1},
                                    }
                                },
                            }
                        ],
                    },
                    {
                        "type": "rule",
                        "from": {"data": "keys"},
                        "encode": {
                            "enter": {
                                "x": {"value": 0},
                                "y": {"value": 0},
                                "x2": {"signal": "radius * cos(scale('angular', datum.order))"},
                                "y2": {"signal": "radius * sin(scale('angular', datum.order))"},
                                "stroke": {"value": "#c5d0db"},
                            }
                        },
                    },
                    {
                        "type": "text",
                        "from": {"data": "rings"},
                        "encode": {
                            "enter": {
                                "x": {"value": -4},
                                "y": {"signal": "-scale('radial', datum.r)"},
                                "text": {"signal": "datum.r"},
                                "fontSize": {"value": 10},
                                "align": {"value": "right"},
                                "fill": {"value": "#455b71"},
                                "baseline": {"value": "middle"},
                            }
                        },
                    },
                    {
                        "type": "group",
                        "from": {"facet": {"data": "ratings", "name": "serie", "groupby": ["series"]}},
                        "marks": [
                            {
                                "type": "line",
                                "from": {"data": "serie"},
                                "sort": {"field": "datum.order"},
                                "encode": {
                                    "enter": {
                                        "interpolate": {"value": "linear-closed"},
                                        "defined": {"signal": "isValid(datum.value)"},
                                        "x": {"signal": position.format(r="datum.value", f="cos")},
                                        "y": {"signal": position.format(r="datum.value", f="sin")},
                                        "stroke": {"scale": "color", "field": "series"},
                                        "strokeDash": {"scale": "dash", "field": "series"},
                                        "strokeWidth": {"value": 2},
                                    }
                                },
                            },
                            {
                                "type": "symbol",
                                "from": {"data": "serie"},
                                "encode": {
                                    "enter": {
                                        "x": {"signal": position.format(r="datum.value", f="cos")},
                                        "y": {"signal": position.format(r="datum.value", f="sin")},
                                        "opacity": {"signal": "isValid(datum.value) ? 1 : 0"},
                                        "shape": {"scale": "shape", "field": "series"},
                                        "fill": {"scale": "color", "field": "series"},
                                        "size": {"value": 55},
                                    }
                                },
                            },
                        ],
                    },
                    {
                        "type": "text",
                        "from": {"data": "keys"},
                        "encode": {
                            "enter": {
                                "x": {"signal": "(radius + 8) * cos(scale('angular', datum.order))"},
                                "y": {"signal": "(radius + 8) * sin(scale('angular', datum.order))"},
                                "text": {"field": "key"},
                                "fontSize": {"value": 14},
                                "fontWeight": {"value": "bold"},
                                "fill": {"value": "#17324d"},
                                "align": [
                                    {"test": "abs(cos(scale('angular', datum.order))) < 0.2", "value": "center"},
                                    {"test": "cos(scale('angular', datum.order)) < 0", "value": "right"},
                                    {"value": "left"},
                                ],
                                "baseline": [
                                    {"test": "sin(scale('angular', datum.order)) > 0.3", "value": "top"},
                                    {"test": "sin(scale('angular', datum.order)) < -0.3", "value": "bottom"},
                                    {"value": "middle"},
                                ],
                            }
                        },
                    },
                ],
            }
        ],
    }
    headers = [_("Dimension"), *names]
    rows = [
        [f"{i + 1}. {label_of(d)}", *[_rating(ratings.get(d["id"])) for _name, ratings in series]]
        for i, d in enumerate(dims)
    ]
    note = _(
        "Ratings from 1 (weak) to 5 (strong), one axis per dimension of the table by its number; a missing "
        "point was not rated."
    )
    return api.chart(spec, title=title, headers=headers, rows=rows, kind="vega", caption=f"{note} {caption}".strip())


def _rating(value) -> str:
    return "–" if not value else str(value)


def ratings_of(data: dict) -> dict:
    return {d["id"]: d.get("value") for d in data.get("dims", [])}


def baselines(found: list[dict], artifact_id) -> tuple[dict | None, dict | None, dict | None]:
    """(this version, the network's T0, its previous one) among its versions, oldest first."""
    if not found:
        return None, None, None
    index = next((i for i, v in enumerate(found) if v["id"] == artifact_id), len(found) - 1)
    return found[index], (found[0] if index > 0 else None), (found[index - 1] if index > 1 else None)


def series_for(data: dict, t0: dict | None, previous: dict | None, now_label: str) -> list[tuple[str, dict]]:
    series = []
    if t0:
        series.append((_("T0"), ratings_of(t0["data"])))
    if previous:
        series.append((_("Previous assessment"), ratings_of(previous["data"])))
    series.append((now_label, ratings_of(data)))
    return series


def dates_of(t0: dict | None, previous: dict | None, latest: dict | None = None) -> str:
    """When each series of a radar was assessed, for its caption."""
    parts = []
    if t0:
        parts.append(_("T0: %(date)s.", date=_date(t0)))
    if previous:
        parts.append(_("Previous: %(date)s.", date=_date(previous)))
    if latest:
        parts.append(_("Latest: %(date)s.", date=_date(latest)))
    return " ".join(parts)


def _date(version: dict) -> str:
    """The day a version was archived (stored in UTC), in the reader's language and time zone."""
    try:
        moment = datetime.fromisoformat(str(version.get("created_at")).replace("Z", "+00:00"))
    except ValueError:
        return ""
    return format_date(moment if moment.tzinfo else moment.replace(tzinfo=UTC), "medium")


def context(artifact: dict, options: dict) -> dict:
    data = artifact["data"]
    found = api.versions(artifact["network_id"], TYPE) if artifact.get("network_id") else []
    this, t0, previous = baselines(found, artifact.get("id"))
    dims = data.get("dims", [])
    series = series_for(data, t0, previous, _("This assessment"))
    return {
        "data": data,
        "dims": dims,
        "t0": t0,
        "previous": previous,
        "series": series,
        "names": bool(options.get("names")),
        "label_of": label_of,
        "group_of": group_of,
    }


@hookimpl
def render_archive(artifact, fmt, options):
    if artifact["exercise_type"] != TYPE:
        return None
    ctx = context(artifact, options)
    if fmt == "markdown":
        return to_markdown(artifact, ctx)
    title = (
        _("Self-assessment against T0 and the previous one") if ctx["t0"] else _("Self-assessment: the network's T0")
    )
    chart = radar(ctx["dims"], ctx["series"], title, dates_of(ctx["t0"], ctx["previous"])) if ctx["dims"] else None
    return Markup(
        render_template("selfassessment/archive.html", fmt=fmt, options=options, artifact=artifact, chart=chart, **ctx)
    )


def to_markdown(artifact: dict, ctx: dict) -> str:
    data = ctx["data"]
    out = [f"**{markdown_cell(artifact.get('title', ''))}**", ""]
    names = [name for name, _ratings in ctx["series"]]
    why = _("Why")
    out += ["| " + " | ".join([_("Dimension"), *names, why]) + " |", "|---|" + "---:|" * len(names) + "---|"]
    for i, dim in enumerate(ctx["dims"]):
        cells = [
            markdown_cell(f"{i + 1}. {label_of(dim)}"),
            *[_rating(ratings.get(dim["id"])) for _name, ratings in ctx["series"]],
            markdown_cell(dim.get("why", "")),
        ]
        out.append("| " + " | ".join(cells) + " |")
    if not ctx["t0"]:
        out += ["", _("This is the network's first self-assessment: its T0.")]
    if ctx["names"] and data.get("authors"):
        out += ["", _("By: %(names)s", names=", ".join(markdown_cell(a) for a in data["authors"]))]
    return "\n".join(out) + "\n"


# the journey page ---------------------------------------------------------------------


def journey_section(network_id: int, viewer: str, access):
    """The network's self-assessments from its T0: a radar of the T0, the previous and the latest,
    and every assessment's ratings in a table."""
    found = api.versions(network_id, TYPE)
    if not found:
        return None
    latest = found[-1]
    dims = latest["data"].get("dims", [])
    t0 = found[0] if len(found) > 1 else None
    previous = found[-2] if len(found) > 2 else None
    chart = (
        radar(
            dims,
            series_for(latest["data"], t0, previous, _("Latest")),
            _("Self-assessments: T0, previous and latest"),
            dates_of(t0, previous, latest),
        )
        if dims
        else None
    )
    ids = {d["id"] for d in dims}
    compared = [v for v in found if ids & {d["id"] for d in v["data"].get("dims", []) if d.get("value")}]
    html = render_template(
        "selfassessment/journey.html",
        chart=chart,
        dims=dims,
        versions=compared,
        others=len(found) - len(compared),
        latest=latest,
        label_of=label_of,
        group_of=group_of,
        ratings_of=ratings_of,
        rating=_rating,
    )
    return (20, _("Self-assessment: generative potential since T0"), Markup(html))
