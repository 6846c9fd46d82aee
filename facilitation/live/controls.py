"""Facilitator controls: one small handler per command, in a table.

Each handler runs inside the control's transaction (see ``Pipeline.run``) and
changes the meeting through the store; what must happen once it is committed
(connections moved, closed, the meeting's new state broadcast) is added to
``ctx.after``. ``reveal`` and ``hide`` are per-exercise controls: accepted only for
an exercise that declares them (``Exercise.controls``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from .. import artifacts, store
from ..exercise import ActionError
from ..schema import Field
from . import rooms, spaces

COMMANDS = ("start", "end", "goto", "next", "prev", "open", "lock", "reveal", "hide", "timer", "admission",
            "message", "move", "merge", "admit", "remove")

CONTROL_ENVELOPE = [
    Field("cmd", "choice", required=True, choices=COMMANDS),
    Field("item", "int", min=1),
    Field("seconds", "int", min=0, max=4 * 3600),
    Field("locked", "bool", default=False),
    Field("mode", "choice", choices=("open", "locked", "manual")),
    Field("text", "text", max_length=500),
    Field("participant", "int", min=1),
    Field("admit", "bool", default=False),
    Field("team", "text", max_length=12),
    Field("networks", "ints", min=1),
    Field("cid", "id"),
]


@dataclass
class Context:
    """What a control handler works with, inside the transaction."""

    db: Any
    meeting: dict
    envelope: dict
    registry: Any
    snapshots: Any
    items: list[dict] = field(default_factory=list)
    archived: list[int] = field(default_factory=list)
    teams_changed: bool = False
    closed: list[int] = field(default_factory=list)  # participants to disconnect everywhere

    @property
    def ids(self) -> list[int]:
        return [i["id"] for i in self.items]

    def target_item(self) -> dict:
        target = self.envelope.get("item") or self.meeting["current_item_id"]
        if target not in self.ids:
            raise ActionError("not_found", _("This exercise is not part of the meeting."))
        return self.items[self.ids.index(target)]


Handler = Callable[[Context], None]
HANDLERS: dict[str, Handler] = {}
# Commands that work before the meeting has started (admissions can be closed beforehand).
BEFORE_START = {"start", "end", "admission"}


def handles(name: str):
    def register(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn
    return register


def apply(ctx: Context, cmd: str) -> None:
    if cmd not in BEFORE_START and ctx.meeting["state"] != "live":
        raise ActionError("not_live", _("Start the meeting first."))
    ctx.items = store.agenda(ctx.db, ctx.meeting["id"])
    HANDLERS[cmd](ctx)


@handles("start")
def start(ctx: Context) -> None:
    if ctx.meeting["state"] == "ended":
        raise ActionError("ended", _("This meeting has ended."))
    store.start_meeting(ctx.db, ctx.meeting["id"], ctx.ids[0] if ctx.ids else None)


@handles("end")
def end(ctx: Context) -> None:
    for item in ctx.items:
        if item["status"] == "open":
            store.set_item_status(ctx.db, item["id"], "locked")
            ctx.archived += archive_item(ctx, item)
    store.end_meeting(ctx.db, ctx.meeting["id"])
    ctx.registry.pm.hook.meeting_closed(meeting_id=ctx.meeting["id"])


def _step(ctx: Context, delta: int) -> None:
    if not ctx.ids:
        raise ActionError("empty", _("The agenda is empty."))
    current = ctx.meeting["current_item_id"]
    pos = ctx.ids.index(current) if current in ctx.ids else -1
    pos = min(len(ctx.ids) - 1, pos + 1) if delta > 0 else max(0, pos - 1)
    store.set_current_item(ctx.db, ctx.meeting["id"], ctx.ids[pos])


@handles("next")
def next_item(ctx: Context) -> None:
    _step(ctx, 1)


@handles("prev")
def previous_item(ctx: Context) -> None:
    _step(ctx, -1)


@handles("goto")
def goto(ctx: Context) -> None:
    store.set_current_item(ctx.db, ctx.meeting["id"], ctx.target_item()["id"])


@handles("open")
def open_item(ctx: Context) -> None:
    item = ctx.target_item()
    store.set_item_status(ctx.db, item["id"], "open")
    store.set_current_item(ctx.db, ctx.meeting["id"], item["id"])
    exercise = ctx.registry.exercises.get(item["exercise_type"])
    if exercise is not None and ctx.registry.team_scoped(exercise, item["config"]):
        for team in store.teams_of_meeting(ctx.db, ctx.meeting["id"]):
            spaces.ensure_seeded(ctx.db, exercise, rooms.space_of(item["id"], team), item["config"],
                                 rooms.network_of_team(team))


@handles("lock")
def lock(ctx: Context) -> None:
    item = ctx.target_item()
    if item["status"] != "open":
        raise ActionError("not_open", _("This exercise is not open."))
    store.set_item_status(ctx.db, item["id"], "locked")
    ctx.archived += archive_item(ctx, item)


def _declared(ctx: Context, item: dict, name: str) -> None:
    exercise = ctx.registry.exercises.get(item["exercise_type"])
    names = {c["name"] for c in ctx.snapshots.controls(exercise, item)} if exercise else set()
    # reveal and hide are one switch: an exercise that declares one of them has both.
    if name not in names and not ({"reveal", "hide"} & names and name in ("reveal", "hide")):
        raise ActionError("no_control", _("This exercise has no such control."))


@handles("reveal")
def reveal(ctx: Context) -> None:
    item = ctx.target_item()
    _declared(ctx, item, "reveal")
    store.set_item_revealed(ctx.db, item["id"], True)


@handles("hide")
def hide(ctx: Context) -> None:
    item = ctx.target_item()
    _declared(ctx, item, "hide")
    store.set_item_revealed(ctx.db, item["id"], False)


@handles("timer")
def timer(ctx: Context) -> None:
    seconds = ctx.envelope.get("seconds") or 0
    store.set_timer(ctx.db, ctx.meeting["id"], time.time() + seconds if seconds else None)


@handles("admission")
def admission(ctx: Context) -> None:
    mode = ctx.envelope.get("mode") or ("locked" if ctx.envelope.get("locked") else "open")
    store.set_admission(ctx.db, ctx.meeting["id"], mode)


@handles("admit")
def admit(ctx: Context) -> None:
    if not store.decide_admission(ctx.db, ctx.meeting["id"], ctx.envelope.get("participant"),
                                  bool(ctx.envelope.get("admit"))):
        raise ActionError("not_found", _("Nobody with this name is waiting."))


@handles("remove")
def remove(ctx: Context) -> None:
    """Take someone out of the meeting: their connections close on every server process."""
    participant_id = ctx.envelope.get("participant")
    if not store.remove_participant(ctx.db, ctx.meeting["id"], participant_id):
        raise ActionError("not_found", _("This person is not in the meeting."))
    ctx.closed.append(participant_id)


@handles("message")
def message(ctx: Context) -> None:
    store.set_notice(ctx.db, ctx.meeting["id"], ctx.envelope.get("text"))


@handles("merge")
def merge(ctx: Context) -> None:
    networks = ctx.envelope.get("networks") or []
    if not networks or any(n not in store.lab_of_meeting_networks(ctx.db, ctx.meeting["id"]) for n in networks):
        raise ActionError("invalid", _("Choose networks of this lab."))
    store.merge_networks(ctx.db, ctx.meeting["id"], networks)
    ctx.teams_changed = True


@handles("move")
def move(ctx: Context) -> None:
    person = store.participant(ctx.db, ctx.envelope.get("participant"))
    team = ctx.envelope.get("team") or ""
    if person is None or person["meeting_id"] != ctx.meeting["id"]:
        raise ActionError("not_found", _("This person is not in the meeting."))
    if rooms.network_of_team(team) not in store.lab_of_meeting_networks(ctx.db, ctx.meeting["id"]):
        raise ActionError("invalid", _("Choose a team of this meeting."))
    store.move_participant(ctx.db, ctx.meeting["id"], person["id"], team)
    ctx.teams_changed = True


def archive_item(ctx: Context, item: dict) -> list[int]:
    """Store, for each network present, what the exercise keeps of it (a new version).
    An exercise that fails here archives nothing; the lock or the end goes on."""
    exercise = ctx.registry.exercises.get(item["exercise_type"])
    if exercise is None:
        return []
    made = []
    teams = store.first_team_of_networks(ctx.db, ctx.meeting["id"])
    for network_id in store.networks_present(ctx.db, ctx.meeting["id"]):
        scope = (teams.get(network_id) or f"n{network_id}") if ctx.registry.team_scoped(exercise, item["config"]) else ""
        state = ctx.snapshots.state(ctx.db, item, scope, phase="locked")
        data = ctx.registry.guard(exercise, "archive", None, state, network_id)
        if data is not None:
            made.append(artifacts.add_artifact(
                ctx.db, network_id=network_id, lab_id=ctx.meeting["lab_id"], meeting_id=ctx.meeting["id"],
                item_id=item["id"], exercise_type=item["exercise_type"],
                title=exercise.title_for(item["config"]), data=data))
    return made
