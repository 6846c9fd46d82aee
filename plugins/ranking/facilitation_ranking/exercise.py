"""Ranking: each participant puts the options in order, and can change it until the exercise
is locked.

State keys (one row each, so a ranking touches three rows whatever the size of the room):
``a:<participant>`` the person's order and network; ``t`` and ``t:<network>`` the tallies:
how many ranked, and for each option how many put it at each rank.

Results are the average rank of each option (1 is first) with the distribution of its
ranks. A network's breakdown is shown only from 3 answers up: fewer would tell who put what.
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
    ValidationError,
)
from facilitation.api import lazy_gettext as _l

MAX_OPTIONS = 12
OPTION_MAX = 120
MIN_GROUP = 3  # no breakdown of fewer answers than this


def empty(size: int) -> dict:
    return {"n": 0, "r": [[0] * size for _ in range(size)]}


def results(tally: dict | None, options: list[str]) -> dict:
    """``{"n", "options": [{"index", "option", "average", "ranks": [count at rank 1, 2, ...]}]}``,
    best (lowest average rank) first; ties keep the options' order."""
    size = len(options)
    tally = tally if tally and len(tally.get("r") or []) == size else empty(size)
    n = tally["n"]
    rows = []
    for index, option in enumerate(options):
        ranks = list(tally["r"][index])
        average = sum((rank + 1) * count for rank, count in enumerate(ranks)) / n if n else None
        rows.append({"index": index, "option": option, "average": round(average, 2) if average else None,
                     "ranks": ranks})
    if n:
        rows.sort(key=lambda r: (r["average"], r["index"]))
    return {"n": n, "options": rows}


class Ranking(Exercise):
    type = "ranking"
    title = _l("Ranking")
    description = _l("Participants put a list of options in order: the average rank and the distribution of "
                     "ranks, overall and per network.")
    icon = "☰"
    script = "ranking.js"
    stylesheet = "ranking.css"
    archive_template = "ranking/archive.html"
    config_fields = [
        Field("title", "text", _l("Question"), required=True, max_length=200),
        Field("options", "lines", _l("Options to put in order (one per line)"), default=[], required=True,
              max=MAX_OPTIONS, max_length=OPTION_MAX, help=_l("From 2 to %(n)d options.", n=MAX_OPTIONS)),
        Field("hide_results", "bool", _l("Hide results from participants until I reveal them"), default=True),
    ]
    actions = {
        "rank": ActionSpec([Field("order", "ints", required=True, min=0, max=MAX_OPTIONS - 1)]),
    }

    def validate_config(self, config: dict) -> dict:
        if len(config.get("options") or []) < 2:
            raise ValidationError({"options": str(_l("A ranking needs at least two options."))})
        return config

    def options(self, config: dict) -> list[str]:
        return list(config.get("options") or [])

    # the pure state function -------------------------------------------------

    def apply(self, state: State, action: Action, actor: Actor) -> Outcome:
        if action.type != "rank":
            raise ActionError("unknown_action", _l("Unknown action."))
        size = len(self.options(state.config))
        order = list(action.payload["order"])
        if sorted(order) != list(range(size)):
            raise ActionError("invalid", _l("Put every option in order, each once."))
        key = f"a:{actor.id}"
        previous = state.get(key)
        if previous is not None and previous["o"] == order:
            return Outcome(reply={"order": order, "unchanged": True})
        network = actor.network_id
        changes: dict = {key: {"o": order, "n": network}}
        if previous is not None:
            for tkey in ["t"] + ([f"t:{previous['n']}"] if previous.get("n") else []):
                changes[tkey] = self._count(changes.get(tkey) or state.get(tkey), size, previous["o"], -1)
        for tkey in ["t"] + ([f"t:{network}"] if network else []):
            changes[tkey] = self._count(changes.get(tkey) or state.get(tkey), size, order, +1)
        return Outcome(changes=changes, dirty=True, reply={"order": order})

    def _count(self, tally: dict | None, size: int, order: list[int], delta: int) -> dict:
        tally = tally if tally and len(tally.get("r") or []) == size else empty(size)
        matrix = [list(row) for row in tally["r"]]
        for rank, option in enumerate(order):
            if 0 <= option < size:
                matrix[option][rank] = max(0, matrix[option][rank] + delta)
        return {"n": max(0, tally["n"] + delta), "r": matrix}

    # views -------------------------------------------------------------------

    def participants_see_results(self, config: dict, revealed: bool) -> bool:
        return revealed or not config.get("hide_results", True)

    def controls(self, config: dict, phase: str, revealed: bool) -> list[Control]:
        if not config.get("hide_results", True):
            return []
        if revealed:
            return [Control("hide", _l("Hide results from participants"))]
        return [Control("reveal", _l("Show results to participants"), style="primary")]

    def by_network(self, state: State) -> dict:
        """Each network's results from 3 answers up; fewer are counted, not shown."""
        options = self.options(state.config)
        out = {}
        for key, tally in state.prefix("t:").items():
            network = key.split(":", 1)[1]
            out[network] = (results(tally, options) if tally["n"] >= MIN_GROUP
                            else {"n": tally["n"], "hidden": True})
        return out

    def view(self, state: State, audience: str, actor: Actor | None = None) -> dict:
        options = self.options(state.config)
        out = {"question": state.config.get("title", ""), "options": options}
        if audience == FACILITATOR:
            out["results"] = results(state.get("t"), options)
            out["by_network"] = self.by_network(state)
            out["min_group"] = MIN_GROUP
        elif self.participants_see_results(state.config, state.revealed):
            out["results"] = results(state.get("t"), options)
        elif audience == PROJECTOR:
            # The projector is a shared screen: it hides what participants may not see yet.
            out["answered"] = (state.get("t") or {"n": 0})["n"]
        return out

    def personal(self, state: State, actor: Actor) -> dict:
        mine = state.get(f"a:{actor.id}")
        return {"order": mine["o"] if mine else None}

    def summary(self, state: State) -> dict:
        return {"answers": (state.get("t") or {"n": 0})["n"]}

    def archive(self, state: State, network_id: int) -> dict | None:
        options = self.options(state.config)
        overall = results(state.get("t"), options)
        if not overall["n"]:
            return None
        mine = state.get(f"t:{network_id}")
        network = (results(mine, options) if mine and mine["n"] >= MIN_GROUP
                   else {"n": mine["n"] if mine else 0, "hidden": True})
        return {"question": state.config.get("title", ""), "options": options, "overall": overall,
                "network": network, "min_group": MIN_GROUP}

    def client_strings(self) -> dict:
        return {
            "help": _l("Put the options in order, the most important first: drag them, or use the buttons."),
            "up": _l("Move up"), "down": _l("Move down"), "position": _l("Position"), "of": _l("of"),
            "save": _l("Save my ranking"), "change": _l("Save the new order"),
            "saved": _l("Your ranking is saved. You can change it until the exercise is locked."),
            "moved": _l("moved to position"), "average": _l("Average rank"), "distribution": _l("Ranks given"),
            "option": _l("Option"), "answers": _l("Answers"), "results_hidden": _l("Results will be shown by the facilitator."),
            "by_network": _l("By network"), "everyone": _l("Everyone"), "no_answers": _l("No answers yet."),
            "few": _l("Fewer than 3 answers: not shown."), "first_best": _l("An average rank of 1 means everyone put it first: the shorter the bar, the higher "
                             "the option came."),
            "drag": _l("Drag to reorder"),
        }
