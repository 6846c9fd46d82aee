"""A one-word check-in: each person says in one word how they arrive; the room sees the words."""

from facilitation.api import ActionError, ActionSpec, Exercise, Field, Outcome, hookimpl, translations_folder
from facilitation.api import lazy_gettext as _l

MAX_WORD = 30


def normal(word):
    return " ".join(word.split()).casefold()


class CheckIn(Exercise):
    type = "checkin"
    title = _l("One-word check-in")
    description = _l("Each person says in one word how they arrive.")
    script = "checkin.js"
    config_fields = [
        Field("title", "text", _l("Question"), default=_l("In one word: how do you arrive?"),
              required=True, max_length=120),
    ]
    actions = {"say": ActionSpec([Field("word", "text", required=True, max_length=MAX_WORD)])}

    def apply(self, state, action, actor):
        word = action.payload["word"]
        if " " in word.strip():
            raise ActionError("one_word", _l("One word, please."))
        key = f"w:{normal(word)}"
        changes = {f"a:{actor.id}": {"word": word, "network": actor.network_id}}
        previous = state.get(f"a:{actor.id}")
        if previous:
            old = f"w:{normal(previous['word'])}"
            left = state[old]["count"] - 1
            changes[old] = {**state[old], "count": left} if left else None
        counted = changes.get(key) or state.get(key) or {"word": word, "count": 0}
        changes[key] = {**counted, "count": counted["count"] + 1}
        return Outcome(changes=changes, dirty=True, reply={"word": word})

    def view(self, state, audience, actor=None):
        words = sorted(state.prefix("w:").values(), key=lambda w: (-w["count"], w["word"]))
        return {"question": state.config.get("title", ""), "words": words}

    def personal(self, state, actor):
        mine = state.get(f"a:{actor.id}")
        return {"word": mine["word"] if mine else None}

    def client_strings(self):
        return {"send": _l("Send"), "yours": _l("Your word"), "nobody": _l("No words yet.")}

    def archive(self, state, network_id):
        answers = state.prefix("a:").values()
        return {"question": state.config.get("title", ""),
                "network": sorted(a["word"] for a in answers if a["network"] == network_id),
                "everyone": len(answers)}

@hookimpl
def register_exercises():
    return [CheckIn]


@hookimpl
def register_translations():
    return [translations_folder(__file__)]


@hookimpl
def render_archive(artifact, fmt, options):
    if artifact["exercise_type"] != "checkin":
        return None
    data = artifact["data"]
    if fmt == "markdown":
        return f"**{data['question']}**\n\n" + ", ".join(data["network"]) + "\n"
    return None  # HTML and print: the core's plain rendering
