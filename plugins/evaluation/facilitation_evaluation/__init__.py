"""The evaluation questionnaire: satisfaction, efficacy against each network's T0, process.

A plugin like any other: it comes in through the ``facilitation.plugins`` entry point of its
package (``plugins/evaluation/pyproject.toml``) and uses only ``facilitation.api``.
"""

from __future__ import annotations

from facilitation.api import hookimpl, translations_folder

from . import dashboard
from .exercise import Evaluation
from .render import journey_section, render_archive

__all__ = ["Evaluation", "render_archive"]


@hookimpl
def register_exercises():
    return [Evaluation]


@hookimpl
def register_translations():
    return [translations_folder(__file__)]


@hookimpl
def network_journey_sections(network_id, viewer, access):
    found = journey_section(network_id)
    return [found] if found else []


@hookimpl
def dashboard_sections(filters):
    return dashboard.sections(filters)
