"""The facilitator's live console and the projector view for the shared screen."""

from __future__ import annotations

import io

import segno
from flask import Blueprint, Response, render_template

from .. import store
from ..auth import login_required
from ..db import get_db
from . import or_404
from .admin import join_url

bp = Blueprint("console", __name__, url_prefix="/f/meetings")


def _page(meeting_id, template):
    db = get_db()
    meeting = or_404(store.meeting(db, meeting_id))
    networks = store.lab_networks(db, meeting["lab_id"])
    return render_template(template, meeting=meeting, lab=store.lab(db, meeting["lab_id"]), networks=networks,
                           networks_map={n["id"]: n["name"] for n in networks},
                           join_url=join_url(meeting["join_code"]), code=store.format_code(meeting["join_code"]))



@bp.get("/<int:meeting_id>/console")
@login_required
def console(meeting_id):
    return _page(meeting_id, "console/console.html")


@bp.get("/<int:meeting_id>/projector")
@login_required
def projector(meeting_id):
    return _page(meeting_id, "console/projector.html")


@bp.get("/<int:meeting_id>/qr.svg")
@login_required
def qr(meeting_id):
    meeting = or_404(store.meeting(get_db(), meeting_id))
    buffer = io.BytesIO()
    segno.make(join_url(meeting["join_code"]), error="m").save(buffer, kind="svg", scale=8, border=2, dark="#111")
    return Response(buffer.getvalue(), mimetype="image/svg+xml")
