"""The one pipeline every change goes through: exercise actions, in a meeting or in a
network's workspace, and facilitator controls.

authenticate (the socket layer: ``Connection``) -> validate (the envelope, then the
action's declared fields, the sender's role and budget) -> inside one ``BEGIN
IMMEDIATE`` transaction: the duplicate check by client id, the checks that need the
database (meeting live, exercise open, sender still admitted, link not revoked), the
exercise's pure ``apply``, its state changes, its archived version and the event with
the stream's next sequence -> commit -> the ack with the sequence (sent at once,
``live/acks.py``) -> broadcast to the rooms the server chose. If anything fails before
the commit, nothing was stored and nothing is broadcast: the sender gets an error ack.

Where an action lands (an agenda item of the sender's meeting, or a network's
workspace between meetings) is a ``Target``; everything else is shared.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from flask_babel import gettext as _

from .. import artifacts, store
from ..db import transaction
from ..exercise import EVERYONE, FACILITATORS, SELF, TEAM, Action, ActionError, Actor
from ..schema import Field, ValidationError, validate
from . import acks, rooms, spaces
from .checks import UNKNOWN_RATE, check_action
from .rooms import error
from .state import DbState

ACTION_ENVELOPE = [
    Field("item", "int", required=True, min=1),
    Field("type", "text", required=True, max_length=40),
    Field("payload", "json", default={}),
    Field("cid", "id"),
    Field("team", "text", max_length=12),
]
WORKSPACE_ENVELOPE = [
    Field("workspace", "text", required=True, max_length=40),
    Field("type", "text", required=True, max_length=40),
    Field("payload", "json", default={}),
    Field("cid", "id"),
]


@dataclass
class Step:
    """What the work inside a transaction decided: the event to append, the sender's
    reply (None for controls), and what to do once it is committed (given the sequence)."""

    type: str
    payload: dict
    audience: list[str]
    meeting_id: int | None = None
    item_id: int | None = None
    network_id: int | None = None
    reply: dict | None = None
    after: list[Callable[[int], None]] = field(default_factory=list)


@dataclass
class Target:
    """Where an exercise action lands."""

    exercise: Any
    actor: Actor
    roles: set[str]
    stream: str
    space: str
    scope: str
    config: dict
    envelope: dict
    check: Callable[[Any, Any], None]  # (db, spec) inside the transaction; raises ActionError
    state: Callable[[Any], DbState]
    archive: Callable[[Any, dict], list[int]]
    rooms: Callable[[str], list[str]]
    message: Callable[[int, Actor, Any], dict]
    meeting_id: int | None = None
    item_id: int | None = None
    network_id: int | None = None
    workspace: bool = False


class Pipeline:
    def __init__(self, app, registry, socketio, pushes):
        self.app = app
        self.registry = registry
        self.socketio = socketio
        self.pushes = pushes

    # the shared steps --------------------------------------------------------

    def run(self, db, *, stream: str, actor: Actor, cid: str | None, work: Callable[[Any], Step]) -> dict:
        """One transaction around ``work``, the duplicate check and the event; then
        what ``work`` asked for after the commit, and the ack."""
        try:
            with transaction(db):
                if cid:
                    dup = store.event_by_client_id(db, stream, actor.key, cid)
                    if dup:
                        ack = {"ok": True, "seq": dup[0], "duplicate": True}
                        if "reply" in dup[1]:
                            ack["reply"] = dup[1]["reply"]
                        return ack
                step = work(db)
                seq = store.append_event(
                    db, stream, meeting_id=step.meeting_id, item_id=step.item_id, actor_key=actor.key,
                    network_id=step.network_id if step.network_id is not None else actor.network_id,
                    type=step.type, payload=step.payload, client_id=cid, audience=step.audience,
                    data={"reply": step.reply} if step.reply is not None else None)
        except ActionError as exc:
            return error(exc.code, exc.message, **exc.details)
        ack = {"ok": True, "seq": seq}
        if step.reply is not None:
            ack["reply"] = step.reply
        if step.after:
            acks.now(ack)  # the sender's ack first: the broadcast to a large room takes a while
            for after in step.after:
                after(seq)
        return ack

    # exercise actions ------------------------------------------------------------

    def act(self, db, conn, message, allow=None) -> dict:
        target, refused = (self._workspace if conn.role == "network" else self._item)(db, conn, message)
        if refused:
            if allow is not None and not allow(UNKNOWN_RATE):
                return error("rate_limited", _("Too many actions; wait a moment."))
            return refused
        exercise, envelope = target.exercise, target.envelope
        payload, refused = check_action(exercise, envelope, target.roles, allow)
        if refused:
            return refused
        spec = exercise.actions[envelope["type"]]
        action_type, cid, actor = envelope["type"], envelope["cid"], target.actor

        def work(db) -> Step:
            target.check(db, spec)
            state = target.state(db)
            outcome = self.registry.apply(exercise, state, Action(action_type, payload, cid, time.time()), actor)
            store.write_state(db, target.space, outcome.changes)
            made = target.archive(db, outcome.archive) if outcome.archive is not None else []
            if target.workspace:
                if made:
                    spaces.saved_as(db, target.space, made[0])
                elif outcome.changes and not outcome.presence:
                    spaces.mark_edited(db, target.space)
            sends = [(target.rooms(audience), data) for audience, data in outcome.broadcast]

            def broadcast(seq):
                for to, data in sends:
                    self.socketio.emit("event", target.message(seq, actor, data), to=to)
                if outcome.dirty and target.item_id is not None:
                    self.pushes.results(target.meeting_id, target.item_id, target.scope)

            return Step(type=action_type, payload=payload, meeting_id=target.meeting_id, item_id=target.item_id,
                        network_id=target.network_id, reply=outcome.reply,
                        audience=sorted({r for to, _ in sends for r in to}) if not target.workspace
                        else [rooms.room_network(target.network_id)],
                        after=[broadcast])

        return self.run(db, stream=target.stream, actor=actor, cid=cid, work=work)

    def _item(self, db, conn, message):
        """An action on an agenda item of the sender's meeting."""
        try:
            envelope = validate(ACTION_ENVELOPE, message)
        except ValidationError as exc:
            return None, error("invalid", _("The message is not valid."), fields=exc.errors)
        actor = conn.actor
        if envelope.get("team"):
            # A facilitator working inside one team's space (e.g. a team's canvas).
            if not actor.is_facilitator or not rooms.TEAM_PATTERN.match(envelope["team"]):
                return None, error("forbidden", _("You are not allowed to do this."))
            actor = replace(actor, team=envelope["team"])
        item = store.item(db, envelope["item"])
        if item is None or item["meeting_id"] != conn.meeting_id:
            return None, error("not_found", _("This exercise is not part of your meeting."))
        exercise = self.registry.exercises.get(item["exercise_type"])
        if exercise is None:
            return None, error("not_found", _("This exercise is not installed."))
        meeting_id, item_id = item["meeting_id"], item["id"]
        scope = (rooms.team_of(actor) or "") if self.registry.team_scoped(exercise, item["config"]) else ""
        space = rooms.space_of(item_id, scope)
        fresh = {}

        def check(db, spec):
            fresh.update(store.item(db, item_id))
            meeting = store.meeting(db, meeting_id)
            fresh["lab_id"] = meeting["lab_id"]
            if actor.kind == "participant" and not store.participant_may_act(db, actor.id):
                raise ActionError("removed", _("You are no longer part of this meeting."))
            if not actor.is_facilitator and meeting["state"] != "live":
                raise ActionError("not_live", _("The meeting is not running."))
            if spec.needs_open and fresh["status"] != "open":
                raise ActionError("closed", _("This exercise is not open."))
            if scope:
                spaces.ensure_seeded(db, exercise, space, fresh["config"], rooms.network_of_team(scope))

        def state(db):
            return DbState(db, space, config=fresh["config"], phase=fresh["status"], revealed=bool(fresh["revealed"]),
                           scope=scope, shared=DbState(db, rooms.space_of(item_id)) if scope else None)

        def archive(db, data):
            networks = store.teams_of_meeting(db, meeting_id).get(scope) or [actor.network_id]
            return [artifacts.add_artifact(db, network_id=network_id, lab_id=fresh["lab_id"], meeting_id=meeting_id,
                                           item_id=item_id, exercise_type=exercise.type,
                                           title=exercise.title_for(fresh["config"]), data=data)
                    for network_id in filter(None, networks)]

        def to(audience):
            return rooms_for(audience, meeting_id, actor)

        def message(seq, by, data):
            return {"seq": seq, "item": item_id, "type": envelope["type"], "by": rooms.actor_public(by), "data": data}

        roles = {"facilitator" if actor.is_facilitator else actor.kind}
        return Target(exercise=exercise, actor=actor, roles=roles, stream=rooms.stream_key(meeting_id), space=space,
                      scope=scope, config=item["config"], envelope=envelope, check=check, state=state,
                      archive=archive, rooms=to, message=message, meeting_id=meeting_id, item_id=item_id), None

    def _workspace(self, db, conn, message):
        """An action of a network team on its workspace between meetings: the network's own
        stream and room."""
        try:
            envelope = validate(WORKSPACE_ENVELOPE, message)
        except ValidationError as exc:
            return None, error("invalid", _("The message is not valid."), fields=exc.errors)
        actor = conn.actor
        network_id = actor.network_id
        exercise = self.registry.exercises.get(envelope["workspace"])
        if exercise is None or not exercise.workspace or not network_id:
            return None, error("not_found", _("This exercise is not installed."))
        space = rooms.workspace_space(exercise.type, network_id)
        config = exercise.workspace_config()
        link_id = conn.link_id

        def check(db, spec):
            if link_id is not None and not store.link_is_active(db, link_id):
                raise ActionError("revoked", _("This network link has been revoked."))
            spaces.ensure_seeded(db, exercise, space, config, network_id, follow_latest=True)

        def state(db):
            return DbState(db, space, config=config, phase="open", scope=f"n{network_id}",
                           shared=DbState(db, rooms.shared_space(space)))

        def archive(db, data):
            return [artifacts.add_artifact(db, network_id=network_id, lab_id=None, meeting_id=None, item_id=None,
                                           exercise_type=exercise.type, title=exercise.title_for(config), data=data)]

        def message(seq, by, data):
            return {"seq": seq, "workspace": exercise.type, "type": envelope["type"], "by": rooms.actor_public(by),
                    "data": data}

        # A network link's team acts as participants do.
        roles = {"facilitator"} if actor.is_facilitator else {"participant", actor.kind}
        return Target(exercise=exercise, actor=actor, roles=roles, stream=rooms.network_stream(network_id),
                      space=space, scope=f"n{network_id}", config=config, envelope=envelope, check=check, state=state,
                      archive=archive, rooms=lambda audience: [rooms.room_network(network_id)], message=message,
                      network_id=network_id, workspace=True), None


def rooms_for(audience: str, meeting_id: int, actor: Actor) -> list[str]:
    """The rooms of an outcome's audience, for an action of ``actor`` in a meeting."""
    if audience == EVERYONE:
        return [rooms.room_participants(meeting_id), rooms.room_facilitators(meeting_id)]
    if audience == FACILITATORS:
        return [rooms.room_facilitators(meeting_id)]
    if audience == TEAM:
        out = [rooms.room_facilitators(meeting_id)]
        team = rooms.team_of(actor)
        if team:
            out.append(rooms.room_team(meeting_id, team))
        return out
    if audience == SELF:
        return [rooms.room_person(actor)]
    raise ValueError(f"unknown audience {audience!r}")
