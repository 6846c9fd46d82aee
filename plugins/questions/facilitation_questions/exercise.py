"""Questions with upvotes: participants ask (anonymously when configured) and upvote others'
questions once each; the facilitator moderates (approves held questions, hides, marks answered,
pins, merges duplicates); the projector shows the pinned and the top questions.

State keys, one row each, so an action touches a handful of rows whatever the size of the room:

- ``seq``: ``{"n": last question id}``;
- ``q:<id>``: a question: ``text``, ``status`` (``held``, ``published``, ``hidden``), ``votes``
  (distinct people, merged questions included), ``answered``, ``pinned``, ``at``, ``name`` and
  ``network`` (``None`` for an anonymous question: they are never stored), ``merged`` (ids merged
  into it), ``into`` (set on a question merged into another);
- ``m:<participant>``: the person's own ``asked`` and ``voted`` question ids;
- ``n:<network>``: counts of a network (``askers``, ``asked``, ``anon``, ``voters``, ``votes``)
  for results per network, shown only where at least three people stand behind an anonymous figure.
"""

from __future__ import annotations

import unicodedata

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
)
from facilitation.api import lazy_gettext as _l

MAX_TEXT = 280
MAX_QUESTIONS = 500
MAX_PINNED = 3
# What participants get pushed: the top questions and the newest, not every one of 500
# (a push goes to every phone in the room).
LIST_TOP = 30
LIST_RECENT = 10
# Anonymous figures of a network are shown only for at least this many people.
MIN_GROUP = 3

MODERATION = (("held", _l("Held until I approve them")), ("open", _l("Published at once")))
NAMES = (
    ("choice", _l("Each person chooses whether to give their name")),
    ("named", _l("With the name of whoever asks")),
    ("anonymous", _l("Anonymous for everyone, me included")),
)
MODERATE = ("approve", "hide", "restore", "answered", "unanswered", "pin", "unpin")


def normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def rank(q: dict) -> tuple:
    """Pinned first, then unanswered, most votes, oldest."""
    return (not q.get("pinned"), bool(q.get("answered")), -q.get("votes", 0), q.get("at", 0), q["id"])


class Questions(Exercise):
    type = "questions"
    title = _l("Questions with upvotes")
    description = _l(
        "Participants ask questions and upvote the others' once each; you moderate them; "
        "the projector shows the pinned and the top questions."
    )
    icon = "?"
    # Each phone's push carries up to 40 questions with their texts: at a conference of 2,000 the
    # phones get one a second, the console and the projector every push (docs/performance.md).
    participant_pushes_per_second = 1
    script = "questions.js"
    stylesheet = "questions.css"
    archive_template = "questions/archive.html"
    config_fields = [
        Field("title", "text", _l("Title"), default=_l("Questions for the speakers"), required=True, max_length=160),
        Field("moderation", "choice", _l("New questions"), default="held", choices=MODERATION, required=True),
        Field("names", "choice", _l("Names"), default="choice", choices=NAMES, required=True),
        Field("per_person", "int", _l("Questions per person"), default=5, min=1, max=20),
        Field("top", "int", _l("Top questions on the projector"), default=5, min=1, max=10),
    ]
    actions = {
        "ask": ActionSpec(
            [Field("text", "text", required=True, max_length=MAX_TEXT), Field("anonymous", "bool", default=False)],
            rate="chat",
        ),
        "vote": ActionSpec(
            [Field("question", "int", required=True, min=1, max=MAX_QUESTIONS), Field("up", "bool", default=True)]
        ),
        "moderate": ActionSpec(
            [
                Field("question", "int", required=True, min=1, max=MAX_QUESTIONS),
                Field("do", "choice", required=True, choices=MODERATE),
            ],
            roles=frozenset({"facilitator"}),
            rate="edit",
        ),
        "merge": ActionSpec(
            [
                Field("question", "int", required=True, min=1, max=MAX_QUESTIONS),
                Field("into", "int", required=True, min=1, max=MAX_QUESTIONS),
            ],
            roles=frozenset({"facilitator"}),
            rate="edit",
        ),
    }

    # actions -------------------------------------------------------------------

    def apply(self, state: State, action: Action, actor: Actor) -> Outcome:
        handler = {"ask": self._ask, "vote": self._vote, "moderate": self._moderate, "merge": self._merge}.get(
            action.type
        )
        if handler is None:
            raise ActionError("unknown_action", _l("Unknown action."))
        return handler(state, action, actor)

    def _ask(self, state: State, action: Action, actor: Actor) -> Outcome:
        config = state.config
        text = action.payload["text"]
        me = self._me(state, actor)
        if len(me["asked"]) >= config.get("per_person", 5):
            raise ActionError("limit", _l("You have asked as many questions as you can here."))
        if any(normal((state.get(f"q:{q}") or {}).get("text", "")) == normal(text) for q in me["asked"]):
            raise ActionError("duplicate", _l("You have asked this question already."))
        counter = state.get("seq") or {"n": 0}
        if counter["n"] >= MAX_QUESTIONS:
            raise ActionError("full", _l("This exercise takes no more questions."))
        names = config.get("names", "choice")
        anonymous = names == "anonymous" or (names == "choice" and action.payload.get("anonymous", False))
        qid = counter["n"] + 1
        question = {
            "id": qid,
            "text": text,
            "status": "held" if config.get("moderation", "held") == "held" else "published",
            "votes": 0,
            "answered": False,
            "pinned": False,
            "at": action.at,
            "name": None if anonymous else actor.name,
            "network": None if anonymous else actor.network_id,
            "anon": anonymous,
            "merged": [],
        }
        changes = {"seq": {"n": qid}, f"q:{qid}": question}
        if actor.network_id:
            key = f"n:{actor.network_id}"
            counts = dict(state.get(key) or {})
            counts["askers"] = counts.get("askers", 0) + (0 if me["asked"] else 1)
            counts["asked"] = counts.get("asked", 0) + 1
            counts["anon"] = counts.get("anon", 0) + (1 if anonymous else 0)
            changes[key] = counts
        me = {**me, "asked": [*me["asked"], qid]}
        changes[f"m:{actor.id}"] = me
        return Outcome(changes=changes, dirty=True, reply={**self._personal(state, me, changes), "question": qid})

    def _vote(self, state: State, action: Action, actor: Actor) -> Outcome:
        target = self._target(state, action.payload["question"])
        if target is None or target["status"] != "published":
            raise ActionError("not_found", _l("This question is not open to votes."))
        me = self._me(state, actor)
        group = {target["id"], *target.get("merged", [])}
        if group & set(me["asked"]):
            raise ActionError("own", _l("You cannot upvote your own question."))
        has = bool(group & set(me["voted"]))
        up = action.payload.get("up", True)
        if has == up:
            return Outcome(reply={**self._personal(state, me), "unchanged": True})
        delta = 1 if up else -1
        voted = [*me["voted"], target["id"]] if up else [q for q in me["voted"] if q not in group]
        first_vote = up and not me.get("voter")
        me = {**me, "voted": voted, "voter": True}
        changes = {f"q:{target['id']}": {**target, "votes": max(0, target["votes"] + delta)}, f"m:{actor.id}": me}
        if actor.network_id:
            key = f"n:{actor.network_id}"
            counts = dict(state.get(key) or {})
            counts["voters"] = counts.get("voters", 0) + (1 if first_vote else 0)
            counts["votes"] = max(0, counts.get("votes", 0) + delta)
            changes[key] = counts
        return Outcome(changes=changes, dirty=True, reply=self._personal(state, me, changes))

    def _moderate(self, state: State, action: Action, actor: Actor) -> Outcome:
        qid, do = action.payload["question"], action.payload["do"]
        q = state.get(f"q:{qid}")
        if q is None or q.get("into"):
            raise ActionError("not_found", _l("There is no such question."))
        status = q["status"]
        new = dict(q)
        if do == "approve":
            if status != "held":
                raise ActionError("not_held", _l("This question is not waiting for approval."))
            new["status"] = "published"
        elif do == "restore":
            if status != "hidden":
                raise ActionError("not_hidden", _l("This question is not hidden."))
            new["status"] = "published"
        elif do == "hide":
            new.update(status="hidden", pinned=False)
        else:
            if status != "published":
                raise ActionError("not_published", _l("Publish the question first."))
            if do in ("answered", "unanswered"):
                new["answered"] = do == "answered"
            else:
                pinned = do == "pin"
                if pinned and not q["pinned"] and self._pinned(state) >= MAX_PINNED:
                    raise ActionError(
                        "pinned", _l("At most %(n)d questions can be pinned: unpin one first.", n=MAX_PINNED)
                    )
                new["pinned"] = pinned
        if new == q:
            return Outcome(reply={"question": qid, "unchanged": True})
        return Outcome(changes={f"q:{qid}": new}, dirty=True, reply={"question": qid, "status": new["status"]})

    def _merge(self, state: State, action: Action, actor: Actor) -> Outcome:
        source, target = state.get(f"q:{action.payload['question']}"), state.get(f"q:{action.payload['into']}")
        if source is None or target is None or source.get("into") or target.get("into"):
            raise ActionError("not_found", _l("There is no such question."))
        if source["id"] == target["id"]:
            raise ActionError("invalid", _l("Choose another question to merge with."))
        if target["status"] != "published" or source["status"] == "hidden":
            raise ActionError("not_published", _l("Merge a question into a published one."))
        moved = [source["id"], *source.get("merged", [])]
        group = {target["id"], *target.get("merged", []), *moved}
        # Votes are people: someone who upvoted both counts once.
        voters = sum(1 for me in state.prefix("m:").values() if group & set(me.get("voted", [])))
        changes = {
            f"q:{target['id']}": {
                **target,
                "merged": [*target.get("merged", []), *moved],
                "votes": voters,
                "answered": target["answered"] or source["answered"],
            },
            f"q:{source['id']}": {**source, "into": target["id"], "pinned": False, "merged": []},
        }
        for qid in source.get("merged", []):
            earlier = state.get(f"q:{qid}")
            if earlier is not None:
                changes[f"q:{qid}"] = {**earlier, "into": target["id"]}
        return Outcome(changes=changes, dirty=True, reply={"question": source["id"], "into": target["id"]})

    # helpers -------------------------------------------------------------------

    def _me(self, state: State, actor: Actor) -> dict:
        return state.get(f"m:{actor.id}") or {"asked": [], "voted": []}

    def _target(self, state: State, qid: int) -> dict | None:
        """The question, or the one it was merged into (a list on a phone may be older than a merge)."""
        q = state.get(f"q:{qid}")
        for _ in range(MAX_QUESTIONS):
            if q is None or not q.get("into"):
                return q
            q = state.get(f"q:{q['into']}")
        return None

    def _pinned(self, state: State) -> int:
        return sum(1 for q in state.prefix("q:").values() if q.get("pinned") and q["status"] == "published")

    def _personal(self, state: State, me: dict, changes: dict | None = None) -> dict:
        """The person's own part; ``changes`` are an outcome's, not stored yet (the state is read
        lazily from the store, so it is not copied with them)."""
        changes = changes or {}
        asked = []
        for qid in me["asked"]:
            key = f"q:{qid}"
            q = changes[key] if key in changes else state.get(key)
            if q is not None:
                asked.append(
                    {
                        "id": qid,
                        "text": q["text"],
                        "status": "merged" if q.get("into") else q["status"],
                        "into": q.get("into"),
                        "anon": q.get("anon", False),
                        "answered": q["answered"],
                    }
                )
        left = max(0, state.config.get("per_person", 5) - len(me["asked"]))
        return {"asked": asked, "voted": list(me["voted"]), "left": left}

    # views ---------------------------------------------------------------------

    def _public(self, q: dict) -> dict:
        return {
            "id": q["id"],
            "text": q["text"],
            "votes": q["votes"],
            "answered": q["answered"],
            "pinned": q["pinned"],
            "name": q.get("name"),
            "network": q.get("network"),
            "at": q["at"],
        }

    def _settings(self, config: dict) -> dict:
        return {
            "moderation": config.get("moderation", "held"),
            "names": config.get("names", "choice"),
            "per_person": config.get("per_person", 5),
            "max_text": MAX_TEXT,
        }

    def client_strings(self) -> dict:
        return {
            "your_question": _l("Your question"),
            "ask": _l("Send the question"),
            "ask_anonymously": _l("Ask without my name"),
            "named_note": _l("Your name is shown with your question."),
            "anonymous_note": _l("Questions are anonymous: nobody sees who asked, not even the facilitator."),
            "held_note": _l("The facilitator reads each question before it is shown."),
            "left": _l("Questions you can still ask: %(n)s"),
            "chars_left": _l("Characters left: %(n)s"),
            "mine": _l("Your questions"),
            "held": _l("Waiting for approval"),
            "published": _l("Published"),
            "hidden": _l("Not published"),
            "merged": _l("Merged with a similar question"),
            "answered": _l("Answered"),
            "pinned": _l("Pinned"),
            "anonymous": _l("Anonymous"),
            "votes": _l("Votes"),
            "upvote": _l("Upvote"),
            "upvoted": _l("Upvoted: press again to take it back"),
            "yours": _l("Your question"),
            "popular": _l("Most voted"),
            "recent": _l("Newest"),
            "sort": _l("Order of the questions"),
            "questions": _l("Questions"),
            "none": _l("No questions yet: be the first to ask."),
            "none_console": _l("No questions yet."),
            "news": _l("New questions: %(n)s"),
            "reorder": _l("Show the new order"),
            "moved": _l("The order has changed."),
            "removed": _l("This question was removed by the facilitator."),
            "moved_into": _l("Merged with a similar question: its votes count there."),
            "more": _l("Showing %(shown)s of %(total)s questions."),
            "waiting": _l("Waiting for approval"),
            "approve": _l("Approve"),
            "hide": _l("Hide"),
            "restore": _l("Show again"),
            "mark_answered": _l("Mark as answered"),
            "mark_unanswered": _l("Mark as not answered"),
            "pin": _l("Pin to the projector"),
            "unpin": _l("Unpin"),
            "merge": _l("Merge"),
            "merge_into": _l("Merge into"),
            "merge_with": _l("Merge with a similar question"),
            "hidden_list": _l("Hidden questions"),
            "by_network": _l("By network"),
            "network": _l("Network"),
            "askers": _l("People who asked"),
            "asked": _l("Questions"),
            "voters": _l("People who voted"),
            "few": _l("fewer than 3 people"),
            "totals": _l("Published: %(p)s · waiting: %(h)s · votes: %(v)s"),
            "top": _l("Top questions"),
            "pinned_list": _l("Pinned questions"),
            "count": _l("Questions: %(n)s · answered: %(a)s"),
            "sent": _l("Question sent."),
            "sent_held": _l("Question sent: it is shown once the facilitator approves it."),
        }

    def participants_see_results(self, config: dict, revealed: bool) -> bool:
        return True

    def view(self, state: State, audience: str, actor: Actor | None = None) -> dict:
        questions = state.prefix("q:").values()
        published = sorted((q for q in questions if q["status"] == "published" and not q.get("into")), key=rank)
        out = {**self._settings(state.config), "total": len(published)}
        if audience == PROJECTOR:
            top = state.config.get("top", 5)
            out["pinned"] = [self._public(q) for q in published if q["pinned"]]
            out["top"] = [self._public(q) for q in published if not q["pinned"] and not q["answered"]][:top]
            out["answered"] = sum(1 for q in published if q["answered"])
            return out
        gone = sorted(q["id"] for q in questions if q["status"] == "hidden" or q.get("into"))
        into = {str(q["id"]): q["into"] for q in questions if q.get("into")}
        if audience == PARTICIPANT:
            recent = sorted(published, key=lambda q: (-q["at"], -q["id"]))[:LIST_RECENT]
            listed = {q["id"] for q in published[:LIST_TOP]} | {q["id"] for q in recent}
            out.update(questions=[self._public(q) for q in published if q["id"] in listed], gone=gone, into=into)
            return out
        # Facilitators: every question, held ones first in the order they came.
        held = sorted(
            (q for q in questions if q["status"] == "held" and not q.get("into")), key=lambda q: (q["at"], q["id"])
        )
        hidden = sorted(
            (q for q in questions if q["status"] == "hidden" and not q.get("into")), key=lambda q: (q["at"], q["id"])
        )
        out.update(
            questions=[self._public(q) for q in published],
            held=[self._public(q) for q in held],
            hidden=[self._public(q) for q in hidden],
            gone=gone,
            into=into,
            votes=sum(q["votes"] for q in published),
            by_network=self.by_network(state),
        )
        return out

    def by_network(self, state: State) -> dict:
        """Each network's figures; an anonymous figure of fewer than three people is None."""
        out = {}
        for key, c in state.prefix("n:").items():
            asked_shown = c.get("anon", 0) == 0 or c.get("askers", 0) >= MIN_GROUP
            votes_shown = c.get("voters", 0) >= MIN_GROUP
            out[key[2:]] = {
                "askers": c.get("askers", 0) if asked_shown else None,
                "asked": c.get("asked", 0) if asked_shown else None,
                "voters": c.get("voters", 0) if votes_shown else None,
                "votes": c.get("votes", 0) if votes_shown else None,
            }
        return out

    def personal(self, state: State, actor: Actor) -> dict:
        return self._personal(state, self._me(state, actor))

    def summary(self, state: State) -> dict:
        questions = list(state.prefix("q:").values())
        published = [q for q in questions if q["status"] == "published" and not q.get("into")]
        return {
            "questions": len(published),
            "held": sum(1 for q in questions if q["status"] == "held"),
            "votes": sum(q["votes"] for q in published),
        }

    def archive(self, state: State, network_id: int) -> dict | None:
        """What a network keeps: the room's published questions (names only of its own people),
        and its own figures."""
        questions = state.prefix("q:").values()
        published = sorted((q for q in questions if q["status"] == "published" and not q.get("into")), key=rank)
        listed = []
        for q in published:
            mine = q.get("network") == network_id
            listed.append(
                {
                    "text": q["text"],
                    "votes": q["votes"],
                    "answered": q["answered"],
                    "pinned": q["pinned"],
                    "mine": mine,
                    "name": q.get("name") if mine else None,
                }
            )
        return {
            "title": state.config.get("title", ""),
            "questions": listed,
            "merged": sum(1 for q in questions if q.get("into")),
            "votes": sum(q["votes"] for q in published),
            "network": self.by_network(state).get(str(network_id)),
        }
