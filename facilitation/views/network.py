"""A network team's access between meetings: the network link, its archive, its live workspaces.

The facilitator issues, rotates and revokes a link per network from the network's page; the
secret is looked up by its hash and kept sealed beside it (``linkseal``), so the page can show
it again. Every request with a link checks it again, and
revoking a link also disconnects the sockets opened with it.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from .. import linkseal, store
from ..access import network_link_or_404
from ..auth import login_required
from ..db import get_db, transaction
from ..plugins import registry
from ..urls import local_path
from . import or_404
from .archive import render_network_archive

bp = Blueprint("network", __name__)


def workspaces() -> list:
    return [e for e in registry().exercises.values() if e.workspace]


@bp.get("/n/<token>")
def home(token):
    link = network_link_or_404(token)
    return render_network_archive(link["network_id"], "network", workspaces=workspaces(), token=token)


@bp.get("/n/<token>/w/<type_name>")
def workspace(token, type_name):
    link = network_link_or_404(token)
    exercise = registry().exercises.get(type_name)
    if exercise is None or not exercise.workspace:
        abort(404)
    network = store.network(get_db(), link["network_id"])
    return render_template("network/workspace.html", network=network, exercise=exercise, token=token,
                           back=url_for("network.home", token=token))


@bp.get("/f/networks/<int:network_id>/w/<type_name>")
@login_required
def facilitator_workspace(network_id, type_name):
    network = store.network(get_db(), network_id)
    exercise = registry().exercises.get(type_name)
    if network is None or exercise is None or not exercise.workspace:
        abort(404)
    return render_template("network/workspace.html", network=network, exercise=exercise, token=None,
                           back=url_for("archive.network", network_id=network_id))


@bp.post("/f/networks/<int:network_id>/link")
@login_required
def issue(network_id):
    """Issue a link, or rotate it: the previous one stops working at once."""
    db = get_db()
    or_404(store.network(db, network_id))
    with transaction(db):
        old = store.active_link_ids(db, network_id)
        store.issue_network_link(db, network_id, session.get("facilitator_id"), seal=linkseal.seal)
    current_app.extensions["facilitation.engine"].close_links(old)
    # Looked up by its hash; kept sealed beside it, so the network's page shows it again (and a
    # reload of that page does not issue another one).
    flash(_("A new link is ready: give it to the network's team. The previous link no longer works.") if old
          else _("The link is ready: give it to the network's team."), "ok")
    return redirect(url_for("archive.network", network_id=network_id, _anchor="network-link"))


@bp.post("/f/networks/<int:network_id>/link/revoke")
@login_required
def revoke(network_id):
    db = get_db()
    or_404(store.network(db, network_id))
    with transaction(db):
        ids = store.revoke_network_links(db, network_id)
    current_app.extensions["facilitation.engine"].close_links(ids)
    flash(_("The network link is revoked: it no longer opens anything."), "ok")
    return redirect(local_path(request.referrer, host=request.host) or
                    url_for("archive.network", network_id=network_id))
