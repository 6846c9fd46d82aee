"""The lab e-book: one document per lab, its meetings in order.

Title page, the lab's themes, a table of contents, then per meeting its agenda, who took part
(people, networks, organisations) and each exercise's results per network, rendered by the
exercise that made them (``rendering.render``: a third party's exercise appears like the
built-in ones), and last the lab's figures (the dashboard's sections for this lab, plugins'
too: the evaluation summary). The facilitator chooses the meetings, the parts, and whether
people's names appear (by default they do not: networks and counts only).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby

from .. import artifacts, rendering, store
from ..plugins import registry
from ..schema import parse_int
from . import dashboard
from .figures import participation
from .filters import Filters

PARTS = ("agenda", "participation", "results", "figures")


@dataclass
class Options:
    """What goes in: ``meetings`` (ids; empty: every meeting held), ``parts``, ``names``."""

    names: bool = False
    meetings: tuple[int, ...] = ()
    parts: tuple[str, ...] = PARTS
    lang: str = ""

    def as_dict(self) -> dict:
        return {"names": self.names, "meetings": list(self.meetings), "parts": list(self.parts), "lang": self.lang}

    @classmethod
    def from_dict(cls, values: dict) -> Options:
        return cls(bool(values.get("names")), tuple(values.get("meetings") or ()),
                   tuple(p for p in values.get("parts") or PARTS if p in PARTS), values.get("lang") or "")

    def query(self) -> dict:
        """As query-string values, for links that keep the choice."""
        out: dict = {"names": "1" if self.names else "0"}
        if self.meetings:
            out["meeting"] = list(self.meetings)
        if tuple(self.parts) != PARTS:
            out["part"] = list(self.parts)
        return out


def options_from(args, chosen_before: bool = False) -> Options:
    """Options from a form or query string (``names``, ``meeting`` and ``part`` repeated);
    anything unknown is ignored."""
    meetings = tuple(dict.fromkeys(i for i in (parse_int(v, min=1) for v in args.getlist("meeting")[:500]) if i))
    parts = tuple(p for p in PARTS if p in args.getlist("part"))
    explicit = bool(args.get("chosen")) or chosen_before
    return Options(names=args.get("names") == "1", meetings=meetings,
                   parts=parts if (parts or explicit) else PARTS)


@dataclass
class Chapter:
    meeting: dict
    number: int
    agenda: list = field(default_factory=list)
    figures: dict | None = None
    people: list = field(default_factory=list)
    networks: list = field(default_factory=list)  # (name, people)
    organisations: list = field(default_factory=list)
    results: list = field(default_factory=list)  # (item, [(network, rendered)])


def meetings_of(db, lab_id: int, options: Options) -> list[dict]:
    held = store.held_meetings(db, lab_id=lab_id)
    return [m for m in held if not options.meetings or m["id"] in options.meetings]


def chapter(db, meeting: dict, number: int, options: Options, fmt: str, now: float) -> Chapter:
    reg = registry()
    out = Chapter(meeting, number)
    for item in store.agenda(db, meeting["id"]):
        exercise = reg.exercises.get(item["exercise_type"])
        item["title"] = exercise.title_for(item["config"]) if exercise else item["config"].get("title") or ""
        item["kind"] = str(exercise.title) if exercise else item["exercise_type"]
        out.agenda.append(item)
    if "participation" in options.parts:
        people = store.participants_of_meetings(db, [meeting["id"]])
        attendance = store.attendance_of_meetings(db, [meeting["id"]])
        out.figures = participation([meeting], people, attendance, now=now)
        present = {a["participant_id"] for a in attendance}
        people = [p for p in people if p["id"] in present]
        if options.names:
            out.people = sorted((p["name"], p["organisation"], p["network"] or "") for p in people)
        counts: dict = {}
        for p in people:
            counts[p["network"] or ""] = counts.get(p["network"] or "", 0) + 1
        out.networks = sorted(counts.items(), key=lambda e: (-e[1], e[0]))
        out.organisations = sorted({" ".join(p["organisation"].split()) for p in people if p["organisation"].strip()},
                                   key=str.casefold)
    if "results" in options.parts:
        titles = {i["id"]: i for i in out.agenda}
        found = artifacts.of_meetings(db, [meeting["id"]])
        for item_id, group in groupby(found, key=lambda a: a["item_id"]):
            rendered = [(a["network"], rendering.render(a, fmt, {"names": options.names})) for a in group]
            item = titles.get(item_id) or {"title": "", "kind": ""}
            out.results.append((item, rendered))
    return out


def build(db, lab_id: int, options: Options, fmt: str, progress: Callable[[int, int], None] | None = None,
          only: int | None = None, chapters: bool = True) -> dict:
    """Everything the e-book's templates need. ``progress(done, total)`` is told after each
    chapter. The web shows one part at a time: the cover, contents and the lab's figures
    (``chapters=False``), or one meeting's chapter (``only``)."""
    lab = store.lab(db, lab_id)
    meetings = meetings_of(db, lab_id, options)
    now = time.time()
    chosen = [m for m in meetings if only is None or m["id"] == only] if chapters else []
    built = []
    for i, meeting in enumerate(chosen):
        built.append(chapter(db, meeting, meetings.index(meeting) + 1, options, fmt, now))
        if progress:
            progress(i + 1, len(chosen))
    sections = []
    if "figures" in options.parts and only is None and meetings:
        filters = Filters(lab_id=lab_id, meeting_ids=tuple(m["id"] for m in meetings))
        for section in dashboard.sections(db, filters, now):
            if section.key == dashboard.CORE:
                section.figures = [f for f in section.figures if f.key != "organisations"]
            sections.append((section, [dashboard.drawn(f) for f in section.figures]))
    return {"lab": lab, "networks": store.lab_networks(db, lab_id), "meetings": meetings, "chapters": built,
            "sections": sections, "options": options, "fmt": fmt}
