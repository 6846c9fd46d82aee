"""The evaluation questionnaire: satisfaction, efficacy, process (the method's three lines).

State keys (a person's answer touches three rows whatever the size of the room):
``a:<participant>`` the person's own answer (their name only when the questionnaire is not
anonymous); ``t`` everyone's tally and ``t:<network>`` each network's (``figures.py``).
Nobody but the person ever receives an answer; facilitators see figures and texts, and an
anonymous questionnaire shows no group of fewer than three people.
"""

from __future__ import annotations

from facilitation.api import (
    FACILITATOR,
    Action,
    ActionError,
    ActionSpec,
    Actor,
    Control,
    Exercise,
    Field,
    Outcome,
    State,
    clean_text,
)
from facilitation.api import lazy_gettext as _l

from . import figures

SCHEMA = 1
MAX_CHOICES = 12
MAX_INDICATORS = 12
MAX_QUESTIONS = 8
USE_MAX, COMMENT_MAX, PROCESS_MAX = 500, 1000, 500

DEFAULT_CRITERIA = [_l("Competence of the professionals"), _l("Personalisation"), _l("Topics")]
DEFAULT_CRITICAL = [_l("Time"), _l("People available")]
DEFAULT_INDICATORS = [
    _l("Co-design skills"),
    _l("Teamwork between roles"),
    _l("Community-oriented mediation"),
    _l("Use of collaboration tools between public bodies and the third sector"),
]


def sizes(config: dict) -> tuple[int, int, int]:
    return (len(config.get("criteria") or []), len(config.get("critical") or []), len(config.get("indicators") or []))


class Evaluation(Exercise):
    type = "evaluation"
    title = _l("Evaluation questionnaire")
    description = _l("Satisfaction, efficacy against each network's starting point (T0), and process questions.")
    icon = "✔"
    script = "evaluation.js"
    stylesheet = "evaluation.css"
    config_fields = [
        Field("title", "text", _l("Title"), default=_l("Evaluation questionnaire"), required=True, max_length=200),
        Field(
            "criteria",
            "lines",
            _l("Criteria that may have mattered (one per line)"),
            default=DEFAULT_CRITERIA,
            max=MAX_CHOICES,
            max_length=120,
        ),
        Field(
            "critical",
            "lines",
            _l("What may have been critical (one per line)"),
            default=DEFAULT_CRITICAL,
            max=MAX_CHOICES,
            max_length=120,
        ),
        Field(
            "indicators",
            "lines",
            _l("Efficacy indicators, each rated from 1 to 5 (one per line)"),
            default=DEFAULT_INDICATORS,
            max=MAX_INDICATORS,
            max_length=160,
            help=_l(
                "Each network's ratings are compared with its first questionnaire (its T0) and its previous "
                "one, indicator by indicator: keep the same wording to compare."
            ),
        ),
        Field(
            "questions",
            "lines",
            _l("Process questions, answered in words (one per line)"),
            default=[],
            max=MAX_QUESTIONS,
            max_length=200,
        ),
        Field(
            "anonymous",
            "bool",
            _l("Anonymous: no names kept, and no figures shown for fewer than 3 people"),
            default=True,
        ),
    ]
    actions = {
        "answer": ActionSpec(
            [
                Field("recommend", "int", min=0, max=figures.SCORES - 1),
                Field("criteria", "ints", default=[], min=0, max=MAX_CHOICES - 1),
                Field("use", "textarea", default="", max_length=USE_MAX),
                Field("critical", "ints", default=[], min=0, max=MAX_CHOICES - 1),
                Field("comments", "textarea", default="", max_length=COMMENT_MAX),
                Field("ratings", "json", default=[]),
                Field("process", "json", default=[]),
            ]
        ),
    }

    # the answer, as a pure function ------------------------------------------------

    def _clean(self, config: dict, payload: dict) -> dict:
        criteria, critical, indicators = sizes(config)
        for name, size in (("criteria", criteria), ("critical", critical)):
            if any(i >= size for i in payload[name]):
                raise ActionError("invalid", _l("Choose among the options shown."), field=name)
        ratings = payload["ratings"]
        if (
            not isinstance(ratings, list)
            or len(ratings) > indicators
            or any(
                r is not None and (isinstance(r, bool) or not isinstance(r, int) or not 1 <= r <= 5) for r in ratings
            )
        ):
            raise ActionError("invalid", _l("Rate each indicator from 1 to 5."), field="ratings")
        process = payload["process"]
        questions = len(config.get("questions") or [])
        if (
            not isinstance(process, list)
            or len(process) > questions
            or any(p is not None and not isinstance(p, str) for p in process)
        ):
            raise ActionError("invalid", _l("Answer the questions shown."), field="process")
        process = [clean_text(p, multiline=True) if p else "" for p in process]
        if any(len(p) > PROCESS_MAX for p in process):
            raise ActionError(
                "invalid", _l("An answer is longer than %(n)d characters.", n=PROCESS_MAX), field="process"
            )
        answer = {
            "r": payload["recommend"],
            "c": sorted(payload["criteria"]),
            "u": payload["use"],
            "k": sorted(payload["critical"]),
            "m": payload["comments"],
            "e": list(ratings) + [None] * (indicators - len(ratings)),
            "p": process + [""] * (questions - len(process)),
        }
        if (
            answer["r"] is None
            and not answer["c"]
            and not answer["k"]
            and not answer["u"]
            and not answer["m"]
            and all(r is None for r in answer["e"])
            and not any(answer["p"])
        ):
            raise ActionError("empty", _l("Answer at least one question."))
        return answer

    def apply(self, state: State, action: Action, actor: Actor) -> Outcome:
        if action.type != "answer":
            raise ActionError("unknown_action", _l("Unknown action."))
        config = state.config
        answer = self._clean(config, action.payload)
        key = f"a:{actor.id}"
        previous = state.get(key)
        if previous is not None and {k: previous.get(k) for k in answer} == answer:
            return Outcome(reply={"answer": answer, "unchanged": True})
        network = actor.network_id
        stored = {**answer, "n": network, "at": action.at}
        if not config.get("anonymous", True):
            stored["who"] = actor.name
        changes: dict = {key: stored}
        size = sizes(config)

        def groups(net):
            return ["t"] + ([f"t:{net}"] if net else [])

        # A change of mind moves the person's counts: out of the groups of their previous answer, into these.
        if previous:
            for tkey in groups(previous.get("n")):
                changes[tkey] = figures.counted(changes.get(tkey) or state.get(tkey), previous, -1, size)
        for tkey in groups(network):
            changes[tkey] = figures.counted(changes.get(tkey) or state.get(tkey), answer, 1, size)
        return Outcome(changes=changes, dirty=True, reply={"answer": answer})

    # views -----------------------------------------------------------------------

    def _questions(self, config: dict) -> dict:
        return {
            "title": config.get("title", ""),
            "criteria": config.get("criteria") or [],
            "critical": config.get("critical") or [],
            "indicators": config.get("indicators") or [],
            "questions": config.get("questions") or [],
            "anonymous": bool(config.get("anonymous", True)),
        }

    def _texts(self, state: State, anonymous: bool) -> dict:
        """Everyone's words, for facilitators: the network beside each only where its group is
        large enough, names only when not anonymous, in alphabetical order (not the order of
        answering, which would tell who wrote what)."""
        answers = list(state.prefix("a:").values())
        out = {"use": [], "comments": [], "process": [[] for _ in state.config.get("questions") or []]}
        if not figures.shown(len(answers), anonymous):
            return {**out, "hidden": True}
        sized = {key[2:]: value["n"] for key, value in state.prefix("t:").items()}

        def entry(text, answer):
            network = answer.get("n")
            found = {"text": text}
            if network is not None and figures.shown(sized.get(str(network), 0), anonymous):
                found["network"] = network
            if not anonymous and answer.get("who"):
                found["who"] = answer["who"]
            return found

        for answer in answers:
            if answer.get("u"):
                out["use"].append(entry(answer["u"], answer))
            if answer.get("m"):
                out["comments"].append(entry(answer["m"], answer))
            for i, text in enumerate(answer.get("p") or []):
                if text and i < len(out["process"]):
                    out["process"][i].append(entry(text, answer))
        for texts in (out["use"], out["comments"], *out["process"]):
            texts.sort(key=lambda e: e["text"].casefold())
        return out

    def view(self, state: State, audience: str, actor: Actor | None = None) -> dict:
        config = state.config
        anonymous = bool(config.get("anonymous", True))
        out = self._questions(config)
        overall = state.get("t") or {"n": 0}
        out["answered"] = overall["n"]
        if audience == FACILITATOR:
            out["overall"] = figures.figures(state.get("t"), anonymous)
            out["by_network"] = {
                key[2:]: figures.figures(tally, anonymous) for key, tally in state.prefix("t:").items()
            }
            out["texts"] = self._texts(state, anonymous)
        elif state.revealed:
            # Participants and the shared screen: everyone's figures, never a network's or anyone's words.
            out["overall"] = figures.figures(state.get("t"), anonymous)
        return out

    def personal(self, state: State, actor: Actor) -> dict:
        mine = state.get(f"a:{actor.id}")
        return {"answer": {k: mine.get(k) for k in ("r", "c", "u", "k", "m", "e", "p")} if mine else None}

    def controls(self, config: dict, phase: str, revealed: bool) -> list[Control]:
        if revealed:
            return [Control("hide", _l("Hide the figures from participants"))]
        return [Control("reveal", _l("Show everyone's figures to participants"))]

    def summary(self, state: State) -> dict:
        return {"answers": (state.get("t") or {"n": 0})["n"]}

    def archive(self, state: State, network_id: int) -> dict | None:
        """What a network keeps: the questions, its tally and everyone's (counts, never a person's
        answer when anonymous), its people's words (without names when anonymous, none at all
        for a group of fewer than three), and its people's answers by name only when the
        questionnaire is not anonymous. A network where nobody answered keeps nothing, so its
        T0 is its first questionnaire with answers."""
        mine = state.get(f"t:{network_id}")
        if not mine or not mine["n"]:
            return None
        config = state.config
        anonymous = bool(config.get("anonymous", True))
        answers = sorted(
            (a for a in state.prefix("a:").values() if a.get("n") == network_id),
            key=lambda a: (str(a.get("who", "")).casefold(), a.get("at", 0)),
        )
        texts: dict = {"use": [], "comments": [], "process": [[] for _ in config.get("questions") or []]}
        if figures.shown(mine["n"], anonymous):
            for a in answers:
                who = {} if anonymous else {"who": a.get("who", "")}
                texts["use"] += [{"text": a["u"], **who}] if a.get("u") else []
                texts["comments"] += [{"text": a["m"], **who}] if a.get("m") else []
                for i, text in enumerate(a.get("p") or []):
                    if text and i < len(texts["process"]):
                        texts["process"][i].append({"text": text, **who})
            for entries in (texts["use"], texts["comments"], *texts["process"]):
                entries.sort(key=lambda e: e["text"].casefold())
        else:
            texts["hidden"] = True
        out = {"schema": SCHEMA, **self._questions(config), "overall": state.get("t"), "network": mine, "texts": texts}
        if not anonymous:
            out["answers"] = [
                {"who": a.get("who", ""), **{k: a.get(k) for k in ("r", "c", "u", "k", "m", "e", "p")}} for a in answers
            ]
        return out

    def client_strings(self) -> dict:
        return {
            "anonymous": _l(
                "This questionnaire is anonymous: your name is not kept with your answers, and no "
                "figures are shown for groups of fewer than 3 people."
            ),
            "named": _l("This questionnaire is not anonymous: the facilitator sees your name with your answers."),
            "satisfaction": _l("Satisfaction"),
            "efficacy": _l("Efficacy"),
            "process": _l("Process"),
            "recommend": _l("How likely is it that you would recommend this support to a colleague?"),
            "recommend_low": _l("0 = not at all likely"),
            "recommend_high": _l("10 = extremely likely"),
            "criteria": _l("What mattered to you?"),
            "use": _l("What would you use it for?"),
            "critical": _l("What was critical?"),
            "comments": _l("Other comments"),
            "efficacy_help": _l(
                "Where does your network stand today? Rate each point from 1 (very little) to 5 (very much)."
            ),
            "choose_many": _l("Choose any that apply."),
            "send": _l("Send my answers"),
            "change": _l("Change my answers"),
            "saved": _l("Your answers are saved. You can change them until the questionnaire is closed."),
            "answered": _l("People who answered"),
            "everyone": _l("Everyone"),
            "by_network": _l("By network"),
            "network": _l("Network"),
            "mean_score": _l("Average recommendation (0-10)"),
            "would_recommend": _l("Would recommend (9 or 10)"),
            "mean": _l("Average (1-5)"),
            "hidden": _l("Fewer than 3 people: not shown, to keep answers anonymous."),
            "people": _l("people"),
            "no_answers": _l("No answers yet."),
            "texts": _l("In their words"),
            "figures_hidden": _l("The figures will be shown by the facilitator."),
            "not_rated": _l("not rated"),
            "fewer": _l("fewer than 3"),
        }
