"""The programme's participation figures, as pure functions of stored rows.

Definitions (docs/reports.md says the same to the people who read them):

- an **attendance** is one person signed in to one meeting (admitted) who connected at least once;
- **distinct participants** are people told apart by name and network (participants have no
  account: the same name in the same network at two meetings is one person);
- **meeting hours** add up each meeting's length, from its start to its end (a live one: to now);
- **participant-hours** add up, for each attendance, the time the person was connected, joined
  and left times merged (two tabs open at once count once) and cut to the meeting's start and end;
- **networks reached** are the networks with at least one attendance, out of every network;
- **organisations** are told apart by their name (case and spaces ignored), **professions** by the
  optional profession given when joining.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass
class Figure:
    """One figure of a report: a table (``headers``, ``rows``: what the CSV holds) and, when
    ``spec`` is given, its chart (a Vega-Lite spec, or Vega with ``kind="vega"``) drawn with
    ``api.chart``. ``key`` names its CSV (letters, digits, ``-``)."""

    key: str
    title: str
    headers: list
    rows: list
    spec: dict | None = None
    kind: str = "vega-lite"
    caption: str = ""


@dataclass
class Section:
    """A part of the dashboard: its headline figures (``summary``: (label, value) pairs) and its
    figures. ``order`` places it (lower first; the core's participation is 10)."""

    key: str
    title: str
    figures: list = field(default_factory=list)
    order: int = 100
    summary: list = field(default_factory=list)
    note: str = ""


def epoch(iso: str | None) -> float | None:
    """A stored UTC timestamp (``2026-03-02T08:30:00Z``) as seconds since the epoch."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def merged_seconds(intervals: list[tuple[float, float]]) -> float:
    """The length of a union of intervals (overlaps counted once)."""
    total, end = 0.0, None
    start = None
    for a, b in sorted(intervals):
        if b <= a:
            continue
        if end is None or a > end:
            if end is not None:
                total += end - start
            start, end = a, b
        else:
            end = max(end, b)
    if end is not None:
        total += end - start
    return total


def person_key(name: str, network_id) -> tuple[str, object]:
    return " ".join((name or "").split()).casefold(), network_id


def participation(meetings: list[dict], people: list[dict], attendance: list[dict], *, network_id=None,
                  networks_total: int = 0, now: float) -> dict:
    """Every participation figure of these meetings (optionally of one network's people).

    ``meetings``: rows of ``store.held_meetings``; ``people``: of ``store.participants_of_meetings``;
    ``attendance``: of ``store.attendance_of_meetings``."""
    if network_id is not None:
        people = [p for p in people if p["network_id"] == network_id]
    spans = {}
    for m in meetings:
        start = epoch(m["started_at"])
        end = epoch(m["ended_at"]) if m["ended_at"] else now
        spans[m["id"]] = (start, max(start, end))
    by_person = defaultdict(list)
    for a in attendance:
        by_person[a["participant_id"]].append(a)

    present, seconds = [], {}
    for p in people:
        rows = by_person.get(p["id"])
        if not rows or p["meeting_id"] not in spans:
            continue
        start, end = spans[p["meeting_id"]]
        clipped = [(max(r["joined_at"], start), min(r["left_at"] if r["left_at"] is not None else end, end))
                   for r in rows]
        present.append(p)
        seconds[p["id"]] = merged_seconds(clipped)

    attended = {p["meeting_id"] for p in present}
    counted = [m for m in meetings if network_id is None or m["id"] in attended]
    per_network: dict = {}
    for p in present:
        if p["network_id"] is None:
            continue
        entry = per_network.setdefault(p["network_id"], {"network": p["network"], "meetings": set(),
                                                         "attendances": 0, "seconds": 0.0})
        entry["meetings"].add(p["meeting_id"])
        entry["attendances"] += 1
        entry["seconds"] += seconds[p["id"]]
    per_meeting = []
    for m in counted:
        here = [p for p in present if p["meeting_id"] == m["id"]]
        start, end = spans[m["id"]]
        per_meeting.append({
            "id": m["id"], "title": m["title"], "lab": m["lab_title"], "date": m["date"],
            "hours": hours(end - start), "attendances": len(here),
            "networks": len({p["network_id"] for p in here if p["network_id"] is not None}),
            "participant_hours": hours(sum(seconds[p["id"]] for p in here)),
        })
    organisations: dict = {}
    for p in present:
        key = " ".join((p["organisation"] or "").split()).casefold()
        if key:
            entry = organisations.setdefault(key, {"name": " ".join(p["organisation"].split()), "attendances": 0})
            entry["attendances"] += 1
    professions: dict = defaultdict(lambda: {"attendances": 0, "people": set()})
    for p in present:
        if p["profession"]:
            professions[p["profession"]]["attendances"] += 1
            professions[p["profession"]]["people"].add(person_key(p["name"], p["network_id"]))
    return {
        "meetings": len(counted),
        "attendances": len(present),
        "people": len({person_key(p["name"], p["network_id"]) for p in present}),
        "meeting_hours": hours(sum(spans[m["id"]][1] - spans[m["id"]][0] for m in counted)),
        "participant_hours": hours(sum(seconds.values())),
        "networks_reached": len(per_network),
        "networks_total": networks_total,
        "organisations": len(organisations),
        "professions": len(professions),
        "per_network": sorted(
            ({"network_id": nid, "network": e["network"], "meetings": len(e["meetings"]),
              "attendances": e["attendances"], "participant_hours": hours(e["seconds"])}
             for nid, e in per_network.items()),
            key=lambda e: (-e["meetings"], -e["attendances"], e["network"] or "")),
        "per_meeting": per_meeting,
        "per_organisation": sorted(organisations.values(), key=lambda e: (-e["attendances"], e["name"].casefold())),
        "per_profession": sorted(
            ({"profession": k, "attendances": v["attendances"], "people": len(v["people"])}
             for k, v in professions.items()), key=lambda e: (-e["attendances"], e["profession"])),
    }


def hours(seconds: float) -> float:
    """Seconds as hours, to the hundredth."""
    return round(seconds / 3600, 2)
