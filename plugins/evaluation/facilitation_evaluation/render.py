"""A questionnaire's archived result for pages and reports (HTML, print, Markdown), and the
efficacy and satisfaction of a network over time for its journey page.

A network's figures are compared with its own earlier questionnaires, found in its archive
(``api.versions``): its first one (T0) and its previous one. Every figure obeys the small-group
rule of the questionnaire it comes from; every chart comes with its table (``api.chart``).
"""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from facilitation import api
from facilitation.api import format_decimal, format_percent, hookimpl, markdown_cell, ngettext
from facilitation.api import gettext as _

from . import figures

TYPE = "evaluation"
SERIES_SHAPES = ["square", "triangle-up", "circle"]


def number(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    return format_decimal(value, format="#,##0." + "0" * digits)


def signed(value) -> str:
    return "–" if value is None else format_decimal(value, format="+#,##0.00;-#,##0.00")


def share(value) -> str:
    return "–" if value is None else format_percent(value, format="#,##0%")


# the data of one archived questionnaire --------------------------------------------------


def context(artifact: dict, options: dict) -> dict:
    """Everything the archive template and the Markdown need, with the small-group rule applied."""
    data = artifact["data"]
    anonymous = bool(data.get("anonymous", True))
    names = bool(options.get("names")) and not anonymous
    mine = figures.figures(data.get("network"), anonymous)
    everyone = figures.figures(data.get("overall"), anonymous)
    found = api.versions(artifact["network_id"], TYPE) if artifact.get("network_id") else []
    this, t0, previous = figures.baselines(found, artifact.get("id"))
    if this is None:  # an artifact the archive does not hold (a preview): compared with nothing
        this = {"data": data, "number": 1}
    rows = figures.comparison({"data": data}, t0, previous)
    texts = data.get("texts") or {}

    def said(entries):
        return [{"text": e["text"], "who": e.get("who") if names else None} for e in entries or []]

    return {
        "data": data,
        "anonymous": anonymous,
        "mine": mine,
        "everyone": everyone,
        "version_number": this.get("number", 1),
        "t0": t0,
        "previous": previous,
        "rows": rows,
        "texts_hidden": bool(texts.get("hidden")) or mine.get("hidden"),
        "use": said(texts.get("use")),
        "comments": said(texts.get("comments")),
        "process": [
            (q, said(answers))
            for q, answers in zip(data.get("questions") or [], (texts.get("process") or []) + [[]] * 99)
        ],
    }


def _choice_rows(labels, mine: dict, everyone: dict, key: str) -> list[list]:
    rows = []
    for i, label in enumerate(labels or []):
        a = (mine.get(key) or [])[i] if not mine.get("hidden") and i < len(mine.get(key) or []) else None
        b = (everyone.get(key) or [])[i] if not everyone.get("hidden") and i < len(everyone.get(key) or []) else None
        rows.append([label, "–" if a is None else a, "–" if b is None else b])
    return rows


def _count_axis(counts: list[int]) -> dict:
    """An axis of people: whole numbers only."""
    top = max([0, *counts])
    return (
        {"values": list(range(0, max(top, 1) + 1)), "format": "d"} if top <= 10 else {"tickMinStep": 1, "format": "d"}
    )


def recommend_chart(mine: dict):
    dist = mine["recommend"]["dist"]
    # The table runs across, a column per score: eleven rows of one number would make a long page.
    return api.chart(
        recommend_spec(dist),
        title=_("How likely they would recommend it"),
        headers=[_("Score (0-10)"), *[str(i) for i in range(len(dist))]],
        rows=[[_("People"), *dist]],
    )


def recommend_spec(dist: list[int]) -> dict:
    """How many people gave each recommendation score, as bars with their counts."""
    values = [{"score": str(i), "people": c} for i, c in enumerate(dist)]
    return {
        "width": 300,
        "height": 140,
        "data": {"values": values},
        "encoding": {
            "x": {
                "field": "score",
                "type": "ordinal",
                "sort": None,
                "title": _("Score (0-10)"),
                "axis": {"labelAngle": 0},
            },
            "y": {"field": "people", "type": "quantitative", "title": _("People"), "axis": _count_axis(dist)},
        },
        "layer": [
            {"mark": {"type": "bar", "color": "#0b5cad"}},
            {
                "mark": {"type": "text", "baseline": "bottom", "dy": -2},
                "encoding": {"text": {"field": "people", "type": "quantitative"}},
            },
        ],
    }


def choices_chart(title: str, labels, rows: list[list]):
    counts = [row[1] if isinstance(row[1], int) else 0 for row in rows]
    values = [{"label": label, "people": count} for label, count in zip(labels, counts)]
    spec = {
        "width": 200,
        "height": {"step": 26},
        "data": {"values": values},
        "encoding": {
            "y": {"field": "label", "type": "nominal", "sort": None, "title": None, "axis": {"labelLimit": 120}},
            "x": {
                "field": "people",
                "type": "quantitative",
                "title": _("People of this network"),
                "axis": _count_axis(counts),
            },
        },
        "layer": [
            {"mark": {"type": "bar", "color": "#0b5cad"}},
            {
                "mark": {"type": "text", "align": "left", "dx": 3},
                "encoding": {"text": {"field": "people", "type": "quantitative"}},
            },
        ],
    }
    return api.chart(spec, title=title, headers=[_("Option"), _("This network"), _("Everyone")], rows=rows)


def efficacy_chart(rows: list[dict], series: list[tuple[str, str]], title: str):
    """Each indicator's average at each moment of ``series`` (``(key, label)``, oldest first), as
    points that differ by shape as well as colour, joined by a line from the oldest to the newest."""
    labels = [label for _key, label in series]
    headers = [_("Indicator"), *labels]
    table = [[r["label"], *[_cell(r[key], r.get(key + "_count")) for key, _label in series]] for r in rows]
    return api.chart(efficacy_spec(rows, series), title=title, headers=headers, rows=table)


def efficacy_spec(rows: list[dict], series: list[tuple[str, str]]) -> dict:
    """The drawing of ``efficacy_chart``: one line of points per row's ``label``."""
    values = [
        {"indicator": r["label"], "when": label, "mean": r[key]}
        for r in rows
        for key, label in series
        if r[key] is not None
    ]
    labels = [label for _key, label in series]
    axis_y = {"field": "indicator", "type": "nominal", "sort": None, "title": None, "axis": {"labelLimit": 130}}
    # Both layers on one 1-5 scale (the rule's own would start at 0).
    scale_x = {"domain": [1, 5]}
    return {
        "width": 200,
        "height": {"step": 34},
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "rule", "color": "#768a9e"},
                "encoding": {
                    "y": axis_y,
                    "x": {"aggregate": "min", "field": "mean", "type": "quantitative", "scale": scale_x},
                    "x2": {"aggregate": "max", "field": "mean"},
                },
            },
            {
                "mark": {"type": "point", "filled": True, "size": 110, "opacity": 1},
                "encoding": {
                    "y": axis_y,
                    "x": {
                        "field": "mean",
                        "type": "quantitative",
                        "title": _("Average (1-5)"),
                        "scale": scale_x,
                        "axis": {"values": [1, 2, 3, 4, 5]},
                    },
                    "color": {
                        "field": "when",
                        "type": "nominal",
                        "sort": labels,
                        "title": None,
                        "scale": {"domain": labels},
                    },
                    "shape": {
                        "field": "when",
                        "type": "nominal",
                        "sort": labels,
                        "title": None,
                        "scale": {"domain": labels, "range": SERIES_SHAPES[-len(labels) :]},
                    },
                },
            },
        ],
        "config": {"legend": {"orient": "bottom", "direction": "horizontal"}},
    }


def _cell(value, count) -> str:
    if value is None:
        return "–"
    people = ngettext("%(num)d person", "%(num)d people", count or 0)
    return f"{number(value)} ({people})"


def series_of(ctx: dict) -> list[tuple[str, str]]:
    series = []
    if ctx["t0"]:
        series.append(("t0", _("T0")))
    if ctx["previous"]:
        series.append(("previous", _("Previous questionnaire")))
    series.append(("now", _("This questionnaire")))
    return series


def html(artifact: dict, fmt: str, options: dict) -> Markup:
    ctx = context(artifact, options)
    charts = {}
    mine, data = ctx["mine"], ctx["data"]
    if not mine.get("hidden"):
        if mine["recommend"]["count"]:
            charts["recommend"] = recommend_chart(mine)
        for key, title in (("criteria", _("What mattered")), ("critical", _("What was critical"))):
            labels = data.get(key) or []
            if labels and any(mine.get(key) or []):
                charts[key] = choices_chart(title, labels, _choice_rows(labels, mine, ctx["everyone"], key))
    shown_rows = [r for r in ctx["rows"] if any(r[k] is not None for k in ("now", "t0", "previous"))]
    if shown_rows:
        charts["efficacy"] = efficacy_chart(shown_rows, series_of(ctx), _("Efficacy: this network against its T0"))
    return Markup(
        render_template(
            "evaluation/archive.html",
            fmt=fmt,
            options=options,
            artifact=artifact,
            charts=charts,
            number=number,
            share=share,
            signed=signed,
            cell=_cell,
            **ctx,
        )
    )


# Markdown ---------------------------------------------------------------------------------


def to_markdown(artifact: dict, options: dict) -> str:
    ctx = context(artifact, options)
    data, mine, everyone = ctx["data"], ctx["mine"], ctx["everyone"]
    out = [f"**{markdown_cell(data.get('title') or artifact.get('title', ''))}**", ""]
    out.append(_("People of this network who answered: %(n)d · everyone: %(all)d", n=mine["n"], all=everyone["n"]))
    out.append("")
    if ctx["anonymous"]:
        out += [_("Anonymous: no figures are shown for groups of fewer than 3 people."), ""]
    if mine.get("hidden"):
        out += [
            _("Fewer than 3 people of this network answered: their figures are not shown, to keep answers anonymous."),
            "",
        ]
    network_label, everyone_label = _("This network"), _("Everyone")
    out += ["#### " + _("Satisfaction"), ""]
    out += [f"| | {network_label} | {everyone_label} |", "|---|---:|---:|"]

    def pick(group, what):
        return None if group.get("hidden") else group["recommend"][what]

    mean_label, share_label = _("Average recommendation (0-10)"), _("Would recommend (9 or 10)")
    out.append(f"| {mean_label} | {number(pick(mine, 'mean'))} | {number(pick(everyone, 'mean'))} |")
    out.append(f"| {share_label} | {share(pick(mine, 'share'))} | {share(pick(everyone, 'share'))} |")
    for key, title in (("criteria", _("What mattered")), ("critical", _("What was critical"))):
        if data.get(key):
            out += ["", f"| {title} | {network_label} | {everyone_label} |", "|---|---:|---:|"]
            out += [
                f"| {markdown_cell(label)} | {a} | {b} |"
                for label, a, b in _choice_rows(data[key], mine, everyone, key)
            ]
    for title, entries in ((_("What they would use it for"), ctx["use"]), (_("Comments"), ctx["comments"])):
        if entries and not ctx["texts_hidden"]:
            out += ["", f"{title}:", ""] + [_bullet(e) for e in entries]
    if ctx["rows"]:
        series = series_of(ctx)
        out += [
            "",
            "#### " + _("Efficacy"),
            "",
            "| "
            + " | ".join(
                [_("Indicator"), *[label for _k, label in series]] + ([_("Change since T0")] if ctx["t0"] else [])
            )
            + " |",
            "|---|" + "---:|" * (len(series) + (1 if ctx["t0"] else 0)),
        ]
        for r in ctx["rows"]:
            cells = [markdown_cell(r["label"]), *[_cell(r[k], r.get(k + "_count")) for k, _label in series]]
            if ctx["t0"]:
                cells.append(signed(r["change"]))
            out.append("| " + " | ".join(cells) + " |")
        if not ctx["t0"]:
            out += ["", _("This is the network's first questionnaire: its T0.")]
    if ctx["process"] and not ctx["texts_hidden"]:
        out += ["", "#### " + _("Process")]
        for question, entries in ctx["process"]:
            out += ["", f"**{markdown_cell(question)}**", ""] + ([_bullet(e) for e in entries] or ["–"])
    return "\n".join(out) + "\n"


def _bullet(entry: dict) -> str:
    who = f" ({markdown_cell(entry['who'])})" if entry.get("who") else ""
    return f"- {markdown_cell(entry['text'])}{who}"


@hookimpl
def render_archive(artifact, fmt, options):
    if artifact["exercise_type"] != TYPE:
        return None
    if fmt == "markdown":
        return to_markdown(artifact, options)
    return html(artifact, fmt, options)


# the journey page ---------------------------------------------------------------------


def journey_section(network_id: int):
    """Satisfaction and efficacy of a network at each of its questionnaires, from its T0."""
    found = api.versions(network_id, TYPE)
    if not found:
        return None
    moments = []
    for v in found:
        data = v["data"]
        anonymous = bool(data.get("anonymous", True))
        moments.append(
            {
                "version": v,
                "mine": figures.figures(data.get("network"), anonymous),
                "efficacy": figures.efficacy_of(data),
            }
        )
    latest = found[-1]
    rows = figures.comparison(latest, found[0] if len(found) > 1 else None, None)
    chart = None
    if any(r["now"] is not None or r["t0"] is not None for r in rows):
        series = ([("t0", _("T0"))] if len(found) > 1 else []) + [("now", _("Latest questionnaire"))]
        chart = efficacy_chart(rows, series, _("Efficacy indicators: T0 and the latest questionnaire"))
    labels, keys = [], []
    for moment in moments:
        for key, entry in moment["efficacy"].items():
            if key not in keys:
                keys.append(key)
                labels.append(entry["label"])
    html = render_template(
        "evaluation/journey.html",
        moments=moments,
        chart=chart,
        keys=list(zip(keys, labels)),
        number=number,
        share=share,
        cell=_cell,
    )
    return (30, _("Evaluation: satisfaction and efficacy since T0"), Markup(html))
