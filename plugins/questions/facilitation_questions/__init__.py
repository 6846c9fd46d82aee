"""Questions with upvotes for conferences and large meetings.

A plugin like any other: it comes in through the ``facilitation.plugins`` entry point of its
package (``plugins/questions/pyproject.toml``) and uses only ``facilitation.api``. Everything it
keeps is exercise state and archived versions, which the core exports and erases: it needs no
privacy hook of its own.
"""

from __future__ import annotations

from facilitation.api import hookimpl, translations_folder

from .exercise import Questions
from .render import render_archive

__all__ = ["Questions", "render_archive"]


@hookimpl
def register_exercises():
    return [Questions]


@hookimpl
def register_translations():
    return [translations_folder(__file__)]
