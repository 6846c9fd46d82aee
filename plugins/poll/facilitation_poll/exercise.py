"""Live polls: single choice, multiple choice, a 1-5 scale, short open answers (word cloud).

State keys (one row each, so a vote touches a handful of rows whatever the poll's size):
``a:<participant>`` the person's answer and network; ``t`` and ``t:<network>`` the
tallies; ``w:<word>`` and ``w<network>:<word>`` the word counts of open answers.
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
    Control,
    Exercise,
    Field,
    Outcome,
    State,
    ValidationError,
    clean_text,
)
from facilitation.api import lazy_gettext as _l

KINDS = (("single", _l("Single choice")), ("multiple", _l("Multiple choice")),
         ("scale", _l("Scale from 1 to 5")), ("open", _l("Short open answer (word cloud)")))
SCALE = 5
OPEN_MAX = 60
CLOUD_SIZE = 60


def normalise_word(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().casefold()
    return " ".join(text.split())


class Poll(Exercise):
    type = "poll"
    title = _l("Live poll")
    description = _l("A question with live results: choices, a scale or a word cloud.")
    icon = "▤"
    script = "poll.js"
    archive_template = "poll/archive.html"
    config_fields = [
        Field("title", "text", _l("Question"), required=True, max_length=200),
        Field("kind", "choice", _l("Kind of answer"), default="single", choices=KINDS, required=True),
        Field("options", "lines", _l("Options (one per line)"), default=[], max=12, max_length=120,
              help=_l("For single and multiple choice.")),
        Field("scale_low", "text", _l("Label of 1"), default="", max_length=40),
        Field("scale_high", "text", _l("Label of 5"), default="", max_length=40),
        Field("hide_results", "bool", _l("Hide results from participants until I reveal them"), default=True),
    ]
    actions = {
        "answer": ActionSpec([Field("value", "json", required=True)], roles=frozenset({"participant"})),
    }

    def validate_config(self, config: dict) -> dict:
        if config["kind"] in ("single", "multiple") and len(config["options"]) < 2:
            raise ValidationError({"options": str(_l("A choice poll needs at least two options."))})
        return config

    # answers -----------------------------------------------------------------

    def _clean(self, config: dict, value):
        kind = config.get("kind", "single")
        options = config.get("options") or []
        if kind == "single":
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < len(options):
                raise ActionError("invalid", _l("Choose one of the options."))
            return value
        if kind == "multiple":
            if (not isinstance(value, list) or not value or len(value) > len(options)
                    or any(not isinstance(v, int) or isinstance(v, bool) or not 0 <= v < len(options)
                           for v in value) or len(set(value)) != len(value)):
                raise ActionError("invalid", _l("Choose one or more of the options."))
            return sorted(value)
        if kind == "scale":
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= SCALE:
                raise ActionError("invalid", _l("Choose a value from 1 to 5."))
            return value
        text = clean_text(value) if isinstance(value, str) else ""
        if not normalise_word(text) or len(value) > OPEN_MAX:
            raise ActionError("invalid", _l("Write a short answer (up to %(n)d characters).", n=OPEN_MAX))
        return " ".join(text.split())

    def _size(self, config: dict) -> int:
        return SCALE if config.get("kind") == "scale" else len(config.get("options") or [])

    def _indexes(self, config: dict, value) -> list[int]:
        kind = config.get("kind")
        if kind == "single":
            return [value]
        if kind == "multiple":
            return list(value)
        if kind == "scale":
            return [value - 1]
        return []

    def apply(self, state: State, action: Action, actor: Actor) -> Outcome:
        if action.type != "answer":
            raise ActionError("unknown_action", _l("Unknown action."))
        config = state.config
        value = self._clean(config, action.payload["value"])
        key = f"a:{actor.id}"
        previous = state.get(key)
        if previous is not None and previous["v"] == value:
            return Outcome(reply={"answer": value, "unchanged": True})
        network = actor.network_id
        changes: dict = {key: {"v": value, "n": network}}
        if config.get("kind") == "open":
            self._count_word(state, changes, "w:", previous and previous["v"], value)
            if network:
                self._count_word(state, changes, f"w{network}:", previous and previous["v"], value)
        for tkey in ["t"] + ([f"t:{network}"] if network else []):
            tally = dict(changes.get(tkey) or state.get(tkey) or {"c": [0] * self._size(config), "n": 0})
            counts = list(tally["c"])
            if previous is not None:
                for i in self._indexes(config, previous["v"]):
                    if 0 <= i < len(counts):
                        counts[i] -= 1
            else:
                tally["n"] += 1
            for i in self._indexes(config, value):
                counts[i] += 1
            tally["c"] = counts
            changes[tkey] = tally
        return Outcome(changes=changes, dirty=True, reply={"answer": value})

    def _count_word(self, state, changes, prefix, old, new):
        if old:
            k = prefix + normalise_word(old)
            entry = dict(changes.get(k) or state.get(k) or {"text": old, "count": 0})
            entry["count"] -= 1
            changes[k] = entry if entry["count"] > 0 else None
        k = prefix + normalise_word(new)
        entry = changes.get(k) or state.get(k) or {"text": new, "count": 0}
        changes[k] = {"text": entry["text"], "count": entry["count"] + 1}

    # views -------------------------------------------------------------------

    def _results(self, state: State, network=None) -> dict:
        config = state.config
        suffix = f":{network}" if network else ""
        tally = state.get("t" + suffix) or {"c": [0] * self._size(config), "n": 0}
        out = {"counts": tally["c"], "total": tally["n"]}
        if config.get("kind") == "open":
            prefix = f"w{network}:" if network else "w:"
            words = sorted(state.prefix(prefix).values(), key=lambda w: (-w["count"], w["text"]))
            out["words"] = words[:CLOUD_SIZE]
        return out

    def _question(self, config: dict) -> dict:
        return {"kind": config.get("kind", "single"), "question": config.get("title", ""),
                "options": config.get("options") or [], "scale_low": config.get("scale_low", ""),
                "scale_high": config.get("scale_high", "")}

    def client_strings(self) -> dict:
        return {
            "send": _l("Send"), "change": _l("Change my answer"), "your_answer": _l("Your answer"),
            "answers": _l("Answers"), "results_hidden": _l("Results will be shown by the facilitator."),
            "by_network": _l("By network"), "write": _l("Your answer (a few words)"),
            "choose_many": _l("Choose one or more"), "saved": _l("Your answer is saved. You can change it until the poll is locked."),
            "everyone": _l("Everyone"), "no_answers": _l("No answers yet."),
            # {x} answered of {y} online, on the projector
            "answered_one": _l("{x} of {y} has answered"), "answered_many": _l("{x} of {y} have answered"),
        }

    def participants_see_results(self, config: dict, revealed: bool) -> bool:
        return revealed or not config.get("hide_results", True)

    def controls(self, config: dict, phase: str, revealed: bool) -> list[Control]:
        # Results shown live need no switch: only a poll that hides them can reveal them.
        if not config.get("hide_results", True):
            return []
        if revealed:
            return [Control("hide", _l("Hide results from participants"))]
        return [Control("reveal", _l("Show results to participants"), style="primary")]

    def view(self, state: State, audience: str, actor: Actor | None = None) -> dict:
        out = self._question(state.config)
        if audience in (PARTICIPANT, PROJECTOR):
            # The projector is a shared screen: it hides what participants may not see yet, and
            # shows the options and how many answered (a count: never who).
            if self.participants_see_results(state.config, state.revealed):
                out["results"] = self._results(state)
            if audience == PROJECTOR:
                out["answered"] = (state.get("t") or {"n": 0})["n"]
            return out
        out["results"] = self._results(state)
        out["by_network"] = {
            key.split(":", 1)[1]: {"counts": t["c"], "total": t["n"]} for key, t in state.prefix("t:").items()}
        return out

    def personal(self, state: State, actor: Actor) -> dict:
        mine = state.get(f"a:{actor.id}")
        return {"answer": mine["v"] if mine else None}

    def summary(self, state: State) -> dict:
        tally = state.get("t") or {"n": 0}
        return {"answers": tally["n"]}

    def archive(self, state: State, network_id: int) -> dict | None:
        out = self._question(state.config)
        out["overall"] = self._results(state)
        out["network"] = self._results(state, network_id)
        if state.config.get("kind") == "open":
            out["network_answers"] = sorted(
                a["v"] for a in state.prefix("a:").values() if a.get("n") == network_id)
        return out

