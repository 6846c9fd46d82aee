"""The prompt card: a prompt (the method's shared assumptions come ready) and short replies as a wall.

A plugin like any other: it comes in through the ``facilitation.plugins`` entry point of its
package (``plugins/prompt/pyproject.toml``) and uses only ``facilitation.api``. Everything it
keeps is exercise state and archived versions, which the core exports and erases: it needs no
privacy hook of its own.
"""

from __future__ import annotations

from facilitation.api import hookimpl, translations_folder

from .exercise import READY, PromptCard
from .render import render_archive

__all__ = ["PromptCard", "READY", "render_archive"]


@hookimpl
def register_exercises():
    return [PromptCard]


@hookimpl
def register_translations():
    return [translations_folder(__file__)]
