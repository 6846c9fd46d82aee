"""Agenda templates: a meeting's agenda (its exercises and their configuration) kept to be used
again, meetings created from one, and a meeting duplicated for the next session of its lab.

Two kinds of templates, offered together:

- **shipped** with the platform, one JSON file each in ``agenda_templates/`` (the lab formats of
  the method). Their texts are English msgids marked ``{"_": "..."}``: ``babel_extract`` gives
  them to ``make messages`` (see ``babel.cfg``), and they are translated into the facilitator's
  language when read, so a meeting made from one speaks the language it was prepared in;
- **saved** by facilitators from a meeting, rows of ``agenda_templates`` (``store``).

A template may name an exercise that is not installed here (a plugin removed, or not yet
installed): it is offered with that item marked unavailable, and the item is skipped, with a
message, when the template is used. So is an item whose configuration this installation's
exercise no longer accepts.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask_babel import gettext as _

from . import store
from .schema import ValidationError, defaults, validate

SHIPPED = Path(__file__).resolve().parent / "agenda_templates"
MARK = "_"
SHIPPED_PREFIX, SAVED_PREFIX = "shipped:", "saved:"


# shipped templates -------------------------------------------------------------------


def _marked(value):
    """Every marked text of a shipped template, in the order written."""
    if isinstance(value, dict):
        if set(value) == {MARK}:
            yield value[MARK]
            return
        for v in value.values():
            yield from _marked(v)
    elif isinstance(value, list):
        for v in value:
            yield from _marked(v)


def translated(value):
    """``value`` with every ``{"_": text}`` replaced by its translation now."""
    if isinstance(value, dict):
        if set(value) == {MARK}:
            return _(value[MARK])
        return {k: translated(v) for k, v in value.items()}
    if isinstance(value, list):
        return [translated(v) for v in value]
    return value


def babel_extract(fileobj, keywords, comment_tags, options):
    """Babel's extraction method for shipped templates (``babel.cfg``): each marked text, with its line."""
    text = fileobj.read().decode("utf-8")
    for message in _marked(json.loads(text)):
        at = text.find(json.dumps(message, ensure_ascii=False)[1:-1])
        yield (text.count("\n", 0, at) + 1 if at >= 0 else 1), None, message, []


def shipped() -> list[dict]:
    """The shipped templates, in the reader's language."""
    out = []
    for path in sorted(SHIPPED.glob("*.json")):
        data = json.loads(path.read_text())
        out.append(
            {
                "key": SHIPPED_PREFIX + path.stem,
                "shipped": True,
                "order": data.get("order", 99),
                "name": translated(data["name"]),
                "description": translated(data.get("description", "")),
                "items": translated(data["items"]),
            }
        )
    return sorted(out, key=lambda t: (t["order"], t["key"]))


# every template ------------------------------------------------------------------------


def saved(db) -> list[dict]:
    return [{**t, "key": f"{SAVED_PREFIX}{t['id']}", "shipped": False} for t in store.agenda_templates(db)]


def templates(db, registry) -> list[dict]:
    """Every template, shipped first, each item said available or not."""
    return [annotate(t, registry) for t in [*shipped(), *saved(db)]]


def find(db, registry, key: str) -> dict | None:
    if key.startswith(SAVED_PREFIX):
        number = key[len(SAVED_PREFIX) :]
        found = (
            store.agenda_template(db, int(number))
            if number.isascii() and number.isdigit() and len(number) < 19
            else None
        )
        return annotate({**found, "key": key, "shipped": False}, registry) if found else None
    return next((annotate(t, registry) for t in shipped() if t["key"] == key), None)


def annotate(template: dict, registry) -> dict:
    """Each item with ``title`` and ``available`` (its exercise installed and its configuration accepted)."""
    items = []
    for item in template["items"]:
        config, problem = usable(registry, item)
        exercise = registry.exercises.get(item.get("type", ""))
        title = exercise.title_for(config) if exercise and config else label_of(item, registry)
        items.append(
            {
                **item,
                "title": title,
                "exercise": str(exercise.title) if exercise else item.get("type", ""),
                "available": problem is None,
                "problem": problem,
                "ready": config,
            }
        )
    unavailable = sum(1 for i in items if not i["available"])
    return {**template, "items": items, "unavailable": unavailable}


def label_of(item: dict, registry) -> str:
    exercise = registry.exercises.get(item.get("type", ""))
    return item.get("label") or (str(exercise.title) if exercise else item.get("type", "?"))


def usable(registry, item: dict) -> tuple[dict | None, str | None]:
    """The configuration an item gets in a new meeting, or None and why it is skipped."""
    exercise = registry.exercises.get(item.get("type", ""))
    if exercise is None:
        return None, _("the exercise “%(type)s” is not installed here", type=item.get("type", "?"))
    names = {f.name for f in exercise.config_fields}
    config = {**defaults(exercise.config_fields), **{k: v for k, v in (item.get("config") or {}).items() if k in names}}
    try:
        return exercise.validate_config(validate(exercise.config_fields, config)), None
    except ValidationError:
        return None, _("its settings are not accepted by the installed exercise")


# using them ----------------------------------------------------------------------------


def fill_agenda(db, meeting_id: int, template: dict) -> list[dict]:
    """Add the template's available items to the meeting; returns the items skipped."""
    skipped = []
    for item in template["items"]:
        if item["available"]:
            store.add_item(db, meeting_id, item["type"], item["ready"])
        else:
            skipped.append(item)
    return skipped


def create_meeting(db, lab_id: int, values: dict, template: dict) -> tuple[int, list[dict]]:
    """A new meeting of the lab with the template's agenda; call inside a transaction."""
    meeting_id = store.create_meeting(db, lab_id, values)
    return meeting_id, fill_agenda(db, meeting_id, template)


def duplicate_meeting(db, meeting: dict, values: dict) -> int:
    """A new draft meeting of the same lab with the same agenda, every item pending again (the
    results stay with the first meeting); call inside a transaction."""
    new_id = store.create_meeting(db, meeting["lab_id"], values)
    for item in store.agenda(db, meeting["id"]):
        store.add_item(db, new_id, item["exercise_type"], item["config"])
    return new_id


def save_from_meeting(db, registry, meeting_id: int, name: str, description: str, created_by=None) -> int:
    """Keep a meeting's agenda as a template: each exercise's type, configuration and title."""
    items = []
    for item in store.agenda(db, meeting_id):
        exercise = registry.exercises.get(item["exercise_type"])
        label = exercise.title_for(item["config"]) if exercise else item["exercise_type"]
        items.append({"type": item["exercise_type"], "label": str(label), "config": item["config"]})
    return store.save_agenda_template(db, name, description, items, created_by)


def skipped_message(skipped: list[dict]) -> str:
    return _("Not added, and why: %(items)s.", items="; ".join(f"{i['title']} ({i['problem']})" for i in skipped))
