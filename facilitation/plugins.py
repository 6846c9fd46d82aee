"""The plugin manager: one per app, built in the factory, kept in ``app.extensions``."""

from __future__ import annotations

import importlib

import pluggy
from flask import current_app

from . import hookspecs
from .exercise import Exercise

ENTRY_POINT_GROUP = "facilitation.plugins"


def get_plugin_manager(extra_modules=()) -> pluggy.PluginManager:
    """Specs, then every package of the entry-point group (built-ins included),
    then modules named in config (``FACILITATION_PLUGINS``)."""
    pm = pluggy.PluginManager("facilitation")
    pm.add_hookspecs(hookspecs)
    pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    for name in extra_modules:
        module = importlib.import_module(name)
        if not pm.is_registered(module):
            pm.register(module, name)
    pm.check_pending()
    return pm


class Registry:
    """Exercises and migrations collected once at start-up; duplicates fail loudly."""

    def __init__(self, pm: pluggy.PluginManager):
        self.pm = pm
        self.exercises: dict[str, Exercise] = {}
        for batch in pm.hook.register_exercises():
            for cls in batch or ():
                if not (isinstance(cls, type) and issubclass(cls, Exercise)) or not cls.type:
                    raise TypeError(f"{cls!r} is not an Exercise subclass with a type")
                if cls.type in self.exercises:
                    raise ValueError(f"exercise type {cls.type!r} is registered twice")
                self.exercises[cls.type] = cls()
        self.migrations = [m for batch in pm.hook.register_migrations() for m in (batch or ())]
        names = [m.name for m in self.migrations]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise ValueError(f"migration sets registered twice: {sorted(dupes)}")

    def exercise(self, type_name: str) -> Exercise:
        return self.exercises[type_name]

    def plugin_names(self) -> list[tuple[str, str]]:
        """(name, module) of every registered plugin."""
        return sorted(
            (name, getattr(plugin, "__name__", repr(plugin)))
            for name, plugin in self.pm.list_name_plugin()
            if plugin is not None
        )


def registry() -> Registry:
    return current_app.extensions["facilitation.registry"]


def exercise(type_name: str) -> Exercise:
    return registry().exercise(type_name)
