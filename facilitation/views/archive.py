"""A network's archive: what it produced, by lab and meeting, every version kept.

Each archived result is rendered by its exercise through the ``render_archive`` hook
(see ``facilitation/rendering.py``), so a third party's exercise shows here as the
built-in ones do.
"""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, current_app, render_template, url_for

from .. import artifacts, linkseal, rendering, store
from ..access import Access, link_token
from ..auth import login_required
from ..db import get_db
from ..plugins import registry
from . import or_404

bp = Blueprint("archive", __name__, url_prefix="/f/networks")


def render_network_archive(network_id, viewer: str, **extra):
    db = get_db()
    network = or_404(store.network(db, network_id))
    reg = registry()
    found = artifacts.artifacts_of_network(db, network_id)
    for artifact in found:
        artifact["html"] = rendering.render(artifact, "html")
    labs = [(lab_title, [(meeting, list(items)) for meeting, items in
                         groupby(list(group), key=lambda a: (a["meeting_title"], a["meeting_date"]))])
            for lab_title, group in groupby(found, key=lambda a: a["lab_title"])]
    access = Access(network_id, link_token() if viewer == "network" else None)
    sections = [s for batch in reg.pm.hook.network_archive_sections(network_id=network_id, viewer=viewer,
                                                                     access=access)
                for s in (batch or ())]
    if viewer == "facilitator":
        link = extra.setdefault("link", store.active_network_link(db, network_id))
        if link and "link_url" not in extra:
            secret = linkseal.unseal(link["secret_sealed"])
            extra["link_url"] = network_link_url(secret) if secret else None
        extra.setdefault("workspaces", [e for e in reg.exercises.values() if e.workspace])
    return render_template("archive/network.html", network=network, labs=labs, sections=sections, viewer=viewer,
                           **extra)


def network_link_url(token: str) -> str:
    """The full address of a network link, on the public URL when one is configured."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for("network.home", token=token)
    return url_for("network.home", token=token, _external=True)


@bp.get("/<int:network_id>/archive")
@login_required
def network(network_id):
    return render_network_archive(network_id, "facilitator")
