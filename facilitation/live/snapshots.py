"""Views of the live state: snapshots, item views, the meeting as people see it, catch-up.

Reads only (a team's space is seeded on first sight, which is a write of its start):
what each audience may see of a meeting or a network's workspace, built from the
exercises' ``view`` and ``personal``. An exercise that fails while rendering is shown
as failed, to everyone, and the rest of the snapshot stands.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from .. import store
from ..db import dumps
from ..exercise import FACILITATOR, PARTICIPANT, PROJECTOR, Actor
from . import rooms, spaces
from .state import DbState

CATCH_UP_LIMIT = 200
SHARED_VIEWS = 64


class Snapshots:
    def __init__(self, registry):
        self.registry = registry
        # The participants' view of an exercise is the same for everyone of the meeting (their own
        # part comes apart): built once per state of the meeting, not once per person, so 2,000
        # people reconnecting after a restart cost one view, not 2,000. Keyed by the meeting's
        # sequence (every change of state moves it) and the item's status and config.
        self._shared: OrderedDict = OrderedDict()
        self._shared_lock = threading.Lock()

    def _shared_view(self, item, seq, build):
        key = (item["id"], seq, item["status"], item["revealed"], dumps(item["config"]))
        with self._shared_lock:
            if key in self._shared:
                self._shared.move_to_end(key)
                return self._shared[key]
        view = build()
        if view is not None:
            with self._shared_lock:
                self._shared[key] = view
                while len(self._shared) > SHARED_VIEWS:
                    self._shared.popitem(last=False)
        return view

    # pieces ------------------------------------------------------------------

    def item(self, db, item_id):
        return store.item(db, item_id)

    def seq(self, db, meeting_id) -> int:
        return store.stream_seq(db, rooms.stream_key(meeting_id))

    def exercise_of(self, item):
        return self.registry.exercises.get(item["exercise_type"]) if item else None

    def team_scoped(self, exercise, item) -> bool:
        return self.registry.team_scoped(exercise, item["config"])

    def scope_for(self, exercise, item, actor: Actor) -> str:
        return (rooms.team_of(actor) or "") if self.team_scoped(exercise, item) else ""

    def state(self, db, item, scope: str = "", phase: str | None = None) -> DbState:
        return DbState(db, rooms.space_of(item["id"], scope), config=item["config"], phase=phase or item["status"],
                       revealed=bool(item["revealed"]), scope=scope,
                       shared=DbState(db, rooms.space_of(item["id"])) if scope else None)

    def participants_see_results(self, item) -> bool:
        exercise = self.exercise_of(item)
        return (exercise is not None
                and bool(self.registry.guard(exercise, "participants_see_results", False,
                                             item["config"], bool(item["revealed"]))))

    def title(self, item) -> str:
        exercise = self.exercise_of(item)
        if exercise is None:
            return item["exercise_type"]
        return str(self.registry.guard(exercise, "title_for", exercise.title, item["config"]))

    def controls(self, exercise, item) -> list[dict]:
        """The per-exercise controls the console shows for this item now."""
        declared = self.registry.guard(exercise, "controls", [], item["config"], item["status"],
                                       bool(item["revealed"])) or []
        return [c.public() for c in declared]

    def item_view(self, db, item, audience, actor: Actor | None = None, seq: int | None = None) -> dict | None:
        """What ``audience`` sees of ``item``. With ``seq`` (the meeting's current sequence) the
        participants' shared view of a meeting-wide exercise comes from the cache."""
        exercise = self.exercise_of(item)
        if exercise is None:
            return None
        scope = self.scope_for(exercise, item, actor) if actor and audience == PARTICIPANT else ""
        if scope and item["status"] != "pending":
            spaces.seed(db, exercise, rooms.space_of(item["id"], scope), item["config"],
                        rooms.network_of_team(scope))
        state = self.state(db, item, scope)
        out = {"id": item["id"], "type": item["exercise_type"], "title": self.title(item),
               "status": item["status"], "revealed": bool(item["revealed"])}
        def build():
            return self.registry.guard(exercise, "view", None, state, audience,
                                       actor if audience != PARTICIPANT else None)

        view = self._shared_view(item, seq, build) if audience == PARTICIPANT and not scope and seq else build()
        if view is None:
            out.update(view={}, failed=True)
            return out
        out["view"] = view
        if audience == PARTICIPANT and actor is not None:
            out["personal"] = self.registry.guard(exercise, "personal", {}, state, actor)
            out["team"] = scope or None
        if audience == FACILITATOR:
            out["controls"] = self.controls(exercise, item)
        if self.team_scoped(exercise, item) and audience != PARTICIPANT:
            # Facilitators see every team's work side by side.
            out["teams"] = {team: {"networks": networks,
                                   "view": self.registry.guard(exercise, "view", {}, self.state(db, item, team),
                                                               audience, None)}
                            for team, networks in store.teams_of_meeting(db, item["meeting_id"]).items()}
        return out

    def team_views(self, db, item, teams: dict) -> dict:
        """Each team's participant view of a team exercise, by team (``{team: [network ids]}``),
        without a personal part: that is each person's own, and clients keep theirs."""
        out = {}
        for team, networks in teams.items():
            viewer = Actor("participant", 0, "", networks[0] if networks else None, team)
            view = self.item_view(db, item, PARTICIPANT, viewer)
            if view is not None:
                view.pop("personal", None)
            out[team] = view
        return out

    def meeting_public(self, meeting) -> dict:
        return {"id": meeting["id"], "title": meeting["title"], "state": meeting["state"],
                "current": meeting["current_item_id"], "timer_end": meeting["timer_end"],
                "admission": "manual" if meeting["admit_by_hand"] and meeting["admission"] == "open"
                else meeting["admission"], "notice": meeting.get("notice"), "now": time.time()}

    def agenda(self, db, meeting_id) -> list[dict]:
        return [{"id": i["id"], "type": i["exercise_type"], "status": i["status"], "revealed": bool(i["revealed"]),
                 "title": self.title(i)} for i in store.agenda(db, meeting_id)]

    def personal_answers(self, db, meeting_id, actor: Actor) -> dict:
        """The person's own part of every exercise already opened, by item id."""
        out = {}
        for item in store.agenda(db, meeting_id):
            exercise = self.exercise_of(item)
            if exercise is None or item["status"] == "pending":
                continue
            state = self.state(db, item, self.scope_for(exercise, item, actor))
            out[str(item["id"])] = self.registry.guard(exercise, "personal", {}, state, actor)
        return out

    # network workspaces --------------------------------------------------------

    def workspace_state(self, db, exercise, network_id) -> DbState:
        space = rooms.workspace_space(exercise.type, network_id)
        return DbState(db, space, config=exercise.workspace_config(), phase="open", scope=f"n{network_id}",
                       shared=DbState(db, rooms.shared_space(space)))

    def workspace_view(self, db, exercise, network_id, actor: Actor) -> dict:
        space = rooms.workspace_space(exercise.type, network_id)
        config = exercise.workspace_config()
        spaces.seed(db, exercise, space, config, network_id, follow_latest=True)
        state = self.workspace_state(db, exercise, network_id)
        return {"type": exercise.type, "workspace": True, "title": exercise.title_for(config), "status": "open",
                "revealed": True, "view": self.registry.guard(exercise, "view", {}, state, PARTICIPANT, None),
                "personal": self.registry.guard(exercise, "personal", {}, state, actor),
                "behind": spaces.behind(db, space, network_id, exercise.type)}

    # snapshots -----------------------------------------------------------------

    def snapshot(self, db, conn) -> dict:
        if conn.role == "network":
            network_id = conn.actor.network_id
            return {"seq": store.stream_seq(db, rooms.network_stream(network_id)), "me": rooms.actor_public(conn.actor),
                    "network": network_id,
                    "workspaces": {t: self.workspace_view(db, e, network_id, conn.actor)
                                   for t, e in self.registry.exercises.items() if e.workspace}}
        meeting = store.meeting(db, conn.meeting_id)
        current = store.item(db, meeting["current_item_id"]) if meeting["current_item_id"] else None
        snap = {"seq": self.seq(db, meeting["id"]), "meeting": self.meeting_public(meeting),
                "me": rooms.actor_public(conn.actor)}
        if conn.role == "participant":
            if meeting["state"] == "live":
                snap["item"] = self.item_view(db, current, PARTICIPANT, conn.actor, seq=snap["seq"])
            snap["personal"] = self.personal_answers(db, meeting["id"], conn.actor)
            return snap
        audience = PROJECTOR if conn.role == "projector" else FACILITATOR
        snap["item"] = self.item_view(db, current, audience)
        snap["agenda"] = self.agenda(db, meeting["id"])
        people = store.participants_with_presence(db, meeting["id"])
        if conn.role == "console":
            snap["participants"] = people
            snap["waiting"] = store.waiting_participants(db, meeting["id"])
            snap["problems"] = self.registry.problems()
        else:  # the projector is a shared screen: a count, no names
            snap["participants"] = [{"id": p["id"], "online": p["online"]} for p in people]
        return snap

    def meeting_messages(self, db, meeting_id, seq) -> list[tuple[dict, str]]:
        """After a control: (message, room) of the new meeting state, each audience its view."""
        meeting = store.meeting(db, meeting_id)
        current = store.item(db, meeting["current_item_id"]) if meeting["current_item_id"] else None
        public = self.meeting_public(meeting)
        exercise = self.exercise_of(current)
        out = []
        if exercise is not None and self.team_scoped(exercise, current) and meeting["state"] == "live":
            # Each team sees its own space of a team exercise.
            for team, item in self.team_views(db, current, store.teams_of_meeting(db, meeting_id)).items():
                out.append(({"seq": seq, "meeting": public, "item": item}, rooms.room_team(meeting_id, team)))
        else:
            participant_item = self.item_view(db, current, PARTICIPANT) if meeting["state"] == "live" else None
            out.append(({"seq": seq, "meeting": public, "item": participant_item}, rooms.room_participants(meeting_id)))
        agenda = self.agenda(db, meeting_id)
        for role, audience in (("console", FACILITATOR), ("projector", PROJECTOR)):
            message = {"seq": seq, "meeting": public, "role": role, "item": self.item_view(db, current, audience),
                       "agenda": agenda}
            if role == "console":  # who waits to be admitted is not for the shared screen
                message["waiting"] = store.waiting_participants(db, meeting_id)
            out.append((message, rooms.room_screen(meeting_id, role)))
        return out

    def sync(self, db, conn, since) -> dict:
        """A reconnecting client: what it missed since ``since`` (if few) and a fresh snapshot.
        ``missed`` is a list (empty when nothing was missed), or None when too much was
        missed to list: the snapshot has it all."""
        snap = self.snapshot(db, conn)
        current = snap["seq"]
        if since >= current:
            return {"ok": True, "seq": current, "missed": [], "snapshot": snap}
        if since <= 0 or current - since > CATCH_UP_LIMIT:
            return {"ok": True, "seq": current, "missed": None, "snapshot": snap}
        stream = rooms.network_stream(conn.actor.network_id) if conn.role == "network" else \
            rooms.stream_key(conn.meeting_id)
        mine = set(conn.rooms())
        missed = [{"seq": seq, "item": item_id, "type": type_}
                  for seq, item_id, type_, audience in store.events_since(db, stream, since) if mine & set(audience)]
        return {"ok": True, "seq": current, "missed": missed, "snapshot": snap}
