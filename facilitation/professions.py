"""The professions a participant may give when joining (optional): a short fixed list, so the
programme's figures count professions reached without guessing from free text."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

PROFESSIONS = {
    "plan_manager": _l("Unit-of-plan manager or officer"),
    "mediator": _l("Cultural mediator"),
    "teacher": _l("Teacher"),
    "social_worker": _l("Social worker"),
    "educator": _l("Educator"),
    "project_manager": _l("Project manager"),
    "administrator": _l("Administrative officer"),
    "other": _l("Other profession"),
}


def label(key: str) -> str:
    """The profession's name in the reader's language (an unknown key as it is stored)."""
    found = PROFESSIONS.get(key or "")
    return str(found) if found is not None else (key or "")
