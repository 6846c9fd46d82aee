"""Exports of a squad version (JSON, Markdown) and the import of a JSON export.

The JSON schema is documented in docs/squad-schema.md; ``read_import`` accepts exactly
what ``to_json`` writes (and a bare canvas), so export then import gives the same canvas.
"""

from __future__ import annotations

import json

from facilitation.api import clean_text
from facilitation.api import gettext as _

from .canvas import KINDS, MAX_COORD, MAX_ITEMS, SCHEMA, SCHEMAS, SINGLETONS

ID_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


class ImportError_(ValueError):
    """An uploaded file that is not a squad canvas; the message says why."""


def to_json(version: dict, network: dict) -> str:
    doc = {
        "schema": SCHEMA,
        "network": network["name"],
        "version": version["number"],
        "saved_at": version["created_at"],
        "meeting": version.get("meeting_title"),
        "reason": version["data"].get("reason"),
        "authors": version["data"].get("authors", []),
        # A version saved before maps kept positions reads as the current schema, its roles not yet placed.
        "canvas": {**version["data"]["canvas"], "schema": SCHEMA},
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


def _text(value, limit, where):
    if not isinstance(value, str) or len(value) > limit:
        raise ImportError_(_("%(where)s must be a text of at most %(n)d characters.", where=where, n=limit))
    return clean_text(value, multiline=where in SINGLETONS)


def _id(value, where, seen):
    if not isinstance(value, str) or not 1 <= len(value) <= 64 or not set(value) <= ID_CHARS:
        raise ImportError_(_("%(where)s has an invalid id.", where=where))
    if value in seen:
        raise ImportError_(_("The id %(id)s is used twice.", id=value))
    seen.add(value)
    return value


def _list(value, where, limit):
    if not isinstance(value, list) or len(value) > limit:
        raise ImportError_(_("%(where)s must be a list of at most %(n)d entries.", where=where, n=limit))
    return value


def _ref(value, known, message) -> str:
    """An id of another item of this canvas (anything else, a list included, is refused)."""
    if not isinstance(value, str) or value not in known:
        raise ImportError_(message)
    return value


def _place(role: dict) -> dict:
    """A role's place on the map: ``x`` and ``y`` together (whole numbers from 0 to ``MAX_COORD``) and
    ``pinned`` (true or false), or nothing: the map lays the role out."""
    if "x" not in role and "y" not in role:
        if "pinned" in role:
            raise ImportError_(_("A role's place on the map needs x and y."))
        return {}
    point = (role.get("x"), role.get("y"))
    if not all(type(v) is int and 0 <= v <= MAX_COORD for v in point):  # noqa: E721 (a bool is no place)
        raise ImportError_(_("A role's place on the map must be two whole numbers from 0 to %(n)d.", n=MAX_COORD))
    if not isinstance(role.get("pinned", False), bool):
        raise ImportError_(_("A role's place on the map is pinned (true) or not (false)."))
    return {"x": point[0], "y": point[1], "pinned": role.get("pinned", False)}


def _object(value, where, allowed):
    if not isinstance(value, dict):
        raise ImportError_(_("%(where)s must be an object.", where=where))
    unknown = set(value) - set(allowed)
    if unknown:
        raise ImportError_(_("%(where)s has unknown fields: %(fields)s", where=where,
                             fields=", ".join(sorted(map(str, unknown)))))
    return value


def read_import(raw: bytes) -> dict:
    """The canvas of an uploaded export, validated, or ``ImportError_``."""
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ImportError_(_("The file is not JSON.")) from None
    except RecursionError:
        raise ImportError_(_("The file is nested too deeply to be a squad canvas.")) from None
    if not isinstance(doc, dict) or doc.get("schema") not in SCHEMAS:
        raise ImportError_(_("The file is not a squad canvas export (schema %(schema)s).", schema=SCHEMA))
    canvas = doc.get("canvas", doc)
    _object(canvas, "canvas", ("schema", "goal", "needs", "strategies", "roles", "interactions"))
    seen: set = set()
    out = {"schema": SCHEMA, "goal": _text(canvas.get("goal", ""), KINDS["goal"][1]["text"], "goal"),
           "needs": _text(canvas.get("needs", ""), KINDS["needs"][1]["text"], "needs"),
           "strategies": [], "roles": [], "interactions": []}
    objectives = 0
    for s in _list(canvas.get("strategies", []), "strategies", MAX_ITEMS["strategy"]):
        _object(s, "strategy", ("id", "title", "objectives"))
        strategy = {"id": _id(s.get("id"), "strategy", seen), "title": _text(s.get("title", ""), 200, "title"),
                    "objectives": []}
        for o in _list(s.get("objectives", []), "objectives", MAX_ITEMS["objective"]):
            objectives += 1
            if objectives > MAX_ITEMS["objective"]:
                raise ImportError_(_("A canvas holds at most %(n)d objectives.", n=MAX_ITEMS["objective"]))
            _object(o, "objective", ("id", "text"))
            strategy["objectives"].append({"id": _id(o.get("id"), "objective", seen),
                                           "text": _text(o.get("text", ""), 300, "objective")})
        out["strategies"].append(strategy)
    strategy_ids = {s["id"] for s in out["strategies"]}
    for r in _list(canvas.get("roles", []), "roles", MAX_ITEMS["role"]):
        _object(r, "role", ("id", "title", "organisation", "profession", "manages", "x", "y", "pinned"))
        outside = _("A role manages a strategy that is not in the canvas.")
        manages = [_ref(m, strategy_ids, outside) for m in _list(r.get("manages", []), "manages", len(strategy_ids))]
        if len(set(manages)) != len(manages):
            raise ImportError_(outside)
        out["roles"].append({"id": _id(r.get("id"), "role", seen), "title": _text(r.get("title", ""), 120, "role"),
                             "organisation": _text(r.get("organisation", ""), 160, "organisation"),
                             "profession": _text(r.get("profession", ""), 160, "profession"),
                             "manages": list(manages), **_place(r)})
    role_ids = {r["id"] for r in out["roles"]}
    for i in _list(canvas.get("interactions", []), "interactions", MAX_ITEMS["interaction"]):
        _object(i, "interaction", ("id", "source", "target", "what", "channel", "frequency"))
        outside = _("An interaction links a role that is not in the canvas.")
        _ref(i.get("source"), role_ids, outside)
        _ref(i.get("target"), role_ids, outside)
        out["interactions"].append({"id": _id(i.get("id"), "interaction", seen), "source": i["source"],
                                    "target": i["target"], "what": _text(i.get("what", ""), 200, "what"),
                                    "channel": _text(i.get("channel", ""), 80, "channel"),
                                    "frequency": _text(i.get("frequency", ""), 80, "frequency")})
    return out


def _md(text: str) -> str:
    """Markdown-inert text: no markup, links or HTML sneak in from what people typed."""
    text = " ".join(str(text).split())
    for ch in "\\`*_{}[]<>()#+!|":
        text = text.replace(ch, "\\" + ch)
    return text


# What makes a spreadsheet read a pasted cell as a formula (full-width forms too).
FORMULA_START = tuple("=+-@＝＋－＠")


def _cell(text: str) -> str:
    """A table cell: Markdown-inert, and text (not a formula) once pasted into a spreadsheet,
    raw or rendered: a leading ``= + - @`` gets an apostrophe before it, as OWASP advises for CSV."""
    text = " ".join(str(text).split())
    return _md("'" + text if text.startswith(FORMULA_START) else text)


def to_markdown(version: dict, network: dict) -> str:
    lines = [f"# {_md(network['name'])}: {_md(_('Territorial squad canvas'))}", "",
             f"{_('Version')} {version['number']} · {version['created_at']}"
             + (f" · {_md(version['meeting_title'])}" if version.get("meeting_title") else ""), ""]
    if version["data"].get("authors"):
        lines += [f"{_('Authors')}: " + ", ".join(_md(a) for a in version["data"]["authors"]), ""]
    return "\n".join(lines) + "\n" + canvas_markdown(version["data"]["canvas"], level=2)


def canvas_markdown(canvas: dict, level: int = 2) -> str:
    """The four steps of a canvas, headed at ``level``."""
    roles = {r["id"]: r["title"] for r in canvas["roles"]}
    strategies = {s["id"]: s["title"] for s in canvas["strategies"]}
    h = "#" * level
    lines = [f"{h} 1. {_('Goal')}", "", f"**{_('Needs the network has found')}:** {_md(canvas['needs'])}", "",
             f"**{_('Change goal')}:** {_md(canvas['goal'])}", "", f"{h} 2. {_('Strategies')}", ""]
    for s in canvas["strategies"]:
        lines.append(f"- **{_md(s['title'])}**")
        lines += [f"  - {_md(o['text'])}" for o in s["objectives"]]
    lines += ["", f"{h} 3. {_('Roles')}", ""]
    for r in canvas["roles"]:
        holders = ", ".join(_md(x) for x in (r["organisation"], r["profession"]) if x)
        managed = ", ".join(_md(strategies[m]) for m in r["manages"] if m in strategies)
        lines.append(f"- **{_md(r['title'])}**" + (f" ({holders})" if holders else "")
                     + (f": {_('manages')} {managed}" if managed else ""))
    lines += ["", f"{h} 4. {_('Interactions')}", "",
              f"| {_('From')} | {_('To')} | {_('What flows')} | {_('Channel')} | {_('How often')} |",
              "|---|---|---|---|---|"]
    for i in canvas["interactions"]:
        lines.append(f"| {_cell(roles.get(i['source'], ''))} | {_cell(roles.get(i['target'], ''))} "
                     f"| {_cell(i['what'])} | {_cell(i['channel'])} | {_cell(i['frequency'])} |")
    return "\n".join(lines) + "\n"
