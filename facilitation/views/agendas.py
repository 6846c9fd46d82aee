"""Facilitator pages of agenda templates: the list of templates, saving a meeting's agenda as
one, a new meeting of a lab from one, a meeting duplicated for the lab's next session.

The lab and meeting pages show this module's forms through two partials
(``agendas/_lab.html``, ``agendas/_meeting.html``), which get their data from the template
globals registered here: the pages' own views know nothing of templates.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from .. import agendas, store
from ..auth import login_required
from ..db import get_db, transaction
from ..plugins import registry
from ..schema import clean_text
from . import or_404

bp = Blueprint("agendas", __name__, url_prefix="/f")

LIMITS = {"name": 160, "description": 1000, "title": 160, "starts_at": 40}


def _form(*keys) -> dict:
    return {key: clean_text(request.form.get(key, ""), multiline=key == "description")[: LIMITS[key]] for key in keys}


@bp.app_context_processor
def template_helpers():
    def agenda_templates():
        """Every template with its items said available or not (for the lab page's form)."""
        return agendas.templates(get_db(), registry())

    return {"agenda_templates": agenda_templates}


@bp.get("/templates")
@login_required
def templates():
    return render_template("agendas/templates.html", templates=agendas.templates(get_db(), registry()))


@bp.post("/templates/<int:template_id>/delete")
@login_required
def delete(template_id):
    db = get_db()
    found = or_404(store.agenda_template(db, template_id))
    with transaction(db):
        store.delete_agenda_template(db, template_id)
    flash(_("Template “%(name)s” deleted.", name=found["name"]), "ok")
    return redirect(url_for("agendas.templates"))


@bp.post("/meetings/<int:meeting_id>/template")
@login_required
def save(meeting_id):
    db = get_db()
    meeting = or_404(store.meeting(db, meeting_id))
    values = _form("name", "description")
    if not values["name"]:
        flash(_("A template needs a name."), "error")
        return redirect(url_for("admin.meeting", meeting_id=meeting_id) + "#reuse")
    if not store.agenda(db, meeting_id):
        flash(_("The agenda is empty: add an exercise first."), "error")
        return redirect(url_for("admin.meeting", meeting_id=meeting_id) + "#reuse")
    with transaction(db):
        agendas.save_from_meeting(
            db, registry(), meeting["id"], values["name"], values["description"], session.get("facilitator_id")
        )
    flash(_("The agenda is saved as the template “%(name)s”.", name=values["name"]), "ok")
    return redirect(url_for("agendas.templates"))


@bp.post("/labs/<int:lab_id>/meetings/from-template")
@login_required
def from_template(lab_id):
    db = get_db()
    or_404(store.lab(db, lab_id))
    values = _form("title", "starts_at")
    template = agendas.find(db, registry(), request.form.get("template", "")[:40])
    if template is None or not values["title"]:
        flash(
            _("Choose a template and give the meeting a title.") if values["title"] else _("A meeting needs a title."),
            "error",
        )
        return redirect(url_for("admin.lab", lab_id=lab_id) + "#from-template")
    with transaction(db):
        meeting_id, skipped = agendas.create_meeting(db, lab_id, values, template)
    flash(_("Meeting created from the template “%(name)s”.", name=template["name"]), "ok")
    if skipped:
        flash(agendas.skipped_message(skipped), "error")
    return redirect(url_for("admin.meeting", meeting_id=meeting_id))


@bp.post("/meetings/<int:meeting_id>/duplicate")
@login_required
def duplicate(meeting_id):
    db = get_db()
    meeting = or_404(store.meeting(db, meeting_id))
    values = _form("title", "starts_at")
    if not values["title"]:
        flash(_("A meeting needs a title."), "error")
        return redirect(url_for("admin.meeting", meeting_id=meeting_id) + "#reuse")
    with transaction(db):
        new_id = agendas.duplicate_meeting(db, meeting, values)
    flash(_("A new meeting with the same agenda: check its date and start it when the time comes."), "ok")
    return redirect(url_for("admin.meeting", meeting_id=new_id))
