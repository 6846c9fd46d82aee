"""What a report is about: a lab, a network, a period. Parsed once from a query string (pages,
CSV downloads and the read API alike); anything not valid is left out and said."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from .. import store
from ..schema import parse_int

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Filters:
    """The choice of a report's reader. ``meeting_ids`` are the meetings held that match the lab
    and period (resolved by ``resolve``); a plugin's dashboard section reads its results there."""

    lab_id: int | None = None
    network_id: int | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None
    meeting_ids: tuple[int, ...] = field(default=())

    def query(self) -> dict:
        """The filters as query-string values (for links to CSVs and to the API)."""
        out = {"lab": self.lab_id, "network": self.network_id, "from": self.since, "to": self.until}
        return {k: v for k, v in out.items() if v not in (None, "")}


def _day(value) -> str | None:
    if not isinstance(value, str) or not DATE.match(value):
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        return None
    return value


def parse(args, db) -> tuple[Filters, list[str]]:
    """Filters from ``args`` (``lab``, ``network``, ``from``, ``to``) and the names of the values
    that were not valid (unknown lab or network, a date that is not a date); those are ignored."""
    wrong = []
    lab_id = network_id = None
    if args.get("lab"):
        lab_id = parse_int(args.get("lab"), min=1)
        if lab_id is None or store.lab(db, lab_id) is None:
            wrong.append("lab")
            lab_id = None
    if args.get("network"):
        network_id = parse_int(args.get("network"), min=1)
        if network_id is None or store.network(db, network_id) is None:
            wrong.append("network")
            network_id = None
    since, until = _day(args.get("from")), _day(args.get("to"))
    if args.get("from") and since is None:
        wrong.append("from")
    if args.get("to") and until is None:
        wrong.append("to")
    if since and until and since > until:
        since, until = until, since
    return resolve(db, Filters(lab_id, network_id, since, until)), wrong


def resolve(db, filters: Filters) -> Filters:
    meetings = store.held_meetings(db, filters.lab_id, filters.since, filters.until)
    return replace(filters, meeting_ids=tuple(m["id"] for m in meetings))
