"""The squad canvas as plain data: units in the state, the canvas document, checks, differences.

In the live state every item is its own unit under its own key (``goal``, ``needs``,
``s:<id>`` strategy, ``o:<id>`` objective, ``r:<id>`` role, ``i:<id>`` interaction).
A deleted item stays as a tombstone (``del``), so a deletion can be undone and an
edit racing with it gets a clear answer. The canvas document (``canvas_of``) is what
versions, exports and comparisons use: live items only, in creation order.
"""

from __future__ import annotations

SCHEMA = "facilitation.squad/2"
# Version 1 had no positions on the map; it reads as version 2 with every role still to be laid out.
SCHEMAS = ("facilitation.squad/1", SCHEMA)

# kind -> (key prefix, editable text fields with their length limits, step)
KINDS = {
    "goal": ("goal", {"text": 1000}, 1),
    "needs": ("needs", {"text": 2000}, 1),
    "strategy": ("s:", {"title": 200}, 2),
    "objective": ("o:", {"text": 300}, 2),
    "role": ("r:", {"title": 120, "organisation": 160, "profession": 160}, 3),
    "interaction": ("i:", {"what": 200, "channel": 80, "frequency": 80}, 4),
}
SINGLETONS = ("goal", "needs")
STEPS = (1, 2, 3, 4)
# Fields naming other items, fixed or checked against live items.
REFERENCES = {"objective": {"strategy": "s:"}, "interaction": {"source": "r:", "target": "r:"}}
PREFIX_KIND = {KINDS[k][0]: k for k in KINDS if k not in SINGLETONS}
# The most items of each kind one canvas holds, on import and on live add: several times what a
# real network writes (a handful of strategies with a few objectives each, a dozen roles), so they
# bound a page, a snapshot and a comparison (docs/performance.md), never a real squad.
MAX_ITEMS = {"strategy": 40, "objective": 200, "role": 80, "interaction": 300}
# Deleted items stay restorable as tombstones; all of a kind, deleted or not, stay under this many times the limit.
MAX_WITH_DELETED = 2
# Where a role sits on the map: the centre of its box, in map units (a CSS pixel at the map's own size).
MAX_COORD = 10_000
POSITION = ("x", "y", "pinned")


def key_of(kind: str, item_id: str | None = None) -> str:
    prefix = KINDS[kind][0]
    return prefix if kind in SINGLETONS else prefix + item_id


def kind_of(key: str) -> str | None:
    if key in SINGLETONS:
        return key
    return PREFIX_KIND.get(key[:2])


def alive(unit) -> bool:
    return bool(unit) and not unit.get("del")


def _ordered(units: dict, prefix: str) -> list[dict]:
    found = [u for k, u in units.items() if k.startswith(prefix) and alive(u)]
    return sorted(found, key=lambda u: (u.get("at", 0), u["id"]))


def position(unit: dict) -> dict:
    """A role's place on the map, if it has one: ``x``, ``y`` and ``pinned`` (placed by a person,
    so the automatic layout leaves it where it is)."""
    if type(unit.get("x")) is not int or type(unit.get("y")) is not int:  # noqa: E721 (a bool is no place)
        return {}
    return {"x": unit["x"], "y": unit["y"], "pinned": bool(unit.get("pinned"))}


def canvas_of(units: dict) -> dict:
    """The canvas document of a state's units (``units`` maps keys to units)."""
    strategies = _ordered(units, "s:")
    strategy_ids = {s["id"] for s in strategies}
    objectives = _ordered(units, "o:")
    roles = _ordered(units, "r:")
    role_ids = {r["id"] for r in roles}
    return {
        "schema": SCHEMA,
        "goal": (units.get("goal") or {}).get("text", ""),
        "needs": (units.get("needs") or {}).get("text", ""),
        "strategies": [
            {"id": s["id"], "title": s.get("title", ""),
             "objectives": [{"id": o["id"], "text": o.get("text", "")} for o in objectives
                            if o.get("strategy") == s["id"]]}
            for s in strategies],
        "roles": [
            {"id": r["id"], "title": r.get("title", ""), "organisation": r.get("organisation", ""),
             "profession": r.get("profession", ""),
             "manages": [sid for sid in r.get("manages", []) if sid in strategy_ids], **position(r)}
            for r in roles],
        "interactions": [
            {"id": i["id"], "source": i.get("source", ""), "target": i.get("target", ""),
             "what": i.get("what", ""), "channel": i.get("channel", ""), "frequency": i.get("frequency", "")}
            for i in _ordered(units, "i:") if i.get("source") in role_ids and i.get("target") in role_ids],
    }


def units_of(canvas: dict) -> dict:
    """The units a canvas document starts a state with (ids and order kept)."""
    units: dict = {}

    def unit(kind, item_id, at, **fields):
        return {"id": item_id, "kind": kind, "v": 1, "m": {}, "by": {}, "at": at, **fields}

    for kind in SINGLETONS:
        if canvas.get(kind):
            units[kind] = unit(kind, kind, 0, text=canvas[kind])
    at = 0
    for s in canvas.get("strategies", []):
        at += 1
        units["s:" + s["id"]] = unit("strategy", s["id"], at, title=s["title"])
        for o in s.get("objectives", []):
            at += 1
            units["o:" + o["id"]] = unit("objective", o["id"], at, text=o["text"], strategy=s["id"])
    for r in canvas.get("roles", []):
        at += 1
        units["r:" + r["id"]] = unit("role", r["id"], at, title=r["title"], organisation=r.get("organisation", ""),
                                     profession=r.get("profession", ""), manages=list(r.get("manages", [])),
                                     **position(r))
    for i in canvas.get("interactions", []):
        at += 1
        units["i:" + i["id"]] = unit("interaction", i["id"], at, source=i["source"], target=i["target"],
                                     what=i.get("what", ""), channel=i.get("channel", ""),
                                     frequency=i.get("frequency", ""))
    return units


def checks(units: dict) -> list[dict]:
    """What a facilitator should look at: {code, key, label}. Same rules as squad.js ``checks``."""
    strategies = _ordered(units, "s:")
    roles = _ordered(units, "r:")
    interactions = _ordered(units, "i:")
    objectives = _ordered(units, "o:")
    live_roles = {r["id"] for r in roles}
    with_objective = {o.get("strategy") for o in objectives}
    managed = {sid for r in roles for sid in r.get("manages", [])}
    linked = {rid for i in interactions for rid in (i.get("source"), i.get("target"))}
    out = []
    for s in strategies:
        if s["id"] not in with_objective:
            out.append({"code": "strategy_without_objective", "key": "s:" + s["id"], "label": s.get("title", "")})
        if s["id"] not in managed:
            out.append({"code": "strategy_unmanaged", "key": "s:" + s["id"], "label": s.get("title", "")})
    for r in roles:
        if r["id"] not in linked:
            out.append({"code": "role_without_interaction", "key": "r:" + r["id"], "label": r.get("title", "")})
    for i in interactions:
        if i.get("source") not in live_roles or i.get("target") not in live_roles:
            out.append({"code": "interaction_to_deleted_role", "key": "i:" + i["id"], "label": i.get("what", "")})
    return out


# comparing two versions ------------------------------------------------------

def _fields_changed(before: dict, after: dict, names) -> list[dict]:
    return [{"field": n, "before": before.get(n, ""), "after": after.get(n, "")}
            for n in names if before.get(n, "") != after.get(n, "")]


def _compare_lists(kind, old: list, new: list, names, label) -> list[dict]:
    out = []
    old_by, new_by = {x["id"]: x for x in old}, {x["id"]: x for x in new}
    for x in new:
        if x["id"] not in old_by:
            out.append({"change": "added", "kind": kind, "id": x["id"], "label": label(x, new=True),
                        "fields": _fields_changed({}, x, names)})
        else:
            fields = _fields_changed(old_by[x["id"]], x, names)
            if fields:
                out.append({"change": "changed", "kind": kind, "id": x["id"], "label": label(x, new=True),
                            "fields": fields})
    for x in old:
        if x["id"] not in new_by:
            out.append({"change": "removed", "kind": kind, "id": x["id"], "label": label(x, new=False),
                        "fields": _fields_changed(x, {}, names)})
    return out


def compare(a: dict, b: dict) -> dict:
    """What changed from canvas ``a`` to canvas ``b``, per step: lists of
    ``{change: added|changed|removed, kind, id, label, fields: [{field, before, after}]}``."""
    def strategy_titles(canvas):
        return {s["id"]: s["title"] for s in canvas.get("strategies", [])}

    def role_titles(canvas):
        return {r["id"]: r["title"] for r in canvas.get("roles", [])}

    goal = []
    for kind in SINGLETONS:
        before, after = a.get(kind, ""), b.get(kind, "")
        if before != after:
            change = "added" if not before else "removed" if not after else "changed"
            goal.append({"change": change, "kind": kind, "id": kind, "label": after or before,
                         "fields": [{"field": "text", "before": before, "after": after}]})

    titles = {**strategy_titles(a), **strategy_titles(b)}
    strategies = _compare_lists("strategy", a.get("strategies", []), b.get("strategies", []), ["title"],
                                lambda x, new: x["title"])

    def objectives(canvas):
        return [{**o, "strategy": s["id"]} for s in canvas.get("strategies", []) for o in s.get("objectives", [])]

    strategies += _compare_lists("objective", objectives(a), objectives(b), ["text"],
                                 lambda x, new: f'{titles.get(x["strategy"], "")}: {x["text"]}')

    def readable_roles(canvas):
        names = strategy_titles(canvas)
        return [{**r, "manages": ", ".join(names.get(s, s) for s in r.get("manages", []))}
                for r in canvas.get("roles", [])]

    roles = _compare_lists("role", readable_roles(a), readable_roles(b),
                           ["title", "organisation", "profession", "manages"], lambda x, new: x["title"])

    role_names = {**role_titles(a), **role_titles(b)}

    def readable_links(canvas):
        names = role_titles(canvas)
        return [{**i, "source": names.get(i["source"], i["source"]), "target": names.get(i["target"], i["target"])}
                for i in canvas.get("interactions", [])]

    interactions = _compare_lists("interaction", readable_links(a), readable_links(b),
                                  ["source", "target", "what", "channel", "frequency"],
                                  lambda x, new: f'{role_names.get(x["source"], x["source"])} → '
                                                 f'{role_names.get(x["target"], x["target"])}: {x["what"]}')
    return {"goal": goal, "strategies": strategies, "roles": roles, "interactions": interactions}
