"""A meeting's participants for the facilitator: export one person's data, erase it."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from .. import privacy, store
from ..auth import login_required
from ..db import dumps, get_db, transaction
from . import or_404

bp = Blueprint("people", __name__, url_prefix="/f")


@bp.get("/meetings/<int:meeting_id>/participants")
@login_required
def participants(meeting_id):
    db = get_db()
    meeting = or_404(store.meeting(db, meeting_id))
    return render_template("admin/participants.html", meeting=meeting,
                           people=store.participants_with_presence(db, meeting_id))


@bp.get("/participants/<int:participant_id>/export.json")
@login_required
def export(participant_id):
    data = or_404(privacy.export_participant(get_db(), participant_id))
    return Response(dumps(data), mimetype="application/json", headers={
        "Content-Disposition": f"attachment; filename=participant-{participant_id}.json"})


@bp.post("/participants/<int:participant_id>/erase")
@login_required
def erase(participant_id):
    db = get_db()
    person = or_404(store.participant(db, participant_id))
    with transaction(db):
        privacy.erase_participant(db, participant_id)
    # Their open connections carry the old name: closed on every server process; the device link
    # no longer works, and any action still on its way is refused inside its transaction.
    current_app.extensions["facilitation.engine"].close_participant(participant_id, "erased")
    flash(_("The participant's personal data was erased; their contributions stay, anonymous."), "ok")
    return redirect(url_for("people.participants", meeting_id=person["meeting_id"]))
