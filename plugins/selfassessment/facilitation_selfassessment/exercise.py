"""A network's self-assessment ("generative potential"): the team rates itself together, live
or between meetings through its network link, on dimensions the facilitator chose, with a short
reason per rating. One shared rating per dimension; "save" keeps a version in the archive.

State keys of a team's space: ``dims`` the dimensions (``dimensions.of_template``); ``d:<id>``
one unit per dimension (rating ``v``, reason ``why``, the unit's version ``ver``, the version
each field last changed at ``m``, who changed it ``by``, and ``prev``, the value a later write
replaced); ``last`` the ratings of the network's previous version; ``authors`` who edited since
the last save. Two people changing the same field at once: the later write wins, on every
screen, and the replaced value is kept in ``prev`` for all to see (as the squad canvas does).
"""

from __future__ import annotations

from facilitation.api import (
    TEAM,
    Action,
    ActionError,
    ActionSpec,
    Actor,
    Exercise,
    Field,
    Outcome,
    State,
    ValidationError,
)
from facilitation.api import lazy_gettext as _l

from . import dimensions

SCHEMA = 1
REASON_MAX = 300
EDITORS = frozenset({"participant", "facilitator"})
# The core's reserved key of a seeded space (docs/plugins.md): present once a team started.
START_KEY = "@start"


def dims_of(state: State) -> dict:
    """The dimensions of a space: its own, else those the config chooses."""
    found = state.get("dims")
    if found:
        return found
    config = state.config
    return dimensions.of_template(config.get("template", "method"), config.get("dimensions"))


class SelfAssessment(Exercise):
    type = "selfassessment"
    title = _l("Network self-assessment")
    description = _l(
        "A network's team rates itself together on the dimensions you choose, with a reason for each "
        "rating; shown as a radar against its earlier assessments."
    )
    icon = "✳"
    script = "selfassessment.js"
    stylesheet = "selfassessment.css"
    team_scoped = True
    workspace = True
    config_fields = [
        Field("title", "text", _l("Title"), default="", max_length=200),
        Field("template", "choice", _l("Dimensions"), default="method", required=True, choices=dimensions.TEMPLATES),
        Field(
            "dimensions",
            "lines",
            _l("My own dimensions (one per line, at least 3)"),
            default=[],
            max=dimensions.MAX_CUSTOM,
            max_length=120,
            help=_l(
                'Only with "My own dimensions". Keep the same wording from one assessment to the next to compare them.'
            ),
        ),
        Field(
            "start",
            "choice",
            _l("Each network starts from"),
            default="latest",
            required=True,
            choices=(("latest", _l("its latest ratings, to review them")), ("blank", _l("no ratings"))),
        ),
    ]
    actions = {
        "rate": ActionSpec(
            [
                Field("dim", "id", required=True),
                Field("value", "int", required=True, min=0, max=5),
                Field("base", "int", default=0, min=0),
            ],
            roles=EDITORS,
            rate="edit",
        ),
        "explain": ActionSpec(
            [
                Field("dim", "id", required=True),
                Field("text", "textarea", default="", max_length=REASON_MAX),
                Field("base", "int", default=0, min=0),
            ],
            roles=EDITORS,
            rate="edit",
        ),
        "save": ActionSpec([], roles=EDITORS, rate="vote"),
    }

    def validate_config(self, config: dict) -> dict:
        if config["template"] == "custom" and len(dimensions.of_template("custom", config["dimensions"])["list"]) < 3:
            raise ValidationError({"dimensions": str(_l("Write at least 3 different dimensions, one per line."))})
        return config

    def title_for(self, config: dict) -> str:
        return config.get("title") or str(self.title)

    def workspace_config(self) -> dict:
        return {"start": "latest"}

    def start_state(self, config: dict, previous: dict | None) -> dict:
        """A meeting's team starts from the facilitator's dimensions; a network's workspace (no
        template in its config) from those of its latest version. Ratings and reasons of that
        version carry over unless the facilitator chose to start from none."""
        previous = previous if previous and previous.get("schema") == SCHEMA else None
        if config.get("template"):
            dims = dimensions.of_template(config["template"], config.get("dimensions"))
        elif previous and previous.get("template") in ("method", "wilder"):
            dims = dimensions.of_template(previous["template"])
        elif previous:
            dims = {
                "template": "custom",
                "list": [{"id": d["id"], "label": d.get("label", ""), "group": ""} for d in previous.get("dims", [])],
            }
        else:
            dims = dimensions.of_template("method")
        out: dict = {"dims": dims}
        before = {d["id"]: d for d in (previous or {}).get("dims", [])}
        if before:
            out["last"] = {"values": {i: d.get("value") for i, d in before.items()}}
        if config.get("start", "latest") != "blank":
            for dim in dims["list"]:
                old = before.get(dim["id"])
                if old and (old.get("value") or old.get("why")):
                    out["d:" + dim["id"]] = {
                        "id": dim["id"],
                        "v": old.get("value"),
                        "why": old.get("why", ""),
                        "ver": 1,
                        "m": {},
                        "by": {},
                    }
        return out

    # the pure state function -------------------------------------------------

    def apply(self, state: State, action: Action, actor: Actor) -> Outcome:
        if action.type not in self.actions:
            raise ActionError("unknown_action", _l("Unknown action."))
        if not state.scope:
            raise ActionError("no_team", _l("Open a team's self-assessment to change it."))
        if action.type == "save":
            return self._save(state, action, actor)
        if action.type == "rate":
            return self._edit(state, action, actor, "v", action.payload["value"] or None)  # 0 clears a rating
        return self._edit(state, action, actor, "why", action.payload["text"])

    def _by(self, actor: Actor) -> dict:
        return {"k": actor.key, "n": actor.name}

    def _edit(self, state: State, action: Action, actor: Actor, field: str, value) -> Outcome:
        dim = action.payload["dim"]
        if dim not in {d["id"] for d in dims_of(state)["list"]}:
            raise ActionError("invalid", _l("This dimension is not part of the self-assessment."))
        key = "d:" + dim
        unit = state.get(key) or {"id": dim, "v": None, "why": "", "ver": 0, "m": {}, "by": {}}
        if unit.get(field) == value:
            return Outcome(reply={"unchanged": True, "unit": unit})
        base = min(action.payload["base"], unit["ver"])
        version = unit["ver"] + 1
        conflict = None
        if unit["m"].get(field, 0) > base:
            # Someone changed this after the sender last saw it: the later write wins, and the
            # replaced value stays visible.
            conflict = {
                "dim": dim,
                "field": field,
                "lost": {"value": unit.get(field), "by": unit["by"].get(field)},
                "won": {"value": value, "by": self._by(actor)},
            }
        new = {
            **unit,
            field: value,
            "ver": version,
            "m": {**unit["m"], field: version},
            "by": {**unit["by"], field: self._by(actor)},
            "at": action.at,
        }
        prev = {k: v for k, v in unit.get("prev", {}).items() if k != field}
        if conflict:
            prev[field] = conflict["lost"]
        new["prev"] = prev
        changes = {key: new}
        authors = state.get("authors") or {}
        if actor.key not in authors:
            changes["authors"] = {**authors, actor.key: actor.name}
        extra = {"conflict": conflict} if conflict else {}
        return Outcome(changes=changes, broadcast=[(TEAM, {"unit": new, **extra})], reply={"unit": new, **extra})

    def _save(self, state: State, action: Action, actor: Actor) -> Outcome:
        data = self.version(state, "saved", actor)
        if not any(d["value"] for d in data["dims"]):
            raise ActionError("empty", _l("Rate at least one dimension before saving."))
        last = {"values": {d["id"]: d["value"] for d in data["dims"]}}
        # Saved: what follows is new work (and a lock with no change since archives nothing more).
        return Outcome(
            changes={"authors": None, "last": last},
            archive=data,
            broadcast=[(TEAM, {"saved": {"by": actor.name, "at": action.at}, "last": last})],
            reply={"saved": True},
        )

    # views ---------------------------------------------------------------------

    def version(self, state: State, reason: str, actor: Actor | None = None) -> dict:
        dims = dims_of(state)
        out = []
        for dim in dims["list"]:
            unit = state.get("d:" + dim["id"]) or {}
            out.append(
                {
                    "id": dim["id"],
                    "label": dim.get("label", ""),
                    "group": dim.get("group", ""),
                    "value": unit.get("v"),
                    "why": unit.get("why", ""),
                }
            )
        return {
            "schema": SCHEMA,
            "template": dims["template"],
            "dims": out,
            "reason": reason,
            "authors": sorted(set((state.get("authors") or {}).values())),
            "saved_by": actor.name if actor else None,
        }

    def view(self, state: State, audience: str, actor: Actor | None = None) -> dict:
        dims = dims_of(state)
        units = {d["id"]: state.get("d:" + d["id"]) for d in dims["list"] if state.get("d:" + d["id"])}
        return {
            "template": dims["template"],
            "dims": dims["list"],
            "units": units,
            "last": (state.get("last") or {}).get("values", {}),
            "rated": sum(1 for u in units.values() if u.get("v")),
            "authors": sorted(set((state.get("authors") or {}).values())),
        }

    def summary(self, state: State) -> dict:
        return {"rated": self.view(state, "")["rated"]}

    def archive(self, state: State, network_id: int) -> dict | None:
        # A team that never started, or changed nothing since its last save, adds no version.
        if state.get(START_KEY) is None or not state.get("authors"):
            return None
        data = self.version(state, "closed")
        return data if any(d["value"] for d in data["dims"]) else None

    def client_strings(self) -> dict:
        out = {
            "intro": _l(
                "Rate where your network stands on each dimension, from 1 (weak) to 5 (strong), and say why "
                "in a few words. Everyone of your team changes the same ratings, live."
            ),
            "scale": _l("1 = weak · 5 = strong"),
            "why": _l("Why?"),
            "clear": _l("No rating"),
            "last": _l("Last time:"),
            "rated_by": _l("Rated by"),
            "none": _l("not rated"),
            "conflict": _l("Two people changed this at once. Kept:"),
            "replaced": _l("Replaced:"),
            "keep_mine": _l("Put mine back"),
            "save": _l("Save a version"),
            "saved_by": _l("Version saved by"),
            "rated": _l("Dimensions rated"),
            "here": _l("On this self-assessment:"),
            "open_team": _l("Open this team's self-assessment"),
            "back_to_teams": _l("All teams"),
            "team_of": _l("Team"),
            "empty": _l("No team yet."),
            "behind": _l(
                "A newer version was saved meanwhile (for example at a meeting). This page keeps your "
                "unsaved changes: save them to keep them as a new version."
            ),
        }
        for dim_id, label in dimensions.LABELS.items():
            out["dim_" + dim_id] = label
        for dim_id, text in dimensions.HELP.items():
            out["help_" + dim_id] = text
        for group, label in dimensions.WILDER_GROUPS.items():
            out["group_" + group] = label
        return out
