"""The obstacle board: sticky notes in columns the facilitator sets, grouped into named
clusters, then dot-voted; per network team or for the whole room. A plugin like any other:
it comes in through the ``facilitation.plugins`` entry point of its package
(``plugins/board/pyproject.toml``) and uses only ``facilitation.api``.
"""

from __future__ import annotations

from facilitation.api import hookimpl, translations_folder

from .exercise import Board
from .render import render_archive

__all__ = ["Board", "render_archive"]


@hookimpl
def register_exercises():
    return [Board]


@hookimpl
def register_translations():
    return [translations_folder(__file__)]
