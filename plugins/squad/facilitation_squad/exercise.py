"""The territorial squad canvas: goal, strategies, roles, interactions, built live by a team.

Each action touches only the keys of the items it concerns. Concurrent edits of one
field resolve by the server's order (the later write wins, deterministically, on
every screen); the unit keeps the value it replaced in ``prev`` and the broadcast
names both writers, so the person whose edit lost is told and sees both values.
"""

from __future__ import annotations

from facilitation.api import (
    EVERYONE,
    TEAM,
    Action,
    ActionError,
    ActionSpec,
    Actor,
    Exercise,
    Field,
    Outcome,
    State,
    clean_text,
)
from facilitation.api import lazy_gettext as _l

from .canvas import (
    KINDS,
    MAX_ITEMS,
    MAX_WITH_DELETED,
    REFERENCES,
    SCHEMA,
    SINGLETONS,
    alive,
    canvas_of,
    checks,
    key_of,
    kind_of,
)

EDITORS = frozenset({"participant", "facilitator"})
ITEM_KINDS = tuple(k for k in KINDS if k not in SINGLETONS)
# The core's reserved key of a seeded space (docs/plugins.md): present once a team started.
START_KEY = "@start"
STEP_HELP = {
    1: _l("Start from the needs your network has found, then write one change goal coherent with them: "
          "the change you want to see in your territory."),
    2: _l("Which strategies pursue the goal? Give each strategy its specific objectives."),
    3: _l("Which roles together manage the strategies? Say which organisation and which profession hold "
          "each role, and which strategies it manages."),
    4: _l("How must the roles interact? Draw the flows between them: who talks to whom, about what, "
          "through which channel and how often."),
}


class Squad(Exercise):
    type = "squad"
    title = _l("Territorial squad canvas")
    description = _l("Each network builds its squad in four steps: goal, strategies, roles, interactions.")
    icon = "✦"
    script = "squad.js"
    stylesheet = "squad.css"
    archive_template = "squad/archive.html"
    team_scoped = True
    workspace = True
    config_fields = [
        Field("title", "text", _l("Title"), default="", max_length=200),
        Field("start", "choice", _l("Each network starts from"), default="latest", required=True,
              choices=(("latest", _l("its latest saved version")), ("blank", _l("a blank canvas")))),
    ]
    actions = {
        "add": ActionSpec([Field("kind", "choice", required=True, choices=ITEM_KINDS),
                           Field("id", "id", required=True),
                           Field("fields", "json", default={})], roles=EDITORS, rate="edit"),
        "edit": ActionSpec([Field("kind", "choice", required=True, choices=tuple(KINDS)),
                            Field("id", "id"),
                            Field("field", "text", required=True, max_length=40),
                            Field("value", "json", required=True),
                            Field("base", "int", default=0, min=0)], roles=EDITORS, rate="edit"),
        "delete": ActionSpec([Field("kind", "choice", required=True, choices=ITEM_KINDS),
                              Field("id", "id", required=True)], roles=EDITORS, rate="edit"),
        "restore": ActionSpec([Field("kind", "choice", required=True, choices=ITEM_KINDS),
                               Field("id", "id", required=True)], roles=EDITORS, rate="edit"),
        "manage": ActionSpec([Field("role", "id", required=True), Field("strategy", "id", required=True),
                              Field("on", "bool", default=True)], roles=EDITORS, rate="edit"),
        "focus": ActionSpec([Field("target", "text", default="", max_length=80)], roles=EDITORS, rate="edit"),
        "save": ActionSpec([], roles=EDITORS, rate="vote"),
        "set_step": ActionSpec([Field("step", "int", required=True, min=0, max=4)],
                               roles=frozenset({"facilitator"}), rate="vote", needs_open=False),
    }

    def title_for(self, config: dict) -> str:
        return config.get("title") or str(self.title)

    def start_state(self, config: dict, previous: dict | None) -> dict:
        if config.get("start") == "blank" or not previous or previous.get("schema") != SCHEMA:
            return {}
        from .canvas import units_of

        return units_of(previous["canvas"])

    def workspace_config(self) -> dict:
        return {"start": "latest"}

    # the pure state function ----------------------------------------------

    def apply(self, state: State, action: Action, actor: Actor) -> Outcome:
        handler = getattr(self, "_do_" + action.type, None)
        if handler is None:
            raise ActionError("unknown_action", _l("Unknown action."))
        if action.type == "set_step":
            return handler(state, action, actor)
        if not state.scope:
            raise ActionError("no_team", _l("Open a team's canvas to edit it."))
        return handler(state, action, actor)

    def _step_allows(self, state: State, kind: str, actor: Actor) -> None:
        step = (state.shared.get("step") or {}).get("step", 0)
        if step and not actor.is_facilitator and KINDS[kind][2] != step:
            raise ActionError("other_step", _l("The facilitator has moved the teams to another step."))

    def _by(self, actor: Actor) -> dict:
        return {"k": actor.key, "n": actor.name}

    def _authors(self, state: State, actor: Actor, changes: dict) -> None:
        authors = state.get("authors") or {}
        if actor.key not in authors:
            changes["authors"] = {**authors, actor.key: actor.name}

    def _clean_text(self, kind: str, field: str, value) -> str:
        limit = KINDS[kind][1].get(field)
        if limit is None:
            raise ActionError("invalid", _l("This field cannot be edited."))
        if not isinstance(value, str):
            raise ActionError("invalid", _l("Write some text."))
        value = clean_text(value, multiline=kind in SINGLETONS)
        if len(value) > limit:
            raise ActionError("invalid", _l("This text is too long (at most %(n)d characters).", n=limit))
        return value

    def _room_for(self, state: State, kind: str, restoring: bool = False) -> None:
        """Refuse one more item past the canvas limits (canvas.MAX_ITEMS), deleted ones counted apart."""
        units = state.prefix(KINDS[kind][0]).values()
        limit = MAX_ITEMS[kind]
        if sum(map(alive, units)) >= limit or (not restoring and len(units) >= limit * MAX_WITH_DELETED):
            raise ActionError("too_many", _l("This canvas holds at most %(n)d items of this kind.", n=limit))

    def _live(self, state: State, key: str, missing_message) -> dict:
        unit = state.get(key)
        if not alive(unit):
            raise ActionError("gone", missing_message, key=key)
        return unit

    def _put(self, changes: dict, broadcast_ops: list, key: str, unit: dict | None) -> None:
        changes[key] = unit
        broadcast_ops.append({"key": key, "unit": unit})

    def _outcome(self, changes, ops, reply=None, **extra) -> Outcome:
        data = {"ops": ops, **extra}
        return Outcome(changes=changes, broadcast=[(TEAM, data)], reply={"ops": ops, **(reply or {})})

    def _do_add(self, state: State, action: Action, actor: Actor) -> Outcome:
        kind, item_id, fields = action.payload["kind"], action.payload["id"], action.payload["fields"] or {}
        self._step_allows(state, kind, actor)
        key = key_of(kind, item_id)
        if state.get(key) is not None:
            raise ActionError("exists", _l("This item exists already."), key=key)
        self._room_for(state, kind)
        if not isinstance(fields, dict):
            raise ActionError("invalid", _l("The item is not valid."))
        unit = {"id": item_id, "kind": kind, "v": 1, "m": {}, "by": {}, "at": action.at}
        for name, value in fields.items():
            if name in REFERENCES.get(kind, {}):
                continue
            unit[name] = self._clean_text(kind, name, value)
            unit["m"][name] = 1
            unit["by"][name] = self._by(actor)
        for name, prefix in REFERENCES.get(kind, {}).items():
            ref = fields.get(name)
            if not isinstance(ref, str) or not alive(state.get(prefix + ref)):
                raise ActionError("gone", _l("What this item points to was deleted."), field=name)
            unit[name] = ref
        if kind == "role":
            unit["manages"] = []
        changes, ops = {}, []
        self._put(changes, ops, key, unit)
        self._authors(state, actor, changes)
        return self._outcome(changes, ops)

    def _do_edit(self, state: State, action: Action, actor: Actor) -> Outcome:
        p = action.payload
        kind, field = p["kind"], p["field"]
        self._step_allows(state, kind, actor)
        if kind not in SINGLETONS and not p.get("id"):
            raise ActionError("invalid", _l("The item is not valid."))
        key = key_of(kind, p.get("id"))
        if kind in SINGLETONS:
            unit = state.get(key) or {"id": kind, "kind": kind, "v": 0, "m": {}, "by": {}, "at": 0}
        else:
            unit = self._live(state, key, _l("Someone deleted this item in the meantime."))
        if field in REFERENCES.get(kind, {}):
            if kind == "objective":
                raise ActionError("invalid", _l("This field cannot be edited."))
            value = p["value"]
            if not isinstance(value, str) or not alive(state.get("r:" + value)):
                raise ActionError("gone", _l("What this item points to was deleted."), field=field)
        else:
            value = self._clean_text(kind, field, p["value"])
        old = unit.get(field, "")
        if old == value:
            return Outcome(reply={"unchanged": True, "v": unit["v"]})
        base = min(p["base"], unit["v"])
        version = unit["v"] + 1
        conflict = None
        modified = dict(unit.get("m", {}))
        authors = dict(unit.get("by", {}))
        if modified.get(field, 0) > base:
            # Someone changed this field after the sender last saw it: the later write wins,
            # and the replaced value is kept so both are visible.
            conflict = {"key": key, "field": field, "lost": {"value": old, "by": authors.get(field)},
                        "won": {"value": value, "by": self._by(actor)}}
        modified[field] = version
        authors[field] = self._by(actor)
        new = {**unit, field: value, "v": version, "m": modified, "by": authors}
        if conflict:
            new["prev"] = {**unit.get("prev", {}), field: conflict["lost"]}
        elif "prev" in new and field in new["prev"]:
            new["prev"] = {k: v for k, v in new["prev"].items() if k != field}
        changes, ops = {}, []
        self._put(changes, ops, key, new)
        self._authors(state, actor, changes)
        extra = {"conflict": conflict} if conflict else {}
        return self._outcome(changes, ops, reply=extra, **extra)

    def _do_delete(self, state: State, action: Action, actor: Actor) -> Outcome:
        kind, item_id = action.payload["kind"], action.payload["id"]
        self._step_allows(state, kind, actor)
        key = key_of(kind, item_id)
        unit = self._live(state, key, _l("This item was deleted already."))
        changes, ops = {}, []
        self._put(changes, ops, key, {**unit, "del": True, "v": unit["v"] + 1, "del_by": self._by(actor)})
        # A role takes its interactions with it, a strategy its objectives: restored together.
        if kind == "role":
            for k, link in state.prefix("i:").items():
                if alive(link) and item_id in (link.get("source"), link.get("target")):
                    self._put(changes, ops, k, {**link, "del": True, "v": link["v"] + 1, "with": key})
        elif kind == "strategy":
            for k, objective in state.prefix("o:").items():
                if alive(objective) and objective.get("strategy") == item_id:
                    self._put(changes, ops, k, {**objective, "del": True, "v": objective["v"] + 1, "with": key})
        self._authors(state, actor, changes)
        return self._outcome(changes, ops)

    def _do_restore(self, state: State, action: Action, actor: Actor) -> Outcome:
        kind, item_id = action.payload["kind"], action.payload["id"]
        self._step_allows(state, kind, actor)
        key = key_of(kind, item_id)
        unit = state.get(key)
        if unit is None or alive(unit):
            raise ActionError("not_deleted", _l("There is nothing to restore."), key=key)
        if kind == "objective" and not alive(state.get("s:" + unit.get("strategy", ""))):
            raise ActionError("gone", _l("Restore its strategy first."), key=key)
        self._room_for(state, kind, restoring=True)
        changes, ops = {}, []
        self._put(changes, ops, key, self._revive(unit))
        if kind in ("role", "strategy"):
            prefix = "i:" if kind == "role" else "o:"
            for k, other in state.prefix(prefix).items():
                if other.get("del") and other.get("with") == key:
                    self._put(changes, ops, k, self._revive(other))
        self._authors(state, actor, changes)
        return self._outcome(changes, ops)

    def _revive(self, unit: dict) -> dict:
        return {k: v for k, v in unit.items() if k not in ("del", "del_by", "with")} | {"v": unit["v"] + 1}

    def _do_manage(self, state: State, action: Action, actor: Actor) -> Outcome:
        p = action.payload
        self._step_allows(state, "role", actor)
        key = "r:" + p["role"]
        role = self._live(state, key, _l("Someone deleted this item in the meantime."))
        if p["on"] and not alive(state.get("s:" + p["strategy"])):
            raise ActionError("gone", _l("What this item points to was deleted."), field="strategy")
        manages = [s for s in role.get("manages", []) if s != p["strategy"]]
        if p["on"]:
            manages.append(p["strategy"])
        if manages == role.get("manages", []):
            return Outcome(reply={"unchanged": True, "v": role["v"]})
        changes, ops = {}, []
        self._put(changes, ops, key, {**role, "manages": manages, "v": role["v"] + 1})
        self._authors(state, actor, changes)
        return self._outcome(changes, ops)

    def _do_focus(self, state: State, action: Action, actor: Actor) -> Outcome:
        target = action.payload["target"] or None
        if target is not None and kind_of(target) is None:
            raise ActionError("invalid", _l("The item is not valid."))
        key = "f:" + actor.key
        unit = {"id": actor.key, "name": actor.name, "target": target, "at": action.at} if target else None
        if (state.get(key) or {}).get("target") == target:
            return Outcome(reply={"unchanged": True})
        changes, ops = {}, []
        self._put(changes, ops, key, unit)
        outcome = self._outcome(changes, ops)
        outcome.presence = True
        return outcome

    def _do_save(self, state: State, action: Action, actor: Actor) -> Outcome:
        data = self._version(state, "saved", actor)
        return Outcome(archive=data, broadcast=[(TEAM, {"saved": {"by": actor.name, "at": action.at}})],
                       reply={"saved": True})

    def _do_set_step(self, state: State, action: Action, actor: Actor) -> Outcome:
        if state.scope:
            raise ActionError("invalid", _l("Steps are set for all teams at once."))
        step = action.payload["step"]
        return Outcome(changes={"step": {"step": step}},
                       broadcast=[(EVERYONE, {"step": step})],
                       reply={"step": step})

    # views -------------------------------------------------------------------

    def units(self, state: State) -> dict:
        return {k: v for k, v in state.items() if kind_of(k) is not None}

    def _version(self, state: State, reason: str, actor: Actor | None = None) -> dict:
        units = self.units(state)
        return {"schema": SCHEMA, "canvas": canvas_of(units), "reason": reason,
                "authors": sorted(set((state.get("authors") or {}).values())),
                "saved_by": actor.name if actor else None}

    def view(self, state: State, audience: str, actor: Actor | None = None) -> dict:
        units = self.units(state)
        return {"units": units, "step": (state.shared.get("step") or {}).get("step", 0),
                "editing": {k[2:]: v for k, v in state.prefix("f:").items()},
                "checks": checks(units), "authors": sorted(set((state.get("authors") or {}).values()))}

    def summary(self, state: State) -> dict:
        canvas = canvas_of(self.units(state))
        return {"strategies": len(canvas["strategies"]), "roles": len(canvas["roles"]),
                "interactions": len(canvas["interactions"])}

    def archive(self, state: State, network_id: int) -> dict | None:
        # A team that never started, or started and changed nothing, adds no version.
        if state.get(START_KEY) is None or not state.get("authors"):
            return None
        return self._version(state, "closed")

    def client_strings(self) -> dict:
        return {
            "step1": _l("Goal"), "step2": _l("Strategies"), "step3": _l("Roles"), "step4": _l("Interactions"),
            "help1": STEP_HELP[1], "help2": STEP_HELP[2], "help3": STEP_HELP[3], "help4": STEP_HELP[4],
            "needs": _l("Needs the network has found"), "goal": _l("Change goal"),
            "strategy": _l("Strategy"), "objective": _l("Specific objective"),
            "add_strategy": _l("Add a strategy"), "add_objective": _l("Add an objective"),
            "add_role": _l("Add a role"), "add_interaction": _l("Add an interaction"),
            "role_title": _l("Role"), "organisation": _l("Organisation"), "profession": _l("Profession"),
            "manages": _l("Manages"), "from": _l("From"), "to": _l("To"), "what": _l("What flows"),
            "channel": _l("Channel"), "frequency": _l("How often"), "delete": _l("Delete"),
            "undo": _l("Undo"), "deleted": _l("Deleted"), "restore": _l("Restore"),
            "map": _l("Interaction map"), "checks": _l("Checks"), "no_checks": _l("No open points."),
            "strategy_without_objective": _l("Strategy without objectives"),
            "strategy_unmanaged": _l("Strategy that no role manages"),
            "role_without_interaction": _l("Role without interactions"),
            "interaction_to_deleted_role": _l("Interaction with a deleted role"),
            "conflict": _l("Two people changed this at once. Kept:"), "yours": _l("Replaced:"),
            "keep_mine": _l("Put mine back"), "save": _l("Save a version"),
            "saved_by": _l("Version saved by"), "here": _l("On the canvas:"), "editing": _l("editing"),
            "step_free": _l("Teams move freely"), "step_led": _l("Facilitator leads: step"),
            "open_team": _l("Open this team's canvas"), "back_to_teams": _l("All teams"),
            "team_of": _l("Team"), "free": _l("Free"), "role_deleted": _l("Role deleted with its interactions."),
            "item_deleted": _l("Item deleted."), "empty": _l("Nothing yet."),
            "behind": _l("A newer version was saved meanwhile (for example at a meeting). This canvas keeps your "
                         "unsaved changes: save it to keep them as a new version, then compare the two in the archive."),
        }
