"""The checks every exercise action passes before its exercise sees it."""

from __future__ import annotations

from flask_babel import gettext as _

from ..schema import ValidationError, validate
from .rooms import error

# The budget class an action of no known kind spends from: refused input costs too.
UNKNOWN_RATE = "vote"


def check_action(exercise, envelope: dict, roles: set[str], allow=None) -> tuple[dict | None, dict | None]:
    """(clean payload, None), or (None, error reply): an action the exercise declares,
    sent by one of its roles, within the sender's budget, with a payload of its fields.
    The budget is spent first, whatever the outcome."""
    spec = exercise.actions.get(envelope["type"])
    if allow is not None and not allow(spec.rate if spec is not None else UNKNOWN_RATE):
        return None, error("rate_limited", _("Too many actions; wait a moment."))
    if spec is None:
        return None, error("unknown_action", _("Unknown action."))
    if not roles & set(spec.roles):
        return None, error("forbidden", _("You are not allowed to do this."))
    try:
        return validate(spec.fields, envelope["payload"]), None
    except ValidationError as exc:
        return None, error("invalid", _("The answer is not valid."), fields=exc.errors)
