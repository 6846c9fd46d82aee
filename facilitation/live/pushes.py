"""Coalesced pushes: results, presence and team presence, on a fixed schedule.

A hundred votes in a second mark an exercise dirty a hundred times and cost a few
result pushes, not a hundred; 2,000 people joining make a few presence batches for
the facilitators, not 2,000 messages. A background task flushes what is pending
``RESULTS_PER_SECOND`` times a second, on a schedule: the next flush is due one
interval after the previous one was due, whatever the time a large push took to go
out, so a room of 2,000 gets its results at the configured pace.

An exercise whose participant view is heavy (questions with their texts) may ask for
participants' pushes at a slower pace (``Exercise.participant_pushes_per_second``): the
console and the projector still get every flush, the phones at most that many a second,
and a change after a quiet spell still goes out at the next flush.

A team's presence reaches its members' phones at most ``TEAM_PRESENCE_PER_SECOND``
times a second (the facilitators' consoles at every flush), on the same rule: the first
change after a quiet spell at the next flush, later ones gathered. While 2,000 people
join, every team changes at every flush; at the results' pace that was one list per member
four times a second, most of what the server wrote while a room filled.
"""

from __future__ import annotations

import threading
import time

from .. import store
from ..db import borrowed
from ..exercise import FACILITATOR, PARTICIPANT, PROJECTOR
from . import rooms


class Pushes:
    def __init__(self, app, socketio, connections, snapshots):
        self.app = app
        self.socketio = socketio
        self.connections = connections
        self.snapshots = snapshots
        self.interval = 1.0 / max(0.1, float(app.config["RESULTS_PER_SECOND"]))
        self._lock = threading.Lock()
        # (meeting, item) -> the scopes whose participant view changed ("" for the meeting-wide state,
        # which for a team exercise means every team: a phase set for all of them, say).
        self._dirty: dict[tuple[int, int], set[str]] = {}
        self._presence: dict[int, dict] = {}  # meeting -> participant -> latest change
        self._teams: dict[tuple, tuple] = {}  # (meeting, team, network) -> (meeting, team, network)
        # Participants' pushes held back by their exercise's slower pace: (meeting, item) -> scopes,
        # and when each item's participants were last pushed to. Touched by ``flush`` alone.
        self._held: dict[tuple[int, int], set[str]] = {}
        self._phones_at: dict[tuple[int, int], float] = {}
        self._phone_pace: dict[tuple[int, int], float] = {}  # seconds between participants' pushes
        # The same for teams' presence on members' phones: (meeting, team, network) -> when last pushed.
        self.team_interval = 1.0 / max(0.1, float(app.config["TEAM_PRESENCE_PER_SECOND"]))
        self._teams_held: set[tuple] = set()
        self._teams_at: dict[tuple, float] = {}
        self.clock = time.monotonic  # the pace's clock (a test sets its own)
        self._started = False

    # what is pending ---------------------------------------------------------

    def results(self, meeting_id, item_id, scope: str = "") -> None:
        with self._lock:
            self._dirty.setdefault((meeting_id, item_id), set()).add(scope)
            self._start()

    def presence(self, meeting_id, actor, online: bool) -> None:
        with self._lock:
            self._presence.setdefault(meeting_id, {})[actor.id] = {
                "participant": actor.id, "name": actor.name, "network": actor.network_id, "team": actor.team,
                "online": online}
            self._start()

    def team(self, meeting_id, team, network_id) -> None:
        """``team_presence`` of one team (or network workspace) is due."""
        if not team:
            return
        with self._lock:
            self._teams[(meeting_id, team, network_id)] = (meeting_id, team, network_id)
            self._start()

    # the schedule ----------------------------------------------------------------

    def _start(self) -> None:
        if not self._started:
            self._started = True
            self.socketio.start_background_task(self._loop)

    def _loop(self) -> None:
        due = time.monotonic() + self.interval
        while True:
            self.socketio.sleep(max(0.0, due - time.monotonic()))
            try:
                self.flush()
            except Exception:  # a failed push must not stop later ones
                self.app.logger.exception("results push failed")
            due += self.interval
            now = time.monotonic()
            if due < now:  # far behind (the process was stalled): restart the schedule from now
                due = now + self.interval / 2

    def flush(self, force: bool = False) -> None:
        """Push what is pending; ``force`` pushes participants' views held back by a slower pace too."""
        with self._lock:
            dirty, self._dirty = self._dirty, {}
            presence, self._presence = self._presence, {}
            teams, self._teams = self._teams, {}
        for meeting_id, people in presence.items():
            # Names for the consoles; a count-only list for the shared screen.
            batch = list(people.values())
            self.socketio.emit("presence", {"people": batch}, to=rooms.room_screen(meeting_id, "console"))
            self.socketio.emit("presence", {"people": [{"participant": p["participant"], "online": p["online"]}
                                                       for p in batch]},
                               to=rooms.room_screen(meeting_id, "projector"))
        now = self.clock()
        self.push_teams(teams, now, force)
        self._forget(now)
        held = [key for key in self._held if key not in dirty and (force or self._phones_due(key, now))]
        if not dirty and not held:
            return
        with self.app.app_context(), borrowed(self.app) as db:
            for (meeting_id, item_id), scopes in dirty.items():
                self.push_results(db, meeting_id, item_id, scopes, force=force)
            for meeting_id, item_id in held:
                self.push_results(db, meeting_id, item_id, self._held.pop((meeting_id, item_id)),
                                  screens=False, force=True)

    def _phones_due(self, key, now) -> bool:
        pace = self._phone_pace.get(key)
        # A quarter of a flush's interval early is on time: the schedule's ticks are not exact.
        return pace is None or now >= self._phones_at.get(key, 0.0) + pace - self.interval / 4

    def _forget(self, now) -> None:
        """Drop the pace of what is due again anyway and holds nothing: the maps stay the size of
        what changed within the last second, not of every exercise and team ever pushed."""
        for key in [k for k, at in self._phones_at.items()
                    if k not in self._held and now >= at + self._phone_pace.get(k, 0.0)]:
            del self._phones_at[key]
            self._phone_pace.pop(key, None)
        for key in [k for k, at in self._teams_at.items() if k not in self._teams_held and now >= at + self.team_interval]:
            del self._teams_at[key]

    def push_teams(self, teams: dict, now: float, force: bool = False) -> None:
        """``team_presence`` of the teams that changed: to the facilitators at once, to the team's
        members when their pace allows (``force``: now), else at a later flush with whatever changed
        meanwhile."""
        lists = {}
        for key in teams.values():
            meeting_id, team, _ = key
            lists[key] = {"team": team, "members": self.connections.team_members(meeting_id, team)}
            if meeting_id is not None:
                self.socketio.emit("team_presence", lists[key], to=rooms.room_facilitators(meeting_id))
            self._teams_held.add(key)
        sent = 0
        for key in list(self._teams_held):
            if not force and now < self._teams_at.get(key, 0.0) + self.team_interval - self.interval / 4:
                continue
            if sent:
                # Let the loop turn between two teams: each list goes out at once to its team (fewer
                # than ``fanout.SLICED_FROM`` people), but 35 teams of 57 are 2,000 frames, and written
                # in one turn they held every ack and every console's control for 100-150 ms.
                self.socketio.sleep(0)
            sent += 1
            self._teams_held.discard(key)
            self._teams_at[key] = now
            meeting_id, team, network_id = key
            message = lists.get(key) or {"team": team, "members": self.connections.team_members(meeting_id, team)}
            to = rooms.room_network(network_id) if meeting_id is None else rooms.room_team(meeting_id, team)
            self.socketio.emit("team_presence", message, to=to)

    def push_results(self, db, meeting_id, item_id, scopes=frozenset({""}), screens: bool = True,
                     force: bool = True) -> None:
        """Push ``item``'s results: to the console and the projector (``screens``), and to its
        participants, unless its exercise's slower pace holds theirs back (``force`` does not)."""
        snapshots = self.snapshots
        item = snapshots.item(db, item_id)
        if item is None:
            return
        seq = snapshots.seq(db, meeting_id)
        if screens:
            for role, audience in (("console", FACILITATOR), ("projector", PROJECTOR)):
                self.socketio.emit("results", {"seq": seq, "item": snapshots.item_view(db, item, audience)},
                                   to=rooms.room_screen(meeting_id, role))
        if not snapshots.participants_see_results(item):
            return
        exercise = snapshots.exercise_of(item)
        key = (meeting_id, item_id)
        per_second = exercise.participant_pushes_per_second if exercise is not None else None
        if per_second:
            self._phone_pace[key] = 1.0 / float(per_second)
            now = self.clock()
            if not force and not self._phones_due(key, now):
                self._held.setdefault(key, set()).update(scopes)
                return
            self._phones_at[key] = now
            scopes = set(scopes) | self._held.pop(key, set())
        if exercise is not None and snapshots.team_scoped(exercise, item):
            # Each team gets its own space's view, in its own room: one team's work never reaches
            # another. Only the teams that changed, unless the meeting-wide state did.
            teams = store.teams_of_meeting(db, meeting_id)
            if "" not in scopes:
                teams = {team: networks for team, networks in teams.items() if team in scopes}
            for team, view in snapshots.team_views(db, item, teams).items():
                self.socketio.emit("results", {"seq": seq, "item": view}, to=rooms.room_team(meeting_id, team))
            return
        self.socketio.emit("results", {"seq": seq, "item": snapshots.item_view(db, item, PARTICIPANT)},
                           to=rooms.room_participants(meeting_id))
