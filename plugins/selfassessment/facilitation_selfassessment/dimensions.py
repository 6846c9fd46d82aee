"""The dimensions a network team rates itself on: two shipped templates and the facilitator's own.

- ``method``: the "generative potential" of the programme's method, five dimensions;
- ``wilder``: the 20 Wilder Collaboration Factors (Wilder Research, 2001), by their published
  names, grouped in their six categories; the short wording in Italian is ours;
- ``custom``: the facilitator's own list.

A dimension has a stable ``id``: a template's is fixed, a custom one's comes from its wording,
so two assessments with the same wording compare (``label_of`` gives its name in the reader's
language).
"""

from __future__ import annotations

import hashlib

from facilitation.api import lazy_gettext as _l

METHOD = [
    ("culture", _l("Team culture"), _l("How far the network works as one team, beyond each organisation.")),
    (
        "responsibility",
        _l("Shared responsibility"),
        _l("How far every partner takes part in decisions and answers for the results."),
    ),
    (
        "involvement",
        _l("Involvement of citizens and associations"),
        _l("How far citizens, families and associations take an active part, not only as users of services."),
    ),
    (
        "evaluation",
        _l("Evaluation practice"),
        _l("How far the network sets itself goals, gathers evidence of what changes and learns from it."),
    ),
    (
        "governance",
        _l("Governance"),
        _l("How clear and shared the roles, the rules and the way decisions are taken are."),
    ),
]

WILDER_GROUPS = {
    "environment": _l("Environment"),
    "membership": _l("Membership characteristics"),
    "process": _l("Process and structure"),
    "communication": _l("Communication"),
    "purpose": _l("Purpose"),
    "resources": _l("Resources"),
}
WILDER = [
    ("w01", "environment", _l("History of collaboration or cooperation in the community")),
    ("w02", "environment", _l("Collaborative group seen as a legitimate leader in the community")),
    ("w03", "environment", _l("Favorable political and social climate")),
    ("w04", "membership", _l("Mutual respect, understanding, and trust")),
    ("w05", "membership", _l("Appropriate cross section of members")),
    ("w06", "membership", _l("Members see collaboration as in their self-interest")),
    ("w07", "membership", _l("Ability to compromise")),
    ("w08", "process", _l("Members share a stake in both process and outcome")),
    ("w09", "process", _l("Multiple layers of participation")),
    ("w10", "process", _l("Flexibility")),
    ("w11", "process", _l("Development of clear roles and policy guidelines")),
    ("w12", "process", _l("Adaptability")),
    ("w13", "process", _l("Appropriate pace of development")),
    ("w14", "communication", _l("Open and frequent communication")),
    ("w15", "communication", _l("Established informal relationships and communication links")),
    ("w16", "purpose", _l("Concrete, attainable goals and objectives")),
    ("w17", "purpose", _l("Shared vision")),
    ("w18", "purpose", _l("Unique purpose")),
    ("w19", "resources", _l("Sufficient funds, staff, materials, and time")),
    ("w20", "resources", _l("Skilled leadership")),
]

TEMPLATES = (
    ("method", _l("Generative potential: the method's five dimensions")),
    ("wilder", _l("Wilder Collaboration Factors: 20 factors")),
    ("custom", _l("My own dimensions, listed below")),
)
LABELS = {**{i: label for i, label, _help in METHOD}, **{i: label for i, _group, label in WILDER}}
HELP = {i: text for i, _label, text in METHOD}
GROUPS = {i: group for i, group, _label in WILDER}
MAX_CUSTOM = 20


def custom_id(label: str) -> str:
    """The id of a dimension of the facilitator's own: the same wording (spaces and case aside), the same id."""
    key = " ".join(label.split()).casefold()
    return "c" + hashlib.sha256(key.encode()).hexdigest()[:12]


def of_template(template: str, custom: list[str] | None = None) -> dict:
    """The dimensions of a template, as kept in a self-assessment: ``{"template", "list"}``, each
    ``{"id", "label", "group"}`` (a template's label is empty: it is translated when shown)."""
    if template == "wilder":
        dims = [{"id": i, "label": "", "group": group} for i, group, _label in WILDER]
    elif template == "custom" and custom:
        seen, dims = set(), []
        for label in custom[:MAX_CUSTOM]:
            dim_id = custom_id(label)
            if dim_id not in seen:
                seen.add(dim_id)
                dims.append({"id": dim_id, "label": label, "group": ""})
    else:
        template = "method"
        dims = [{"id": i, "label": "", "group": ""} for i, _label, _help in METHOD]
    return {"template": template, "list": dims}


def label_of(dim: dict) -> str:
    """A dimension's name in the reader's language (a template's), or as the facilitator wrote it."""
    return dim.get("label") or str(LABELS.get(dim.get("id"), dim.get("id", "")))


def group_of(dim: dict) -> str:
    group = dim.get("group") or GROUPS.get(dim.get("id"), "")
    return str(WILDER_GROUPS[group]) if group in WILDER_GROUPS else ""
