"""Ranking: participants put a list of options in order; results are the average rank of each
option with the distribution of its ranks, overall and per network. A plugin like any other:
it comes in through the ``facilitation.plugins`` entry point of its package
(``plugins/ranking/pyproject.toml``) and uses only ``facilitation.api``.
"""

from __future__ import annotations

from facilitation.api import hookimpl, translations_folder

from .exercise import Ranking
from .render import render_archive

__all__ = ["Ranking", "render_archive"]


@hookimpl
def register_exercises():
    return [Ranking]


@hookimpl
def register_translations():
    return [translations_folder(__file__)]
