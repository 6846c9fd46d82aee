"""The plugin manager (one per app, built in the factory, kept in ``app.extensions``), the
registry of exercises, and the isolation of broken plugins.

A plugin that fails while loading or registering is left out and reported (``facilitation
plugins``, the console, the log), and the app starts without it. An exercise that raises
while the app runs is contained where it raised (``Registry.apply``, ``Registry.guard``):
its action is refused, its view shown as failed, its archive skipped, and the meeting and
the other exercises go on.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import logging
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import pluggy
from flask import current_app
from flask_babel import gettext as _

from . import hookspecs
from .exercise import EVERYONE, FACILITATORS, SELF, TEAM, ActionError, Exercise, Outcome

ENTRY_POINT_GROUP = "facilitation.plugins"
AUDIENCES = {EVERYONE, FACILITATORS, TEAM, SELF}
log = logging.getLogger("facilitation.plugins")


@dataclass(frozen=True)
class Problem:
    """Something a plugin did wrong: at load time, or while running (``where``: apply, view...)."""

    plugin: str
    where: str
    message: str
    at: float

    def public(self) -> dict:
        return {"plugin": self.plugin, "where": self.where, "message": self.message, "at": self.at}


def get_plugin_manager(extra_modules=(), broken: list | None = None) -> pluggy.PluginManager:
    """Specs, then every package of the entry-point group (built-ins included), then modules
    named in config (``FACILITATION_PLUGINS``). One that fails to import is left out and
    added to ``broken``."""
    broken = [] if broken is None else broken
    pm = pluggy.PluginManager("facilitation")
    pm.add_hookspecs(hookspecs)
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if pm.get_plugin(ep.name) is not None or pm.is_blocked(ep.name):
            continue
        _register(pm, ep.name, ep.load, broken)
    for name in extra_modules:
        _register(pm, name, lambda name=name: importlib.import_module(name), broken)
    pm.check_pending()
    return pm


def _register(pm, name, load, broken) -> None:
    try:
        module = load()
        if not pm.is_registered(module):
            pm.register(module, name)
    except Exception as exc:
        broken.append(Problem(name, "load", f"{type(exc).__name__}: {exc}", time.time()))
        log.error("plugin %s failed to load and is left out: %s: %s", name, type(exc).__name__, exc)


class Registry:
    """Exercises, migrations, translations and folders collected once at start-up;
    duplicates fail loudly; failures are contained and remembered."""

    def __init__(self, pm: pluggy.PluginManager, broken: list[Problem] | None = None):
        self.pm = pm
        self.broken: list[Problem] = list(broken or [])
        self._lock = threading.Lock()
        self._runtime: deque[Problem] = deque(maxlen=50)
        self.exercises: dict[str, Exercise] = {}
        self.owners: dict[str, str] = {}  # exercise type -> the plugin that registered it
        for plugin, batch in self._each("register_exercises"):
            for cls in batch or ():
                if not (isinstance(cls, type) and issubclass(cls, Exercise)) or not cls.type:
                    raise TypeError(f"{cls!r} is not an Exercise subclass with a type")
                if cls.type in self.exercises:
                    raise ValueError(f"exercise type {cls.type!r} is registered twice")
                try:
                    self.exercises[cls.type] = cls()
                    self.owners[cls.type] = plugin
                except Exception as exc:
                    self._load_failed(plugin, exc)
        self.migrations = [m for _plugin, batch in self._each("register_migrations") for m in (batch or ())]
        names = [m.name for m in self.migrations]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise ValueError(f"migration sets registered twice: {sorted(dupes)}")
        self.translation_folders = [str(f) for _plugin, batch in self._each("register_translations")
                                    for f in (batch or ())]

    def _each(self, hook: str):
        """(plugin name, result) of every implementation of a registration hook, each called
        on its own, so that one plugin raising leaves the others in."""
        for impl in reversed(getattr(self.pm.hook, hook).get_hookimpls()):  # pluggy's calling order
            try:
                yield impl.plugin_name, impl.function()
            except Exception as exc:
                self._load_failed(impl.plugin_name, exc)

    def _load_failed(self, plugin: str, exc: Exception) -> None:
        self.broken.append(Problem(plugin, "load", f"{type(exc).__name__}: {exc}", time.time()))
        log.error("plugin %s failed while registering and is left out: %s: %s", plugin, type(exc).__name__, exc)
        for type_name, owner in list(self.owners.items()):
            if owner == plugin:
                self.exercises.pop(type_name, None)
                del self.owners[type_name]
        if self.pm.get_plugin(plugin) is not None:
            self.pm.unregister(name=plugin)

    # running exercises, contained ---------------------------------------------

    def failed(self, exercise, where: str, exc: Exception) -> None:
        problem = Problem(self.owners.get(exercise.type, "?"), f"{exercise.type}.{where}",
                          f"{type(exc).__name__}: {exc}", time.time())
        with self._lock:
            self._runtime.append(problem)
        log.exception("exercise %s (plugin %s) failed in %s", exercise.type, problem.plugin, where)

    def apply(self, exercise, state, action, actor) -> Outcome:
        """The exercise's ``apply``; any failure other than a refusal becomes a refusal
        (``exercise_failed``) and is reported: nothing is stored."""
        try:
            outcome = exercise.apply(state, action, actor)
            if not isinstance(outcome, Outcome) or any(a not in AUDIENCES for a, _data in outcome.broadcast):
                raise TypeError(f"apply returned {outcome!r}, not an Outcome with known audiences")
            return outcome
        except ActionError:
            raise
        except Exception as exc:
            self.failed(exercise, "apply", exc)
            raise ActionError("exercise_failed", _("This exercise failed on the server; nothing was changed. "
                                                   "The facilitator has been told.")) from None

    def guard(self, exercise, method: str, default, *args):
        """``exercise.<method>(*args)``, or ``default`` (reported) when it raises."""
        try:
            return getattr(exercise, method)(*args)
        except Exception as exc:
            self.failed(exercise, method, exc)
            return default

    def team_scoped(self, exercise, config: dict) -> bool:
        """Whether an exercise's instance keeps one state per team (``Exercise.is_team_scoped``)."""
        return bool(self.guard(exercise, "is_team_scoped", exercise.team_scoped, config))

    def problems(self) -> list[dict]:
        with self._lock:
            runtime = list(self._runtime)
        return [p.public() for p in [*self.broken, *runtime]]

    # folders --------------------------------------------------------------------

    def folder(self, exercise: Exercise, name: str) -> Path:
        """A folder beside the module that defines the exercise (its package)."""
        module = sys.modules[type(exercise).__module__]
        return Path(module.__file__).resolve().parent / name

    def static_folder(self, type_name: str) -> Path | None:
        exercise = self.exercises.get(type_name)
        return self.folder(exercise, exercise.static_folder) if exercise else None

    def template_folders(self) -> list[Path]:
        found = []
        for exercise in self.exercises.values():
            folder = self.folder(exercise, exercise.template_folder)
            if folder.is_dir() and folder not in found:
                found.append(folder)
        return found

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
