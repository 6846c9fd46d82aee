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

from . import analysis
from .canvas import (
    KINDS,
    MAX_COORD,
    MAX_ITEMS,
    MAX_WITH_DELETED,
    REFERENCES,
    SCHEMA,
    SCHEMAS,
    SINGLETONS,
    alive,
    canvas_of,
    checks,
    key_of,
    kind_of,
    units_of,
)

EDITORS = frozenset({"participant", "facilitator"})
ITEM_KINDS = tuple(k for k in KINDS if k not in SINGLETONS)
# The core's reserved key of a seeded space (docs/plugins.md): present once a team started.
START_KEY = "@start"
# Where the team's T0 figures are kept in its state (``{"figures": ...}``, or ``{"figures": None}`` when
# the canvas started from a version saved before versions carried them).
T0_KEY = "t0"
# Texts an item cannot be without: clearing one is refused with the reason.
REQUIRED = {
    ("strategy", "title"): _l("A strategy needs a title: write one, or delete the strategy."),
    ("objective", "text"): _l("An objective needs some text: write it, or delete the objective."),
    ("role", "title"): _l("A role needs a title: write one, or delete the role."),
}
STEP_HELP = {
    1: _l("Start from the needs your network has found, then write one change goal coherent with them: "
          "the change you want to see in your territory."),
    2: _l("Which strategies pursue the goal? Give each strategy its specific objectives."),
    3: _l("Which roles together manage the strategies? Say which organisation and which profession hold "
          "each role, and which strategies it manages."),
    4: _l("How must the roles interact? Draw the flows between them: who talks to whom, about what, "
          "through which channel and how often."),
}


def ungettext(singular: str, plural: str) -> dict:
    """Both forms of a plural string as translated, placeholders kept for the browser to fill
    (``one`` and ``other``: the forms of Italian and English). Extracted like ``ngettext``."""
    from flask_babel import get_translations

    found = get_translations()
    return {"one": found.ungettext(singular, plural, 1), "other": found.ungettext(singular, plural, 2)}


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
                            Field("value", "json", default=""),
                            Field("base", "int", default=0, min=0)], roles=EDITORS, rate="edit"),
        "delete": ActionSpec([Field("kind", "choice", required=True, choices=ITEM_KINDS),
                              Field("id", "id", required=True)], roles=EDITORS, rate="edit"),
        "restore": ActionSpec([Field("kind", "choice", required=True, choices=ITEM_KINDS),
                               Field("id", "id", required=True)], roles=EDITORS, rate="edit"),
        "manage": ActionSpec([Field("role", "id", required=True), Field("strategy", "id", required=True),
                              Field("on", "bool", default=True)], roles=EDITORS, rate="edit"),
        "move": ActionSpec([Field("id", "id", required=True), Field("x", "int", required=True, min=0, max=MAX_COORD),
                            Field("y", "int", required=True, min=0, max=MAX_COORD)], roles=EDITORS, rate="edit"),
        "place": ActionSpec([Field("positions", "json", required=True), Field("all", "bool", default=False)],
                            roles=EDITORS, rate="edit"),
        "focus": ActionSpec([Field("target", "text", default="", max_length=80)], roles=EDITORS, rate="edit"),
        "save": ActionSpec([], roles=EDITORS, rate="vote"),
        "set_step": ActionSpec([Field("step", "int", required=True, min=0, max=4)],
                               roles=frozenset({"facilitator"}), rate="vote", needs_open=False),
    }

    def title_for(self, config: dict) -> str:
        return config.get("title") or str(self.title)

    def start_state(self, config: dict, previous: dict | None) -> dict:
        if not previous or previous.get("schema") not in SCHEMAS:
            return {}
        # T0's figures travel from version to version; a version saved before they did leaves them unknown.
        start = {T0_KEY: {"figures": (previous.get("t0") or {}).get("figures")}}
        if config.get("start") == "blank":
            return start
        return {**units_of(previous["canvas"]), **start}

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

    def _outcome(self, changes, ops, reply=None, state: State | None = None, **extra) -> Outcome:
        """Broadcast the changed units to the team; with ``state``, the change alters the map or the
        strategies, and the team's network figures (and how they changed since T0) come with it."""
        data = {"ops": ops, **extra}
        if state is not None:
            data.update(self._figures(state, changes))
        return Outcome(changes=changes, broadcast=[(TEAM, data)], reply={"ops": ops, **(reply or {})})

    def _figures(self, state: State, changes: dict | None = None, units: dict | None = None) -> dict:
        units = dict(self.units(state) if units is None else units)
        for key, unit in (changes or {}).items():
            if kind_of(key) is None:
                continue
            if unit is None:
                units.pop(key, None)
            else:
                units[key] = unit
        found = analysis.figures(canvas_of(units))
        return {"figures": found, "since_t0": analysis.since((state.get(T0_KEY) or {}).get("figures"), found)}

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
        for (required_kind, name), message in REQUIRED.items():
            if required_kind == kind and not unit.get(name):
                raise ActionError("required", message, field=name)
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
        return self._outcome(changes, ops, state=state)

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
            if not value and (kind, field) in REQUIRED:
                raise ActionError("required", REQUIRED[(kind, field)], key=key, field=field)
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
        # Pointing an interaction at other roles changes the map: its figures come with it.
        return self._outcome(changes, ops, reply=extra, state=state if field in REFERENCES.get(kind, {}) else None,
                             **extra)

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
        return self._outcome(changes, ops, state=state)

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
        return self._outcome(changes, ops, state=state)

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
        return self._outcome(changes, ops, state=state)

    def _do_move(self, state: State, action: Action, actor: Actor) -> Outcome:
        """A person puts a role somewhere on the map (dragged, or moved with the arrow keys): it stays
        there, whatever the automatic layout does with the others."""
        p = action.payload
        key = "r:" + p["id"]
        role = self._live(state, key, _l("Someone deleted this role in the meantime."))
        if (role.get("x"), role.get("y"), role.get("pinned")) == (p["x"], p["y"], True):
            return Outcome(reply={"unchanged": True, "v": role["v"]})
        changes, ops = {}, []
        self._put(changes, ops, key, {**role, "x": p["x"], "y": p["y"], "pinned": True, "v": role["v"] + 1})
        self._authors(state, actor, changes)
        return self._outcome(changes, ops)

    def _do_place(self, state: State, action: Action, actor: Actor) -> Outcome:
        """The layout library's positions for the roles nobody placed by hand (``all``: for every role,
        when someone asks to rearrange the map). An automatic layout is nobody's work: it makes no one
        an author, and a workspace it touches does not count as holding unsaved changes."""
        positions, everything = action.payload["positions"], action.payload["all"]
        if not isinstance(positions, dict) or len(positions) > MAX_ITEMS["role"]:
            raise ActionError("invalid", _l("The positions are not valid."))
        for role_id, point in positions.items():
            if (not isinstance(role_id, str) or not 1 <= len(role_id) <= 64
                    or not all(c.isascii() and (c.isalnum() or c in "-_") for c in role_id)
                    or not isinstance(point, list) or len(point) != 2
                    or not all(type(v) is int and 0 <= v <= MAX_COORD for v in point)):  # noqa: E721 (no bools)
                raise ActionError("invalid", _l("The positions are not valid."))
        changes, ops = {}, []
        for role_id, (x, y) in positions.items():
            role = state.get("r:" + role_id)
            # A role deleted meanwhile, or placed by hand, keeps what it has.
            if not alive(role) or (role.get("pinned") and not everything):
                continue
            if (role.get("x"), role.get("y"), bool(role.get("pinned"))) == (x, y, False):
                continue
            placed = {k: v for k, v in role.items() if k != "pinned"}
            self._put(changes, ops, "r:" + role_id, {**placed, "x": x, "y": y, "v": role["v"] + 1})
        if not changes:
            return Outcome(reply={"unchanged": True})
        if everything:
            self._authors(state, actor, changes)
        outcome = self._outcome(changes, ops)
        outcome.presence = not everything
        return outcome

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
        # The first version a canvas saves is its network's T0, for every later one.
        changes = {T0_KEY: data["t0"]} if state.get(T0_KEY) is None and "t0" in data else {}
        return Outcome(changes=changes, archive=data,
                       broadcast=[(TEAM, {"saved": {"by": actor.name, "at": action.at}})], reply={"saved": True})

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
        canvas = canvas_of(self.units(state))
        data = {"schema": SCHEMA, "canvas": canvas, "reason": reason,
                "authors": sorted(set((state.get("authors") or {}).values())),
                "saved_by": actor.name if actor else None}
        t0 = state.get(T0_KEY)
        if t0 is None and not (state.get(START_KEY) or {}).get("artifact"):
            t0 = {"figures": analysis.figures(canvas)}  # nothing before it: this version is the network's T0
        if t0 and t0.get("figures"):
            data["t0"] = {"figures": t0["figures"]}
        return data

    def view(self, state: State, audience: str, actor: Actor | None = None) -> dict:
        units = self.units(state)
        return {"units": units, "step": (state.shared.get("step") or {}).get("step", 0),
                "editing": {k[2:]: v for k, v in state.prefix("f:").items()},
                "checks": checks(units), "authors": sorted(set((state.get("authors") or {}).values())),
                **self._figures(state, units=units)}

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
        def plural(key, forms):
            return {key + "_one": forms["one"], key + "_other": forms["other"]}

        return {
            "step1": _l("Goal"), "step2": _l("Strategies"), "step3": _l("Roles"), "step4": _l("Interactions"),
            "help1": STEP_HELP[1], "help2": STEP_HELP[2], "help3": STEP_HELP[3], "help4": STEP_HELP[4],
            "needs": _l("Needs the network has found"), "goal": _l("Change goal"),
            "strategy": _l("Strategy"), "objective": _l("Specific objective"),
            "new_strategy": _l("New strategy"), "new_objective": _l("New specific objective"),
            "add_strategy": _l("Add a strategy"), "add_objective": _l("Add an objective"),
            "add_role": _l("Add a role"), "add_interaction": _l("Add an interaction"),
            "add_required_strategy": _l("Write the strategy's title first."),
            "add_required_objective": _l("Write the objective first."),
            "add_required_role": _l("Write the role's title first."),
            "add_required_interaction": _l("Write what flows between the two roles first."),
            "required_strategy": REQUIRED[("strategy", "title")], "required_objective": REQUIRED[("objective", "text")],
            "required_role": REQUIRED[("role", "title")],
            "role_title": _l("Role"), "organisation": _l("Organisation"), "profession": _l("Profession"),
            "manages": _l("Manages"), "from": _l("From"), "to": _l("To"), "what": _l("What flows"),
            "channel": _l("Channel"), "frequency": _l("How often"), "delete": _l("Delete"),
            "undo": _l("Undo"), "deleted": _l("Deleted"), "restore": _l("Restore"),
            "map": _l("Interaction map"), "checks": _l("Checks"), "no_checks": _l("No open points."),
            "map_node": _l("role on the map"), "map_move_keys": _l("The arrow keys move it (with Shift, further)."),
            "map_scroll": _l("Interaction map (scroll to see all of it)"),
            "map_empty_short": _l("No roles on the map yet."),
            "map_empty": _l("No roles yet. Add the roles in step 3: they appear here, and you draw an interaction by "
                            "dragging from one role's arrow to another role."),
            "go_roles": _l("Go to step 3: Roles"),
            "map_hint": _l("Drag a role to move it. Drag from its arrow (→) to another role to draw an interaction, "
                           "then describe it. With the keyboard: Tab to a role and move it with the arrow keys; add "
                           "interactions with the form of step 4."),
            "map_hint_move": _l("Drag a role to move it. With the keyboard: Tab to a role and move it with the arrow "
                                "keys."),
            "rearrange": _l("Rearrange the map"), "layout_failed": _l("The map could not be arranged: reload the page."),
            "links": _l("Who talks to whom"), "no_links": _l("No interaction yet."),
            "not_described": _l("not described yet"),
            "figures": _l("Network figures"), "no_figures": _l("No figures yet: add roles and their interactions."),
            "role_figures": _l("Connections and betweenness of each role"), "partners": _l("Connections"),
            "betweenness": _l("Betweenness"),
            "betweenness_help": _l("Connections: how many other roles a role is in contact with, either way. "
                                   "Betweenness: the share of the pairs of other roles whose shortest connection "
                                   "passes through it, from 0 to 1."),
            "since_t0": _l("Since T0:"), "no_change_t0": _l("no change."),
            "since_t0_caption": _l("How the figures changed since T0 (the network's first version)"),
            "figure": _l("Figure"), "now": _l("Now"), "changed": _l("changed"),
            "contacts_of": _l("Connections of %(role)s"),
            **{"fig_" + k: v for k, v in analysis.figure_labels().items()},
            "hub": _l("%(role)s is a hub: in contact with %(n)s of the other %(others)s roles."),
            "only_link": _l("%(role)s is the only link between %(a)s and %(b)s."),
            "only_link_sides": _l("%(role)s is the only link between %(a)s on one side and %(b)s on the other."),
            "channel_short": _l("channel:"), "frequency_short": _l("how often:"),
            "only_link_groups": _l("Without %(role)s, the roles in contact would split into %(n)s groups: %(groups)s."),
            "bottleneck": _l("%(share)s of the shortest connections between the other roles pass through %(role)s."),
            "density": _l("Density %(value)s: %(flows)s of the %(possible)s possible flows between the %(roles)s "
                          "roles exist."),
            "groups": _l("The roles in contact form %(n)s separate groups."),
            **plural("isolated", ungettext("No interaction with the other roles: %(names)s.",
                                           "No interaction with the other roles: %(names)s.")),
            **plural("unmanaged", ungettext("No role manages the strategy %(names)s.",
                                            "No role manages the strategies %(names)s.")),
            **plural("without_objectives", ungettext("The strategy %(names)s has no specific objective.",
                                                     "The strategies %(names)s have no specific objective.")),
            **plural("reciprocity", ungettext(
                "Reciprocity %(value)s: %(mutual)s of the %(num)s flow between roles has a flow back.",
                "Reciprocity %(value)s: %(mutual)s of the %(num)s flows between roles have a flow back.")),
            **plural("more", ungettext("%(num)s more", "%(num)s more")),
            **plural("more_figures", ungettext("And %(num)s more figure in the team's canvas.",
                                               "And %(num)s more figures in the team's canvas.")),
            **plural("count_strategies", ungettext("%(num)s strategy", "%(num)s strategies")),
            **plural("count_roles", ungettext("%(num)s role", "%(num)s roles")),
            **plural("count_interactions", ungettext("%(num)s interaction", "%(num)s interactions")),
            "strategy_without_objective": _l("Strategy without objectives"),
            "strategy_unmanaged": _l("Strategy that no role manages"),
            "role_without_interaction": _l("Role without interactions"),
            "interaction_to_deleted_role": _l("Interaction with a deleted role"),
            "conflict": _l("Two people changed this at once. Kept:"), "yours": _l("Replaced:"),
            "keep_mine": _l("Put mine back"), "dismiss": _l("Dismiss"), "save": _l("Save a version"),
            "saved_by": _l("Version saved by"), "here": _l("On the canvas:"), "editing": _l("editing"),
            "step_free": _l("Teams move freely"), "step_led": _l("Facilitator leads: step"),
            "open_team": _l("Open this team's canvas"), "back_to_teams": _l("All teams"),
            "team_of": _l("Team"), "free": _l("Free"), "role_deleted": _l("Role deleted with its interactions."),
            "item_deleted": _l("Item deleted."), "empty": _l("Nothing yet."),
            "behind": _l("A newer version was saved meanwhile (for example at a meeting). This canvas keeps your "
                         "unsaved changes: save it to keep them as a new version, then compare the two in the archive."),
        }
