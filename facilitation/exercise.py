"""What an exercise plugin provides, and the values the core passes to it.

An exercise is a class registered through the ``register_exercises`` hook.
Its state lives in a key-value space owned by the core; ``apply`` is a pure
function from (state, action, actor) to an ``Outcome``: which keys change,
what to broadcast to which audience, and whether results need a refresh.
The core does everything else (authentication, validation, persistence in
one transaction, acknowledgement, broadcast).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .schema import Field, ValidationError, defaults, validate

# Audiences an outcome may broadcast to. The core maps them to rooms.
EVERYONE = "everyone"  # every participant and facilitator of the meeting
FACILITATORS = "facilitators"  # facilitators' console and projector
TEAM = "team"  # the actor's team (a network, or a merged group of networks)
SELF = "self"  # every connection of the acting person

# Views an exercise renders.
PARTICIPANT, FACILITATOR, PROJECTOR, ARCHIVE = "participant", "facilitator", "projector", "archive"


class ActionError(Exception):
    """An action the exercise refuses. ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: str, message: str, **details: Any):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.details = details


@dataclass(frozen=True)
class Actor:
    """Who acts. ``kind`` is participant, facilitator or network (a network link)."""

    kind: str
    id: int | str
    name: str = ""
    network_id: int | None = None
    team: str | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def is_facilitator(self) -> bool:
        return self.kind == "facilitator"


@dataclass(frozen=True)
class Action:
    type: str
    payload: dict
    client_id: str | None = None
    at: float = 0.0


@dataclass
class Outcome:
    """What ``apply`` decided. ``changes`` maps state keys to new values (None deletes)."""

    changes: dict[str, Any] = field(default_factory=dict)
    broadcast: list[tuple[str, dict]] = field(default_factory=list)
    dirty: bool = False
    reply: dict = field(default_factory=dict)
    # Data to store now as a new version in the archive of the actor's network(s),
    # in the same transaction (e.g. the team clicked "save a version").
    archive: dict | None = None
    # The changes only say who is where (presence, focus), not work to keep.
    presence: bool = False


@dataclass(frozen=True)
class Control:
    """A button the facilitator's console shows for an exercise (``Exercise.controls``).

    ``name`` is ``reveal`` or ``hide`` (the core shows or hides results to participants),
    or one of the exercise's own actions that facilitators may send (``action=True``, sent
    with ``payload``). ``style`` is ``primary``, ``secondary`` or ``danger``; ``confirm``
    is a question the console asks first."""

    name: str
    label: Any
    style: str = "secondary"
    confirm: Any = None
    action: bool = False
    payload: dict = field(default_factory=dict)

    def public(self) -> dict:
        return {"name": self.name, "label": str(self.label), "style": self.style,
                "confirm": str(self.confirm) if self.confirm else None, "action": self.action,
                "payload": self.payload}


@dataclass(frozen=True)
class ActionSpec:
    """An action an exercise accepts: its payload fields and who may send it."""

    fields: list[Field]
    roles: frozenset = frozenset({"participant"})
    # Budget class for rate limiting: "vote", "edit" (higher) or "chat".
    rate: str = "vote"
    # Whether the action is accepted only while the exercise is open.
    needs_open: bool = True


class State(Mapping):
    """A read-only view of an exercise's key-value state.

    ``config`` is the exercise instance's config and ``phase`` its status in
    the meeting (pending, open, locked). ``prefix`` returns every key that
    starts with a string. Tests build one from a plain dict.
    """

    def __init__(self, data: Mapping | None = None, *, config: dict | None = None,
                 phase: str = "open", revealed: bool = False, scope: str = "",
                 shared: State | None = None):
        self._data = dict(data or {})
        self.config = config or {}
        self.phase = phase
        self.revealed = revealed
        self.scope = scope
        # For a team's state, the exercise's meeting-wide state (what facilitators set for all teams).
        self.shared = shared if shared is not None else (State() if scope else self)

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)

    def prefix(self, prefix: str) -> dict:
        return {k: v for k, v in self._data.items() if k.startswith(prefix)}

    def with_changes(self, changes: dict) -> State:
        """A new state with ``changes`` applied: how tests chain actions."""
        data = dict(self._data)
        for k, v in changes.items():
            if v is None:
                data.pop(k, None)
            else:
                data[k] = v
        return State(data, config=self.config, phase=self.phase,
                     revealed=self.revealed, scope=self.scope, shared=self.shared if self.scope else None)


class Exercise:
    """Base class for exercise plugins. Override what the exercise needs."""

    type: ClassVar[str] = ""
    title: ClassVar[Any] = ""
    description: ClassVar[Any] = ""
    icon: ClassVar[str] = "◆"
    config_fields: ClassVar[list[Field]] = []
    actions: ClassVar[dict[str, ActionSpec]] = {}
    # Team-scoped exercises keep one state per team (see ``scope``).
    team_scoped: ClassVar[bool] = False
    # Whether a network team keeps working on it between meetings, through its network link
    # (one state per network, outside any meeting; see ``start_state`` and ``workspace_config``).
    workspace: ClassVar[bool] = False
    # At most this many results pushes a second to participants (None: every flush, up to
    # RESULTS_PER_SECOND); the console and the projector still get every flush. For a heavy
    # participant view in a large room (questions with their texts, at a conference).
    participant_pushes_per_second: ClassVar[float | None] = None
    # Name of the template (in the plugin's template folder) rendering an archive artifact.
    archive_template: ClassVar[str | None] = None
    # The exercise's browser module and stylesheet: files in the ``static`` folder beside the
    # module that defines the exercise (its package), served by the core.
    script: ClassVar[str | None] = None
    stylesheet: ClassVar[str | None] = None
    # Folders of its package, relative to the module that defines the exercise: the core
    # serves ``static_folder`` and adds ``template_folder`` to the templates it looks in.
    static_folder: ClassVar[str] = "static"
    template_folder: ClassVar[str] = "templates"

    def title_for(self, config: dict) -> str:
        return config.get("title") or str(self.title)

    def is_team_scoped(self, config: dict) -> bool:
        """Whether this instance keeps one state per team: ``team_scoped`` unless the exercise
        lets the facilitator choose (an obstacle board per team or for the whole room)."""
        return self.team_scoped

    def validate_config(self, config: dict) -> dict:
        """Further checks on a config already validated against ``config_fields``."""
        return config

    def initial_state(self, config: dict) -> dict:
        return {}

    def start_state(self, config: dict, previous: dict | None) -> dict:
        """The first state of a team's (or a network workspace's) space, given what
        ``archive`` returned last time for that network (None if never)."""
        return self.initial_state(config)

    def workspace_config(self) -> dict:
        """The config a network workspace runs with (there is no agenda item)."""
        return {}

    def apply(self, state: State, action: Action, actor: Actor) -> Outcome:
        raise ActionError("unknown_action", "unknown action")

    def view(self, state: State, audience: str, actor: Actor | None = None) -> dict:
        """What an audience sees. For participants, the shared part (actor None)."""
        return {}

    def personal(self, state: State, actor: Actor) -> dict:
        """The part of a participant's view that is theirs alone (their own answer)."""
        return {}

    def client_strings(self) -> dict:
        """Translated strings the exercise's browser module needs, by key."""
        return {}

    def controls(self, config: dict, phase: str, revealed: bool) -> list[Control]:
        """The console's buttons for this exercise besides open and lock (none by default)."""
        return []

    def participants_see_results(self, config: dict, revealed: bool) -> bool:
        """Whether participants' view shows live results (pushed as they change)."""
        return revealed

    def summary(self, state: State) -> dict:
        """Headline figures of the results (count of answers, etc.)."""
        return {}

    def archive(self, state: State, network_id: int) -> dict | None:
        """What a network keeps of this exercise when it closes, or None."""
        return None


def config_errors(exercise: Exercise, config: dict) -> dict:
    """What keeps an agenda item's config from running, by field (``{}`` when it can run): the
    declared fields, a missing one taking its default, then the exercise's own checks. Keys
    no field declares (left by an older version of the exercise) are not its concern."""
    fields = exercise.config_fields
    known = {f.name for f in fields}
    try:
        exercise.validate_config(validate(fields, {**defaults(fields), **{k: v for k, v in config.items() if k in known}}))
    except ValidationError as exc:
        return exc.errors
    return {}
