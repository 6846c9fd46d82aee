"""The board's results, a pure function of its notes and clusters: per column, the clusters
(with their notes) and the notes left out of any cluster, ranked by their dots.

A cluster counts the dots of its notes; an empty cluster is not ranked. Ties share a
rank (1, 2, 2, 4) and keep the order in which they were written.
"""

from __future__ import annotations


def ranked(entries: list[dict]) -> list[dict]:
    entries = sorted(entries, key=lambda e: (-e["dots"], e["no"]))
    rank, previous = 0, None
    for place, entry in enumerate(entries, 1):
        if entry["dots"] != previous:
            rank, previous = place, entry["dots"]
        entry["rank"] = rank
    return entries


def ranking(columns: list[str], notes: list[dict], clusters: list[dict]) -> list[dict]:
    """``[{"column", "entries": [{"kind": "cluster"|"note", "rank", "dots", ...}]}]``, one per column.
    ``notes`` are the notes to rank (the caller leaves out held ones), each with ``dots``."""
    by_cluster: dict[str, list[dict]] = {}
    known = {k["id"] for k in clusters}
    loose: list[dict] = []
    for note in notes:
        if note.get("cl") in known:
            by_cluster.setdefault(note["cl"], []).append(note)
        else:
            loose.append(note)
    out = []
    for col, title in enumerate(columns):
        entries = []
        for cluster in clusters:
            members = by_cluster.get(cluster["id"]) or []
            if cluster["col"] != col or not members:
                continue
            members = ranked([dict(n) for n in members])
            entries.append({"kind": "cluster", "id": cluster["id"], "name": cluster["name"],
                            "dots": sum(n["dots"] for n in members), "no": min(n["no"] for n in members),
                            "notes": members})
        entries += [{"kind": "note", **note} for note in loose if note["col"] == col]
        out.append({"column": title, "entries": ranked(entries)})
    return out


def top(ranking_: list[dict], n: int = 3) -> list[dict]:
    """The first ``n`` entries of each column (the projector's summary of a team)."""
    return [{"column": c["column"], "entries": c["entries"][:n]} for c in ranking_]
