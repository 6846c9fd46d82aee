"""A ranking's archived result for reports: HTML and print through its template, with the
average ranks as a chart (``chart``: drawn on the server) whose table holds the distribution of
ranks; Markdown as a table."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from facilitation.api import chart, hookimpl, markdown_cell, ngettext
from facilitation.api import gettext as _

TYPE = "ranking"
LABEL_MAX = 48


def short(text: str, n: int = LABEL_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def ranks_chart(result: dict, title: str):
    """Average rank of each option (a shorter bar: put first more often), best first, with every
    rank's count in the table."""
    if not result.get("n"):
        return None
    rows = result["options"]
    size = len(rows)
    values, seen = [], set()
    for r in rows:
        # Two options with the same words stay two bars.
        name = short(r["option"]) if short(r["option"]) not in seen else f"{short(r['option'])} ({r['index'] + 1})"
        seen.add(name)
        values.append({"option": name, "average": r["average"]})
    spec = {
        "data": {"values": values},
        "mark": {"type": "bar", "color": "#0b5cad"},
        "encoding": {
            "y": {"field": "option", "type": "nominal", "sort": None, "title": None},
            "x": {"field": "average", "type": "quantitative", "title": _("Average rank (1 = first)"),
                  "scale": {"domain": [0, size]}},
        },
        "width": 320,
    }
    headers = [_("Option"), _("Average rank")] + [_("Rank %(n)d", n=k) for k in range(1, size + 1)]
    table = [[r["option"], f"{r['average']:.2f}"] + [str(c) for c in r["ranks"]] for r in rows]
    caption = ngettext("%(num)d answer", "%(num)d answers", result["n"])
    return chart(spec, title=title, headers=headers, rows=table, caption=caption)


def to_markdown(data: dict) -> str:
    overall, network = data.get("overall") or {}, data.get("network") or {}
    mine = {r["index"]: r for r in network.get("options") or []}
    lines = [f"**{markdown_cell(data.get('question', ''))}**", "",
             f"| {_('Option')} | {_('This network')} | {_('Everyone')} |", "|---|---:|---:|"]
    for row in overall.get("options") or []:
        here = mine.get(row["index"])
        network_average = f"{here['average']:.2f}" if here else "—"
        lines.append(f"| {markdown_cell(row['option'])} | {network_average} | {row['average']:.2f} |")
    lines += ["", _("Average rank: 1 is first."), ""]
    lines.append(ngettext("%(num)d answer", "%(num)d answers", overall.get("n", 0)) + " · "
                 + (_("this network: %(n)d", n=network.get("n", 0)) if not network.get("hidden")
                    else _("this network: fewer than %(n)d answers, not shown", n=data.get("min_group", 3))))
    return "\n".join(lines) + "\n"


@hookimpl
def render_archive(artifact, fmt, options):
    if artifact["exercise_type"] != TYPE:
        return None
    data = artifact["data"]
    if fmt == "markdown":
        return to_markdown(data)
    charts = {"overall": ranks_chart(data.get("overall") or {}, _("Average rank: everyone")),
              "network": None if (data.get("network") or {}).get("hidden")
              else ranks_chart(data.get("network") or {}, _("Average rank: this network"))}
    return Markup(render_template("ranking/archive.html", data=data, charts=charts, artifact=artifact, fmt=fmt,
                                  options=options))
