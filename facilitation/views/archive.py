"""A network's archive: what it produced, by lab and meeting, every version kept."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, render_template

from .. import store
from ..auth import login_required
from ..db import get_db
from ..plugins import registry
from . import or_404

bp = Blueprint("archive", __name__, url_prefix="/f/networks")


def render_network_archive(network_id, viewer: str, **extra):
    db = get_db()
    network = or_404(store.network(db, network_id))
    reg = registry()
    artifacts = store.artifacts_of_network(db, network_id)
    for artifact in artifacts:
        exercise = reg.exercises.get(artifact["exercise_type"])
        artifact["template"] = exercise.archive_template if exercise else None
    labs = [(lab_title, [(meeting, list(items)) for meeting, items in
                         groupby(list(group), key=lambda a: (a["meeting_title"], a["meeting_date"]))])
            for lab_title, group in groupby(artifacts, key=lambda a: a["lab_title"])]
    sections = [s for batch in reg.pm.hook.network_archive_sections(network_id=network_id, db=db, viewer=viewer)
                for s in (batch or ())]
    if viewer == "facilitator":
        extra.setdefault("link", store.active_network_link(db, network_id))
        extra.setdefault("workspaces", [e for e in reg.exercises.values() if e.workspace])
    return render_template("archive/network.html", network=network, labs=labs, sections=sections, viewer=viewer,
                           **extra)


@bp.get("/<int:network_id>/archive")
@login_required
def network(network_id):
    return render_network_archive(network_id, "facilitator")
