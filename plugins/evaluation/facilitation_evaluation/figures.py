"""The questionnaire's figures, as pure functions of counts: tallies, what a group's figures
are, the small-group rule, and the comparison of a network's efficacy with its T0.

A tally counts one group's answers (everyone, or one network) and never holds a person:
``n`` people who answered; ``r`` how many gave each recommendation score 0-10; ``c`` and
``k`` how many chose each criterion and each critical point; ``e`` for each indicator how
many rated it 1, 2, 3, 4, 5. Means, shares and counts all come from these, so an archived
tally is enough for any later figure (a network's T0, a dashboard across networks).
"""

from __future__ import annotations

# Anonymous results never show a group of fewer people than this.
MIN_GROUP = 3
SCORES = 11  # recommendation, 0 to 10
RATINGS = 5  # efficacy, 1 to 5
# Scores of people who would recommend (the usual reading of a 0-10 recommendation question).
RECOMMENDS = 9


def empty(sizes: tuple[int, int, int]) -> dict:
    criteria, critical, indicators = sizes
    return {
        "n": 0,
        "r": [0] * SCORES,
        "c": [0] * criteria,
        "k": [0] * critical,
        "e": [[0] * RATINGS for _ in range(indicators)],
    }


def _sized(values: list, size: int, fill) -> list:
    out = list(values[:size])
    return out + [fill() if callable(fill) else fill for _ in range(size - len(out))]


def counted(tally: dict | None, answer: dict | None, sign: int, sizes: tuple[int, int, int]) -> dict:
    """``tally`` with one person's ``answer`` added (``sign`` 1) or taken out (-1)."""
    criteria, critical, indicators = sizes
    out = (
        empty(sizes)
        if tally is None
        else {
            "n": tally["n"],
            "r": _sized(tally["r"], SCORES, 0),
            "c": _sized(tally["c"], criteria, 0),
            "k": _sized(tally["k"], critical, 0),
            "e": [list(d) for d in _sized(tally["e"], indicators, lambda: [0] * RATINGS)],
        }
    )
    if not answer:
        return out
    out["n"] += sign
    if answer.get("r") is not None:
        out["r"][answer["r"]] += sign
    for key, size in (("c", criteria), ("k", critical)):
        for i in answer.get(key) or []:
            if 0 <= i < size:
                out[key][i] += sign
    for i, rating in enumerate(answer.get("e") or []):
        if rating is not None and i < indicators:
            out["e"][i][rating - 1] += sign
    return out


def _mean(dist: list[int], first: int) -> float | None:
    count = sum(dist)
    return round(sum((first + i) * c for i, c in enumerate(dist)) / count, 2) if count else None


def shown(count: int, anonymous: bool) -> bool:
    """Whether a group's figures may be shown: always when answers carry names, from
    ``MIN_GROUP`` people when anonymous (nobody recognisable from a small network's figures)."""
    return not anonymous or count >= MIN_GROUP


def figures(tally: dict | None, anonymous: bool) -> dict:
    """What a group's answers say; ``{"n", "hidden": True}`` when the small-group rule hides them."""
    tally = tally or {"n": 0, "r": [0] * SCORES, "c": [], "k": [], "e": []}
    n = tally["n"]
    if not shown(n, anonymous):
        return {"n": n, "hidden": True}
    dist = list(tally["r"])
    said = sum(dist)
    efficacy = []
    for d in tally["e"]:
        # One indicator may have been rated by fewer people than answered: the rule holds for it too.
        count = sum(d)
        efficacy.append(
            {"count": count, "mean": _mean(d, 1), "dist": list(d)}
            if shown(count, anonymous)
            else {"count": count, "hidden": True}
        )
    return {
        "n": n,
        "hidden": False,
        "recommend": {
            "dist": dist,
            "count": said,
            "mean": _mean(dist, 0),
            "share": round(sum(dist[RECOMMENDS:]) / said, 3) if said else None,
        },
        "criteria": list(tally["c"]),
        "critical": list(tally["k"]),
        "efficacy": efficacy,
    }


def indicator_key(label: str) -> str:
    """Indicators of two questionnaires are the same when their wording is (spaces and case aside)."""
    return " ".join(str(label).split()).casefold()


def efficacy_of(data: dict) -> dict[str, dict]:
    """A network's efficacy in one archived questionnaire, by indicator: ``label``, ``mean``,
    ``count``; ``hidden`` when the small-group rule of that questionnaire hides it."""
    shown_figures = figures(data.get("network"), bool(data.get("anonymous")))
    out = {}
    for i, label in enumerate(data.get("indicators") or []):
        if shown_figures.get("hidden"):
            entry = {"hidden": True, "count": None}
        elif i < len(shown_figures["efficacy"]):
            entry = dict(shown_figures["efficacy"][i])
        else:
            entry = {"count": 0, "mean": None}
        out[indicator_key(label)] = {"label": label, **entry}
    return out


def baselines(versions: list[dict], artifact_id: int | None) -> tuple[dict | None, dict | None, dict | None]:
    """(this version, the network's T0, its previous questionnaire) among a network's archived
    versions (oldest first); T0 and previous are None when they are this one, previous is None
    when it is the T0. An unknown ``artifact_id`` is taken as the latest."""
    if not versions:
        return None, None, None
    index = next((i for i, v in enumerate(versions) if v["id"] == artifact_id), len(versions) - 1)
    this = versions[index]
    t0 = versions[0] if index > 0 else None
    previous = versions[index - 1] if index > 1 else None
    return this, t0, previous


def comparison(this: dict, t0: dict | None, previous: dict | None) -> list[dict]:
    """One row per indicator of ``this`` questionnaire: its mean now, at T0 and at the previous
    questionnaire (``None`` where it was not asked, not rated, or hidden by the small-group rule),
    with counts and the change since T0."""
    now = efficacy_of(this["data"])
    then = efficacy_of(t0["data"]) if t0 else {}
    before = efficacy_of(previous["data"]) if previous else {}
    rows = []
    for key, entry in now.items():
        row = {
            "label": entry["label"],
            "now": _value(entry),
            "now_count": entry.get("count"),
            "hidden": bool(entry.get("hidden")),
            "t0": _value(then.get(key)),
            "t0_count": (then.get(key) or {}).get("count"),
            "previous": _value(before.get(key)),
            "previous_count": (before.get(key) or {}).get("count"),
        }
        row["change"] = round(row["now"] - row["t0"], 2) if row["now"] is not None and row["t0"] is not None else None
        rows.append(row)
    return rows


def _value(entry: dict | None) -> float | None:
    if not entry or entry.get("hidden"):
        return None
    return entry.get("mean")
