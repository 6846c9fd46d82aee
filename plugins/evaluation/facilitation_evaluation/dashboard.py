"""The questionnaire's part of the programme dashboard: satisfaction across the networks and
each network's efficacy at its T0 and now.

Figures come from the tallies the networks archived (``figures.py``): the people of every
network that answered the questionnaires held in the chosen meetings, added up. Anonymous
answers keep the small-group rule: a group of fewer than 3 people shows no breakdown.
"""

from __future__ import annotations

from facilitation import api
from facilitation.api import DashboardFigure, DashboardSection, archived_results, format_percent
from facilitation.api import gettext as _

from . import figures
from .render import TYPE, efficacy_spec, number, recommend_spec


def sections(filters) -> list:
    found = archived_results(TYPE, meeting_ids=filters.meeting_ids, network_id=filters.network_id)
    if not found:
        return []
    return [satisfaction(found), efficacy(found)]


def _added(found: list[dict], key: str) -> tuple[int, list[int], dict[str, list]]:
    """People, their recommendation scores and how many chose each option of ``key`` (``criteria``
    or ``critical``; options of different questionnaires are one when their wording is), over
    every network's archived tally."""
    n, dist, chosen = 0, [0] * figures.SCORES, {}
    for artifact in found:
        data = artifact["data"]
        tally = data.get("network") or {}
        n += tally.get("n", 0)
        for score, people in enumerate((tally.get("r") or [])[: figures.SCORES]):
            dist[score] += people
        counts = tally.get("c" if key == "criteria" else "k") or []
        for i, label in enumerate(data.get(key) or []):
            entry = chosen.setdefault(figures.indicator_key(label), [label, 0])
            entry[1] += counts[i] if i < len(counts) else 0
    return n, dist, chosen


def satisfaction(found: list[dict]):
    anonymous = any(bool(a["data"].get("anonymous", True)) for a in found)
    n, dist, criteria = _added(found, "criteria")
    _n, _dist, critical = _added(found, "critical")
    people = (_("People who answered"), str(n))
    if not figures.shown(n, anonymous):
        return DashboardSection(
            "satisfaction",
            _("Satisfaction"),
            [],
            order=40,
            summary=[people],
            note=_("Fewer than 3 people answered anonymously: no figures are shown, so nobody can be recognised."),
        )
    said = sum(dist)
    recommend = sum(dist[figures.RECOMMENDS :]) / said if said else None
    mean = sum(score * people for score, people in enumerate(dist)) / said if said else None
    summary = [
        people,
        (_("Would recommend it (9 or 10)"), "–" if recommend is None else format_percent(recommend, format="#,##0%")),
        (_("Average score (0-10)"), number(mean)),
    ]
    shown = [
        DashboardFigure(
            "recommend",
            _("How likely they would recommend it"),
            [_("Score (0-10)"), _("People")],
            [[score, people] for score, people in enumerate(dist)],
            recommend_spec(dist),
        )
    ]
    for key, title, chosen in (
        ("criteria", _("What mattered most"), criteria),
        ("critical", _("What was critical"), critical),
    ):
        rows = sorted(([label, count] for label, count in chosen.values()), key=lambda r: (-r[1], r[0].casefold()))
        if rows:
            shown.append(DashboardFigure(key, title, [_("Option"), _("People")], rows, choices_spec(rows)))
    return DashboardSection(
        "satisfaction",
        _("Satisfaction"),
        shown,
        order=40,
        summary=summary,
        note=_("From the evaluation questionnaires of the chosen meetings: every network's answers added up."),
    )


def choices_spec(rows: list[list]) -> dict:
    return {
        "width": 260,
        "height": {"step": 26},
        "data": {"values": [{"label": label, "people": count} for label, count in rows]},
        "encoding": {
            "y": {"field": "label", "type": "nominal", "sort": None, "title": None, "axis": {"labelLimit": 180}},
            "x": {
                "field": "people",
                "type": "quantitative",
                "title": _("People"),
                "axis": {"tickMinStep": 1, "format": "d"},
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


def efficacy(found: list[dict]):
    """Per network: each indicator's average at the network's T0 (its first questionnaire ever)
    and now (its latest among the chosen meetings)."""
    latest: dict[int, dict] = {}
    for artifact in found:
        known = latest.get(artifact["network_id"])
        if known is None or (artifact.get("meeting_date") or "", artifact["id"]) >= (
            known.get("meeting_date") or "",
            known["id"],
        ):
            latest[artifact["network_id"]] = artifact
    rows, lines = [], []
    for network_id, now in sorted(latest.items(), key=lambda kv: kv[1]["network"].casefold()):
        versions = api.versions(network_id, TYPE)
        t0 = versions[0] if versions and versions[0]["id"] != now["id"] else None
        for row in figures.comparison(now, t0, None):
            line = {**row, "label": f"{now['network']} · {row['label']}"}
            lines.append(line)
            rows.append([now["network"], row["label"], row["t0"], row["now"], row["change"]])
    shown = [r for r in lines if r["now"] is not None or r["t0"] is not None]
    series = [("t0", _("T0")), ("now", _("Now"))]
    return DashboardSection(
        "efficacy",
        _("Efficacy since T0"),
        [
            DashboardFigure(
                "indicators",
                _("Efficacy indicators per network: T0 and now (average 1-5)"),
                [_("Network"), _("Indicator"), _("T0"), _("Now"), _("Change")],
                rows,
                efficacy_spec(shown, series) if shown else None,
            )
        ],
        order=45,
        note=_(
            "T0 is each network's first questionnaire; now is its latest in the chosen meetings. "
            "An empty cell: not asked then, or fewer than 3 people answered anonymously."
        ),
    )
