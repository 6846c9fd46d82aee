"""A network's self-assessment ("generative potential"): the team rates itself together, in a
meeting or between meetings through its link; each saved version is a radar against the
network's T0 and its previous one. A plugin like any other: it comes in through the
``facilitation.plugins`` entry point of its package and uses only ``facilitation.api``.
"""

from __future__ import annotations

from facilitation.api import hookimpl, translations_folder

from .exercise import SelfAssessment
from .render import journey_section, render_archive

__all__ = ["SelfAssessment", "render_archive"]


@hookimpl
def register_exercises():
    return [SelfAssessment]


@hookimpl
def register_translations():
    return [translations_folder(__file__)]


@hookimpl
def network_journey_sections(network_id, viewer, access):
    found = journey_section(network_id, viewer, access)
    return [found] if found else []
