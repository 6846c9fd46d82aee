"""facilitation: live co-design workshops for territorial networks.

Names are loaded on first use, so that ``facilitation serve`` can monkey-patch
(eventlet, gevent) before Flask or anything else is imported.
"""

import importlib

_EXPORTS = {
    "hookimpl": "hookspecs",
    "Field": "schema",
    "create_app": "app",
    **{name: "exercise" for name in (
        "ARCHIVE", "EVERYONE", "FACILITATOR", "FACILITATORS", "PARTICIPANT", "PROJECTOR", "SELF", "TEAM",
        "Action", "ActionError", "ActionSpec", "Actor", "Exercise", "Outcome", "State")},
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'facilitation' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
