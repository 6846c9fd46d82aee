"""The obstacle board: sticky notes in columns, grouped into named clusters, then dot-voted.

State keys (one row each, so an action touches a few rows whatever the size of the board):
``phase`` the board's phase, in the meeting-wide space (every team moves together);
``c`` the counters (notes and clusters made, notes and clusters alive), which give ids
and hold the limits; ``n:<id>`` a note: column, text, its author's key and name (no name
when notes are anonymous), network, whether it waits for approval, cluster, dots;
``k:<id>`` a cluster: column and name; ``p:<actor key>`` a person's own part: their notes
(held ones too) and where their dots are; ``x`` the ids of removed notes.

What each audience sees: participants and the projector (a shared screen) never get
another person's held notes, nor anyone's dots before the results; facilitators see
everything, live. Nothing is broadcast per action: an ``event`` names its sender, and an
anonymous note must not, so the board travels as coalesced results (one push per team
that changed, a few times a second) and the sender's own part comes back in the ack.
"""

from __future__ import annotations

from facilitation.api import (
    FACILITATOR,
    PROJECTOR,
    Action,
    ActionError,
    ActionSpec,
    Actor,
    Control,
    Exercise,
    Field,
    Outcome,
    State,
)
from facilitation.api import lazy_gettext as _l

from .results import ranking, top

WRITING, CLUSTERING, VOTING, RESULTS = PHASES = ("writing", "clustering", "voting", "results")
PHASE_LABELS = {WRITING: _l("1. Writing"), CLUSTERING: _l("2. Clustering"), VOTING: _l("3. Voting"),
                RESULTS: _l("4. Results")}
DEFAULT_COLUMNS = [_l("Obstacles to a team culture"), _l("Obstacles to shared responsibility"),
                   _l("Aspects to develop")]
MAX_COLUMNS = 6
COLUMN_MAX = 80
NOTE_MAX = 200
CLUSTER_MAX = 60
MAX_NOTES = 400  # notes alive on one board (a team's, or the room's)
MAX_OWN = 20  # notes alive of one person
MAX_CLUSTERS = 60
MAX_DOTS = 10

EDITORS = frozenset({"participant", "facilitator"})
FACILITATORS_ONLY = frozenset({"facilitator"})
NOTE = Field("note", "id", required=True)
CLUSTER = Field("cluster", "id", required=True)
COLUMN = Field("column", "int", required=True, min=0, max=MAX_COLUMNS - 1)
NAME = Field("name", "text", required=True, max_length=CLUSTER_MAX)


class Board(Exercise):
    type = "board"
    title = _l("Obstacle board")
    description = _l("Sticky notes in columns, grouped into clusters, then dot voting; per network team "
                     "or for the whole room.")
    icon = "▦"
    script = "board.js"
    stylesheet = "board.css"
    archive_template = "board/archive.html"
    # Per team unless the facilitator chooses one board for the whole room (is_team_scoped).
    team_scoped = True
    config_fields = [
        Field("title", "text", _l("Title"), default="", max_length=200),
        Field("columns", "lines", _l("Columns (one per line)"), default=DEFAULT_COLUMNS, required=True,
              max=MAX_COLUMNS, max_length=COLUMN_MAX,
              help=_l("The method's three columns are proposed; up to %(n)d.", n=MAX_COLUMNS)),
        Field("scope", "choice", _l("Who writes on one board"), default="team", required=True,
              choices=(("team", _l("each network team on its own board")),
                       ("room", _l("the whole room on one board")))),
        Field("anonymous", "bool", _l("Anonymous notes: nobody sees who wrote a note"), default=False),
        Field("controlled", "bool", _l("Controlled mode: notes wait for my approval before they show"),
              default=False),
        Field("team_clusters", "bool", _l("Participants may group notes into clusters"), default=True),
        Field("dots", "int", _l("Dots per person"), default=3, required=True, min=1, max=MAX_DOTS),
        Field("stack", "bool", _l("A person may put several dots on one note"), default=False),
    ]
    actions = {
        "write": ActionSpec([COLUMN, Field("text", "text", required=True, max_length=NOTE_MAX)], roles=EDITORS),
        "remove": ActionSpec([NOTE], roles=EDITORS),
        "approve": ActionSpec([NOTE], roles=FACILITATORS_ONLY),
        "cluster": ActionSpec([COLUMN, NAME], roles=EDITORS),
        "rename": ActionSpec([CLUSTER, NAME], roles=EDITORS),
        "drop": ActionSpec([CLUSTER], roles=EDITORS),
        "group": ActionSpec([NOTE, Field("cluster", "id")], roles=EDITORS, rate="edit"),
        "vote": ActionSpec([NOTE, Field("add", "bool", default=True)], rate="edit"),
        "phase": ActionSpec([Field("phase", "choice", required=True, choices=PHASES)], roles=FACILITATORS_ONLY),
    }

    # config ----------------------------------------------------------------

    def is_team_scoped(self, config: dict) -> bool:
        return config.get("scope", "team") != "room"

    def columns(self, config: dict) -> list[str]:
        return list(config.get("columns") or [str(c) for c in DEFAULT_COLUMNS])

    def controls(self, config: dict, phase: str, revealed: bool) -> list[Control]:
        return [Control("phase", PHASE_LABELS[p], style="primary" if p == RESULTS else "secondary", action=True,
                        payload={"phase": p}) for p in PHASES]

    def participants_see_results(self, config: dict, revealed: bool) -> bool:
        # The board itself is what participants see (their team's, or the room's), as it changes.
        return True

    # the pure state function -------------------------------------------------

    def apply(self, state: State, action: Action, actor: Actor) -> Outcome:
        handler = {"write": self._write, "remove": self._remove, "approve": self._approve,
                   "cluster": self._cluster, "rename": self._rename, "drop": self._drop, "group": self._group,
                   "vote": self._vote, "phase": self._phase_to}.get(action.type)
        if handler is None:
            raise ActionError("unknown_action", _l("Unknown action."))
        if action.type != "phase" and self.is_team_scoped(state.config) and not state.scope:
            raise ActionError("no_team", _l("This board belongs to a team: open a team's board first."))
        return handler(state, action.payload, actor, action)

    def phase(self, state: State) -> str:
        return (state.shared.get("phase") or {}).get("phase", WRITING)

    def _require(self, state: State, *phases: str) -> None:
        if self.phase(state) not in phases:
            raise ActionError("wrong_phase", _l("Not now: the board is in the phase “%(phase)s”.",
                                                phase=PHASE_LABELS[self.phase(state)]), phase=self.phase(state))

    def _counters(self, state: State) -> dict:
        return {"notes": 0, "clusters": 0, "live": 0, "live_clusters": 0, **(state.get("c") or {})}

    def _person(self, state: State, key: str) -> dict:
        return {"notes": {}, "dots": {}, **(state.get("p:" + key) or {})}

    def _note(self, state: State, note_id: str) -> dict:
        note = state.get("n:" + note_id)
        if note is None:
            raise ActionError("gone", _l("This note is not on the board (any more)."), note=note_id)
        return note

    def _cluster_of(self, state: State, cluster_id: str) -> dict:
        cluster = state.get("k:" + cluster_id)
        if cluster is None:
            raise ActionError("gone", _l("This cluster is not on the board (any more)."), cluster=cluster_id)
        return cluster

    def _column(self, state: State, column: int) -> int:
        if column >= len(self.columns(state.config)):
            raise ActionError("invalid", _l("Choose one of the board's columns."))
        return column

    def personal_of(self, config: dict, person: dict) -> dict:
        mine = sorted(({"id": i, **n} for i, n in person["notes"].items()), key=lambda n: int(n["id"][1:]))
        spent = sum(person["dots"].values())
        return {"mine": mine, "dots": dict(person["dots"]), "left": max(0, int(config.get("dots") or 3) - spent)}

    def _mine(self, state: State, actor: Actor, person: dict, changes: dict, **reply) -> Outcome:
        return Outcome(changes=changes, dirty=True, reply={**self.personal_of(state.config, person), **reply})

    # writing and moderation

    def _write(self, state, p, actor, action) -> Outcome:
        self._require(state, WRITING)
        column = self._column(state, p["column"])
        counters = self._counters(state)
        if counters["live"] >= MAX_NOTES:
            raise ActionError("too_many", _l("This board holds at most %(n)d notes.", n=MAX_NOTES))
        person = self._person(state, actor.key)
        if len(person["notes"]) >= MAX_OWN:
            raise ActionError("too_many", _l("At most %(n)d notes each.", n=MAX_OWN))
        number = counters["notes"] + 1
        note_id = f"n{number}"
        held = bool(state.config.get("controlled")) and not actor.is_facilitator
        note = {"id": note_id, "no": number, "col": column, "text": p["text"], "by": actor.key,
                "name": None if state.config.get("anonymous") else actor.name, "net": actor.network_id,
                "held": held, "cl": None, "dots": 0, "at": action.at}
        person["notes"] = {**person["notes"], note_id: {"col": column, "text": p["text"], "held": held}}
        changes = {"n:" + note_id: note, "c": {**counters, "notes": number, "live": counters["live"] + 1},
                   "p:" + actor.key: person}
        return self._mine(state, actor, person, changes, note=note_id, held=held)

    def _remove(self, state, p, actor, action) -> Outcome:
        """A facilitator removes any note (refused, off-topic) until the results; its author
        withdraws it while notes are written. Dots on it go back to their owners."""
        note = self._note(state, p["note"])
        if actor.is_facilitator:
            self._require(state, WRITING, CLUSTERING, VOTING)
        elif note["by"] != actor.key:
            raise ActionError("not_yours", _l("You can withdraw only your own notes."))
        else:
            self._require(state, WRITING)
        counters = self._counters(state)
        # Removed notes are named to everyone (ids only), so that an author's own list, which
        # reaches them only with their acks, drops a note a facilitator removed.
        removed = ((state.get("x") or {}).get("ids") or [])[-(MAX_NOTES - 1):] + [note["id"]]
        changes: dict = {"n:" + note["id"]: None, "c": {**counters, "live": max(0, counters["live"] - 1)},
                         "x": {"ids": removed}}
        people = state.prefix("p:") if note["dots"] else {"p:" + note["by"]: self._person(state, note["by"])}
        for key, person in people.items():
            person = {"notes": {}, "dots": {}, **person}
            if note["id"] in person["notes"] or note["id"] in person["dots"]:
                changes[key] = {**person, "notes": {k: v for k, v in person["notes"].items() if k != note["id"]},
                                "dots": {k: v for k, v in person["dots"].items() if k != note["id"]}}
        mine = changes.get("p:" + actor.key) or self._person(state, actor.key)
        return self._mine(state, actor, mine, changes, removed=note["id"])

    def _approve(self, state, p, actor, action) -> Outcome:
        note = self._note(state, p["note"])
        if not note["held"]:
            return Outcome(reply={"unchanged": True})
        author = self._person(state, note["by"])
        changes = {"n:" + note["id"]: {**note, "held": False}}
        if note["id"] in author["notes"]:
            author["notes"] = {**author["notes"], note["id"]: {**author["notes"][note["id"]], "held": False}}
            changes["p:" + note["by"]] = author
        return Outcome(changes=changes, dirty=True, reply={"approved": note["id"]})

    # clusters

    def _may_cluster(self, state: State, actor: Actor) -> None:
        if actor.is_facilitator:
            self._require(state, WRITING, CLUSTERING)
            return
        if not state.config.get("team_clusters", True):
            raise ActionError("forbidden", _l("The facilitator groups the notes on this board."))
        self._require(state, CLUSTERING)

    def _cluster(self, state, p, actor, action) -> Outcome:
        self._may_cluster(state, actor)
        column = self._column(state, p["column"])
        counters = self._counters(state)
        if counters["live_clusters"] >= MAX_CLUSTERS:
            raise ActionError("too_many", _l("This board holds at most %(n)d clusters.", n=MAX_CLUSTERS))
        number = counters["clusters"] + 1
        cluster = {"id": f"k{number}", "no": number, "col": column, "name": p["name"]}
        changes = {"k:" + cluster["id"]: cluster,
                   "c": {**counters, "clusters": number, "live_clusters": counters["live_clusters"] + 1}}
        return Outcome(changes=changes, dirty=True, reply={"cluster": cluster["id"]})

    def _rename(self, state, p, actor, action) -> Outcome:
        self._may_cluster(state, actor)
        cluster = self._cluster_of(state, p["cluster"])
        if cluster["name"] == p["name"]:
            return Outcome(reply={"unchanged": True})
        return Outcome(changes={"k:" + cluster["id"]: {**cluster, "name": p["name"]}}, dirty=True,
                       reply={"cluster": cluster["id"]})

    def _drop(self, state, p, actor, action) -> Outcome:
        """A cluster taken away: its notes stay on the board, out of any cluster."""
        self._may_cluster(state, actor)
        cluster = self._cluster_of(state, p["cluster"])
        counters = self._counters(state)
        changes: dict = {"k:" + cluster["id"]: None,
                         "c": {**counters, "live_clusters": max(0, counters["live_clusters"] - 1)}}
        for key, note in state.prefix("n:").items():
            if note.get("cl") == cluster["id"]:
                changes[key] = {**note, "cl": None}
        return Outcome(changes=changes, dirty=True, reply={"dropped": cluster["id"]})

    def _group(self, state, p, actor, action) -> Outcome:
        self._may_cluster(state, actor)
        note = self._note(state, p["note"])
        if note["held"]:
            raise ActionError("held", _l("This note waits for the facilitator's approval."))
        target = p.get("cluster") or None
        if target is not None:
            cluster = self._cluster_of(state, target)
            if cluster["col"] != note["col"]:
                raise ActionError("invalid", _l("A note joins a cluster of its own column."))
        if note.get("cl") == target:
            return Outcome(reply={"unchanged": True})
        return Outcome(changes={"n:" + note["id"]: {**note, "cl": target}}, dirty=True,
                       reply={"note": note["id"], "cluster": target})

    # dot voting

    def _vote(self, state, p, actor, action) -> Outcome:
        self._require(state, VOTING)
        note = self._note(state, p["note"])
        if note["held"]:
            raise ActionError("held", _l("This note waits for the facilitator's approval."))
        person = self._person(state, actor.key)
        mine = person["dots"].get(note["id"], 0)
        allowed = int(state.config.get("dots") or 3)
        if p.get("add", True):
            if sum(person["dots"].values()) >= allowed:
                raise ActionError("no_dots", _l("You have used all your dots (%(n)d).", n=allowed))
            if mine and not state.config.get("stack"):
                raise ActionError("one_dot", _l("One dot per note on this board."))
            delta = 1
        else:
            if not mine:
                raise ActionError("no_dot", _l("You have no dot on this note."))
            delta = -1
        dots = {**person["dots"], note["id"]: mine + delta}
        person["dots"] = {k: v for k, v in dots.items() if v > 0}
        changes = {"n:" + note["id"]: {**note, "dots": note["dots"] + delta}, "p:" + actor.key: person}
        return self._mine(state, actor, person, changes)

    # phases (facilitators, for every team at once)

    def _phase_to(self, state, p, actor, action) -> Outcome:
        if state.scope:
            raise ActionError("invalid", _l("The phase is set for every team at once."))
        if self.phase(state) == p["phase"]:
            return Outcome(reply={"phase": p["phase"], "unchanged": True})
        return Outcome(changes={"phase": {"phase": p["phase"]}}, dirty=True, reply={"phase": p["phase"]})

    # views -------------------------------------------------------------------

    def _public(self, note: dict, audience: str, phase: str) -> dict:
        out = {"id": note["id"], "no": note["no"], "col": note["col"], "text": note["text"], "cl": note.get("cl")}
        if note.get("name"):
            out["name"] = note["name"]
        if audience == FACILITATOR:
            out["held"] = note["held"]
            out["dots"] = note["dots"]
        elif phase == RESULTS:
            out["dots"] = note["dots"]
        return out

    def board(self, state: State, audience: str) -> dict:
        """The board as an audience may see it: participants and the projector get no held note
        and no dots before the results."""
        config, phase = state.config, self.phase(state)
        notes = sorted(state.prefix("n:").values(), key=lambda n: n["no"])
        clusters = sorted(state.prefix("k:").values(), key=lambda k: k["no"])
        shown = [self._public(n, audience, phase) for n in notes if audience == FACILITATOR or not n["held"]]
        columns = self.columns(config)
        out = {"columns": columns, "phase": phase, "mode": "team" if self.is_team_scoped(config) else "room",
               "anonymous": bool(config.get("anonymous")), "controlled": bool(config.get("controlled")),
               "team_clusters": bool(config.get("team_clusters", True)), "dots": int(config.get("dots") or 3),
               "stack": bool(config.get("stack")), "notes": shown, "clusters": clusters,
               "removed": (state.get("x") or {}).get("ids") or []}
        if audience == FACILITATOR:
            out["held"] = sum(1 for n in notes if n["held"])
        if audience == FACILITATOR or phase == RESULTS:
            out["ranking"] = ranking(columns, [n for n in shown if not n.get("held")], clusters)
        return out

    def view(self, state: State, audience: str, actor: Actor | None = None) -> dict:
        out = self.board(state, audience)
        if audience == PROJECTOR and state.scope and "ranking" in out:
            out["top"] = top(out["ranking"])
        return out

    def personal(self, state: State, actor: Actor) -> dict:
        return self.personal_of(state.config, self._person(state, actor.key))

    def summary(self, state: State) -> dict:
        counters = self._counters(state)
        return {"notes": counters["live"], "clusters": counters["live_clusters"]}

    def archive(self, state: State, network_id: int) -> dict | None:
        """A network keeps its team's board (or the room's board, with its own notes marked),
        ranked. Names only where notes were signed, and in the room's board only its own people's."""
        config = state.config
        room = not self.is_team_scoped(config)
        notes = [n for n in sorted(state.prefix("n:").values(), key=lambda n: n["no"]) if not n["held"]]
        if not notes:
            return None
        kept = []
        for n in notes:
            note = self._public(n, "archive", RESULTS)
            if room:
                note["mine"] = n.get("net") == network_id
                if not note["mine"]:
                    note.pop("name", None)
            kept.append(note)
        clusters = sorted(state.prefix("k:").values(), key=lambda k: k["no"])
        voters = sum(1 for p in state.prefix("p:").values() if p.get("dots"))
        return {"mode": "room" if room else "team", "columns": self.columns(config),
                "anonymous": bool(config.get("anonymous")), "dots": int(config.get("dots") or 3),
                "notes": len(kept), "voters": voters, "dots_cast": sum(n["dots"] for n in kept),
                "ranking": ranking(self.columns(config), kept, clusters)}

    def client_strings(self) -> dict:
        return {
            "phase": _l("Phase"), "writing": PHASE_LABELS[WRITING], "clustering": PHASE_LABELS[CLUSTERING],
            "voting": PHASE_LABELS[VOTING], "results": PHASE_LABELS[RESULTS],
            "help_writing": _l("Write one obstacle or aspect per note, in its column."),
            "help_clustering": _l("Group the notes that say the same thing into named clusters: drag a note, "
                                  "or choose its cluster."),
            "help_clustering_fac": _l("The facilitator groups the notes into clusters."),
            "help_voting": _l("Put your dots on the notes that matter most."),
            "help_results": _l("The notes and clusters with the most dots come first."),
            "column": _l("Column"), "your_note": _l("Your note"), "add_note": _l("Add the note"),
            "your_notes": _l("Your notes"), "held": _l("Waiting for approval"), "withdraw": _l("Withdraw"),
            "remove": _l("Remove"), "approve": _l("Approve"), "to_approve": _l("Notes waiting for approval"),
            "by": _l("by"), "no_notes": _l("No notes yet."), "loose": _l("Not in a cluster"),
            "new_cluster": _l("New cluster"), "cluster_name": _l("Name of the cluster"), "create": _l("Create"),
            "rename": _l("Rename"), "drop": _l("Remove the cluster"), "cluster_of": _l("Cluster of the note"),
            "none": _l("(none)"), "moved": _l("Moved to:"), "add_dot": _l("Add a dot"),
            "remove_dot": _l("Take a dot back"), "your_dots": _l("Your dots here"), "dots_left": _l("Dots left"),
            "dot_added": _l("Dot placed on"), "dot_removed": _l("Dot taken back from"),
            "dots": _l("dots"),
            "notes": _l("notes"), "open_team": _l("Open this team's board"), "back_to_teams": _l("All teams"),
            "team_of": _l("Board of the team"), "waiting_count": _l("waiting"), "saved": _l("Saved."),
            "anonymous": _l("Anonymous notes"), "controlled": _l("Notes are approved by the facilitator"),
            "per_person": _l("dots per person"), "several": _l("several dots on one note allowed"),
            "whole_room": _l("One board for the whole room"),
        }
