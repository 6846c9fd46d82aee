"""A network team's access between meetings: the network link, its archive, its live workspaces.

The facilitator issues, rotates and revokes a link per network from the network's page;
only the hash of the secret is stored. Every request with a link checks it again, and
revoking a link also disconnects the sockets opened with it.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from .. import store
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


def _link_url(token: str) -> str:
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for("network.home", token=token)
    return url_for("network.home", token=token, _external=True)


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
        token = store.issue_network_link(db, network_id, session.get("facilitator_id"))
    current_app.extensions["facilitation.engine"].close_links(old)
    # Shown once, in this response only: the server keeps just its hash.
    return render_network_archive(network_id, "facilitator", new_link=_link_url(token))


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
