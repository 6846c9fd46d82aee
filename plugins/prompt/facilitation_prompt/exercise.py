"""The prompt card: the facilitator shows a prompt (one of the method's shared assumptions, or
their own) and collects short replies, shown as a wall; they highlight replies for the room
and hide what does not belong there. Replies may be anonymous.

State keys, one row each:

- ``seq``: ``{"n": last reply id}``;
- ``r:<id>``: a reply: ``text``, ``at``, ``hl`` (highlighted), ``hidden``, ``name`` and ``network``
  (``None`` for anonymous replies: they are never stored);
- ``m:<participant>``: the person's own reply ids;
- ``n:<network>``: ``people`` and ``replies`` of a network, and how many were ``anon``.
"""

from __future__ import annotations

from facilitation.api import (
    PARTICIPANT,
    PROJECTOR,
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

MAX_TEXT = 200
MAX_REPLIES = 1000
WALL = 300  # replies a participant's wall gets, the newest
PROJECTOR_WALL = 6
MIN_GROUP = 3

# The method's shared assumptions, ready to show (PRODUCT: "useful as prompts and reflection cards").
READY = {
    "third_culture": (
        _l('Shared assumption: the "third culture"'),
        _l(
            'Intercultural work builds a "third culture" in which everyone takes part; the '
            "mediator promotes a new culture common to all citizens."
        ),
    ),
    "active_role": (
        _l("Shared assumption: every role shapes the community"),
        _l(
            "Every role shapes the community; the citizen who turns to a service takes an active "
            "role, not only that of someone asking for assistance."
        ),
    ),
}


class PromptCard(Exercise):
    type = "prompt"
    title = _l("Prompt card")
    description = _l(
        "Show a prompt, such as one of the method's shared assumptions, and collect short replies "
        "as a wall; highlight the replies the room should see."
    )
    icon = "❝"
    script = "prompt.js"
    stylesheet = "prompt.css"
    archive_template = "prompt/archive.html"
    config_fields = [
        Field(
            "ready",
            "choice",
            _l("Ready prompt"),
            default="",
            choices=(("", _l("None: I write my own prompt")), *((k, v[0]) for k, v in READY.items())),
        ),
        Field(
            "prompt",
            "textarea",
            _l("Prompt"),
            default="",
            max_length=400,
            help=_l("With a ready prompt, leave it empty to show the prompt as it is, or adapt it here."),
        ),
        Field(
            "ask", "text", _l("What the replies answer"), default=_l("What does it mean in your work?"), max_length=160
        ),
        Field("title", "text", _l("Title in the agenda (optional)"), default="", max_length=120),
        Field("anonymous", "bool", _l("Replies are anonymous"), default=False),
        Field("wall", "bool", _l("Participants see everyone's replies"), default=True),
        Field("per_person", "int", _l("Replies per person"), default=3, min=1, max=10),
    ]
    actions = {
        "reply": ActionSpec([Field("text", "text", required=True, max_length=MAX_TEXT)], rate="chat"),
        "withdraw": ActionSpec([Field("reply", "int", required=True, min=1, max=MAX_REPLIES)]),
        "highlight": ActionSpec(
            [Field("reply", "int", required=True, min=1, max=MAX_REPLIES), Field("on", "bool", default=True)],
            roles=frozenset({"facilitator"}),
            rate="edit",
        ),
        "hide": ActionSpec(
            [Field("reply", "int", required=True, min=1, max=MAX_REPLIES), Field("on", "bool", default=True)],
            roles=frozenset({"facilitator"}),
            rate="edit",
        ),
    }

    def validate_config(self, config: dict) -> dict:
        ready = config.get("ready") or ""
        if ready and not config.get("prompt"):
            # The prompt is kept in the language the meeting is prepared in, like every other text of it.
            config["prompt"] = str(READY[ready][1])
        if not config.get("prompt"):
            raise ValidationError({"prompt": str(_l("Write a prompt, or choose a ready one."))})
        return config

    def title_for(self, config: dict) -> str:
        if config.get("title"):
            return config["title"]
        if config.get("ready") in READY:
            return str(READY[config["ready"]][0])
        prompt = config.get("prompt") or ""
        return prompt if len(prompt) <= 60 else prompt[:59].rstrip() + "…"

    # actions -------------------------------------------------------------------

    def apply(self, state: State, action: Action, actor: Actor) -> Outcome:
        handler = {"reply": self._reply, "withdraw": self._withdraw, "highlight": self._mark, "hide": self._mark}.get(
            action.type
        )
        if handler is None:
            raise ActionError("unknown_action", _l("Unknown action."))
        return handler(state, action, actor)

    def _reply(self, state: State, action: Action, actor: Actor) -> Outcome:
        config = state.config
        me = state.get(f"m:{actor.id}") or {"replies": []}
        if len(me["replies"]) >= config.get("per_person", 3):
            raise ActionError("limit", _l("You have sent as many replies as you can here."))
        counter = state.get("seq") or {"n": 0}
        if counter["n"] >= MAX_REPLIES:
            raise ActionError("full", _l("This exercise takes no more replies."))
        anonymous = bool(config.get("anonymous"))
        rid = counter["n"] + 1
        reply = {
            "id": rid,
            "text": action.payload["text"],
            "at": action.at,
            "hl": False,
            "hidden": False,
            "name": None if anonymous else actor.name,
            "network": None if anonymous else actor.network_id,
        }
        me = {"replies": [*me["replies"], rid]}
        changes = {"seq": {"n": rid}, f"r:{rid}": reply, f"m:{actor.id}": me}
        self._count(state, changes, actor, 1, person=len(me["replies"]) == 1, anonymous=anonymous)
        return Outcome(changes=changes, dirty=True, reply={**self._personal(state, me, changes), "reply": rid})

    def _withdraw(self, state: State, action: Action, actor: Actor) -> Outcome:
        rid = action.payload["reply"]
        me = state.get(f"m:{actor.id}") or {"replies": []}
        if rid not in me["replies"]:
            raise ActionError("not_found", _l("You can take back only your own replies."))
        me = {"replies": [r for r in me["replies"] if r != rid]}
        changes = {f"r:{rid}": None, f"m:{actor.id}": me}
        self._count(state, changes, actor, -1, person=not me["replies"], anonymous=bool(state.config.get("anonymous")))
        return Outcome(changes=changes, dirty=True, reply=self._personal(state, me, changes))

    def _mark(self, state: State, action: Action, actor: Actor) -> Outcome:
        rid = action.payload["reply"]
        reply = state.get(f"r:{rid}")
        if reply is None:
            raise ActionError("not_found", _l("There is no such reply."))
        key = "hl" if action.type == "highlight" else "hidden"
        on = action.payload.get("on", True)
        new = {**reply, key: on}
        if on and key == "hidden":
            new["hl"] = False  # a hidden reply is not shown on the projector either
        if new == reply:
            return Outcome(reply={"reply": rid, "unchanged": True})
        return Outcome(changes={f"r:{rid}": new}, dirty=True, reply={"reply": rid})

    def _count(self, state, changes, actor, delta, person, anonymous):
        """A network's figures: replies, and people (the first reply of a person, or their last taken back)."""
        if not actor.network_id:
            return
        key = f"n:{actor.network_id}"
        counts = dict(state.get(key) or {})
        counts["replies"] = max(0, counts.get("replies", 0) + delta)
        counts["people"] = max(0, counts.get("people", 0) + (delta if person else 0))
        counts["anon"] = max(0, counts.get("anon", 0) + (delta if anonymous else 0))
        changes[key] = counts

    def _personal(self, state: State, me: dict, changes: dict | None = None) -> dict:
        changes = changes or {}
        mine = []
        for rid in me["replies"]:
            key = f"r:{rid}"
            reply = changes[key] if key in changes else state.get(key)
            if reply is not None:
                mine.append({"id": rid, "text": reply["text"], "hidden": reply["hidden"]})
        return {"mine": mine, "left": max(0, state.config.get("per_person", 3) - len(me["replies"]))}

    # views ---------------------------------------------------------------------

    def _public(self, reply: dict) -> dict:
        return {
            "id": reply["id"],
            "text": reply["text"],
            "hl": reply["hl"],
            "name": reply.get("name"),
            "at": reply["at"],
        }

    def client_strings(self) -> dict:
        return {
            "your_reply": _l("Your reply"),
            "send": _l("Send"),
            "sent": _l("Reply sent."),
            "left": _l("Replies you can still send: %(n)s"),
            "chars_left": _l("Characters left: %(n)s"),
            "mine": _l("Your replies"),
            "withdraw": _l("Take it back"),
            "hidden": _l("Hidden by the facilitator"),
            "anonymous_note": _l("Replies are anonymous: nobody sees who wrote them, not even the facilitator."),
            "named_note": _l("Your name is shown with your reply."),
            "wall": _l("Replies"),
            "no_wall": _l("The facilitator shows the replies on the shared screen."),
            "none": _l("No replies yet."),
            "highlighted": _l("Highlighted"),
            "anonymous": _l("Anonymous"),
            "highlight": _l("Highlight"),
            "unhighlight": _l("Remove the highlight"),
            "hide": _l("Hide"),
            "show": _l("Show again"),
            "count": _l("Replies: %(n)s"),
            "by_network": _l("By network"),
            "network": _l("Network"),
            "people": _l("People"),
            "replies": _l("Replies"),
            "few": _l("fewer than 3 people"),
            "removed": _l("This reply was removed."),
        }

    def participants_see_results(self, config: dict, revealed: bool) -> bool:
        return bool(config.get("wall", True))

    def view(self, state: State, audience: str, actor: Actor | None = None) -> dict:
        config = state.config
        replies = sorted(state.prefix("r:").values(), key=lambda r: (r["at"], r["id"]))
        visible = [r for r in replies if not r["hidden"]]
        out = {
            "prompt": config.get("prompt", ""),
            "ask": config.get("ask", ""),
            "count": len(visible),
            "anonymous": bool(config.get("anonymous")),
            "wall": bool(config.get("wall", True)),
            "max_text": MAX_TEXT,
        }
        if audience == PROJECTOR:
            out["highlighted"] = [self._public(r) for r in visible if r["hl"]]
            out["replies"] = [self._public(r) for r in visible if not r["hl"]][-PROJECTOR_WALL:]
            return out
        if audience == PARTICIPANT:
            if out["wall"]:
                shown = visible[-WALL:]
                out["replies"] = [self._public(r) for r in shown]
                out["gone"] = [r["id"] for r in replies if r["hidden"]]
            return out
        out["replies"] = [{**self._public(r), "hidden": r["hidden"]} for r in replies]
        out["by_network"] = self.by_network(state)
        return out

    def by_network(self, state: State) -> dict:
        out = {}
        for key, c in state.prefix("n:").items():
            shown = c.get("anon", 0) == 0 or c.get("people", 0) >= MIN_GROUP
            out[key[2:]] = {
                "people": c.get("people", 0) if shown else None,
                "replies": c.get("replies", 0) if shown else None,
            }
        return out

    def personal(self, state: State, actor: Actor) -> dict:
        return self._personal(state, state.get(f"m:{actor.id}") or {"replies": []})

    def summary(self, state: State) -> dict:
        return {"replies": sum(1 for r in state.prefix("r:").values() if not r["hidden"])}

    def archive(self, state: State, network_id: int) -> dict | None:
        """What a network keeps: the prompt, the room's replies (names only of its own people)
        with its own marked, and its figures."""
        replies = sorted(state.prefix("r:").values(), key=lambda r: (r["at"], r["id"]))
        listed = []
        for r in replies:
            if r["hidden"]:
                continue
            mine = r.get("network") == network_id
            listed.append({"text": r["text"], "hl": r["hl"], "mine": mine, "name": r.get("name") if mine else None})
        return {
            "prompt": state.config.get("prompt", ""),
            "ask": state.config.get("ask", ""),
            "anonymous": bool(state.config.get("anonymous")),
            "replies": listed,
            "network": self.by_network(state).get(str(network_id)),
        }
