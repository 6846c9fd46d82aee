"""A tiny outside exercise: each participant says how the room feels (sunny, cloudy, stormy).

It lives outside the core and comes in only through the ``facilitation.plugins``
entry-point group, as any third-party package would.
"""

from facilitation import FACILITATORS, SELF, ActionSpec, Exercise, Field, Outcome, hookimpl

MOODS = ("sunny", "cloudy", "stormy")


class Mood(Exercise):
    type = "mood"
    title = "Mood of the room"
    description = "How does the room feel right now?"
    config_fields = [
        Field("title", "text", "Question", default="How do you feel?", required=True, max_length=120),
        Field("rounds", "int", "Rounds", default=1, min=1, max=3),
    ]
    actions = {"pick": ActionSpec([Field("mood", "choice", choices=MOODS, required=True)])}

    def apply(self, state, action, actor):
        mood = action.payload["mood"]
        counts = dict(state.get("counts") or dict.fromkeys(MOODS, 0))
        previous = state.get(f"a:{actor.id}")
        if previous:
            counts[previous] -= 1
        counts[mood] += 1
        return Outcome(
            changes={"counts": counts, f"a:{actor.id}": mood},
            broadcast=[(FACILITATORS, {"counts": counts}), (SELF, {"mood": mood})],
            reply={"mood": mood},
        )

    def view(self, state, audience, actor=None):
        return {"counts": state.get("counts") or dict.fromkeys(MOODS, 0)}

    def personal(self, state, actor):
        return {"mood": state.get(f"a:{actor.id}")}

    def archive(self, state, network_id):
        return {"counts": state.get("counts") or dict.fromkeys(MOODS, 0)}


@hookimpl
def register_exercises():
    return [Mood]
