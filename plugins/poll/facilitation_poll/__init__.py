"""Live polls: single choice, multiple choice, a 1-5 scale, short open answers (word cloud).

A plugin like any other: it comes in through the ``facilitation.plugins`` entry point of
its package (``plugins/poll/pyproject.toml``) and uses only ``facilitation.api``.
"""

from __future__ import annotations

from facilitation.api import hookimpl, translations_folder

from .exercise import Poll
from .render import render_archive

__all__ = ["Poll", "render_archive"]


@hookimpl
def register_exercises():
    return [Poll]


@hookimpl
def register_translations():
    return [translations_folder(__file__)]
