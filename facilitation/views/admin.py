"""Facilitator pages: networks, labs, meetings and their agenda."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import store
from ..auth import login_required
from ..db import get_db, transaction
from ..plugins import registry
from ..schema import ValidationError, clean_text, defaults, from_form, parse_int, validate
from . import or_404

bp = Blueprint("admin", __name__, url_prefix="/f")

NETWORK_LIMITS = {"name": 120, "lead_body": 160, "territory": 160}
LAB_LIMITS = {"title": 160, "theme": 160, "description": 4000}
MEETING_LIMITS = {"title": 160, "starts_at": 40}


def _form_text(limits: dict) -> dict:
    return {key: clean_text(request.form.get(key, ""), multiline=key == "description")[:limit]
            for key, limit in limits.items()}


def _chosen_networks(db) -> tuple[list[int], str | None]:
    """The networks ticked in a lab form, and an error when one is not a network of the list."""
    chosen = [parse_int(v, min=1) for v in request.form.getlist("networks")[:1000]]
    known = {n["id"] for n in store.networks(db)}
    if any(n not in known for n in chosen):
        return [], _("Choose the networks from the list.")
    return list(dict.fromkeys(chosen)), None


@bp.get("/")
@login_required
def dashboard():
    db = get_db()
    live = store.live_meetings(db)
    return render_template("admin/dashboard.html", labs=store.labs(db), networks=store.networks(db), live=live)


# networks ------------------------------------------------------------------

@bp.route("/networks", methods=["GET", "POST"])
@login_required
def networks():
    db = get_db()
    if request.method == "POST":
        values = _form_text(NETWORK_LIMITS)
        if not values["name"]:
            flash(_("A network needs a name."), "error")
        elif store.network_named(db, values["name"]):
            flash(_("A network with this name exists already."), "error")
        else:
            with transaction(db):
                store.save_network(db, values)
            flash(_("Network added."), "ok")
        return redirect(url_for("admin.networks"))
    return render_template("admin/networks.html", networks=store.networks(db))


@bp.post("/networks/<int:network_id>")
@login_required
def network_update(network_id):
    db = get_db()
    or_404(store.network(db, network_id))
    values = _form_text(NETWORK_LIMITS)
    if not values["name"]:
        flash(_("A network needs a name."), "error")
    else:
        with transaction(db):
            store.save_network(db, values, network_id)
        flash(_("Network saved."), "ok")
    return redirect(url_for("admin.networks"))


# labs ----------------------------------------------------------------------

@bp.route("/labs/new", methods=["GET", "POST"])
@login_required
def lab_new():
    db = get_db()
    if request.method == "POST":
        values = _form_text(LAB_LIMITS)
        chosen, wrong = _chosen_networks(db)
        if not values["title"] or wrong:
            if not values["title"]:
                flash(_("A lab needs a title."), "error")
            return render_template("admin/lab_form.html", lab=values, networks=store.networks(db),
                                   chosen=set(chosen), errors={"networks": wrong}), 400
        with transaction(db):
            lab_id = store.save_lab(db, values, chosen, created_by=_facilitator_id())
        return redirect(url_for("admin.lab", lab_id=lab_id))
    return render_template("admin/lab_form.html", lab={}, networks=store.networks(db), chosen=set(), errors={})


@bp.route("/labs/<int:lab_id>", methods=["GET", "POST"])
@login_required
def lab(lab_id):
    db = get_db()
    found = or_404(store.lab(db, lab_id))
    if request.method == "POST":
        values = _form_text(LAB_LIMITS)
        chosen, wrong = _chosen_networks(db)
        if wrong:
            flash(wrong, "error")
        elif values["title"]:
            with transaction(db):
                store.save_lab(db, values, chosen, lab_id)
            flash(_("Lab saved."), "ok")
        return redirect(url_for("admin.lab", lab_id=lab_id))
    return render_template(
        "admin/lab.html", lab=found, meetings=store.meetings_of_lab(db, lab_id),
        lab_networks=store.lab_networks(db, lab_id), networks=store.networks(db),
        chosen={n["id"] for n in store.lab_networks(db, lab_id)})


@bp.post("/labs/<int:lab_id>/meetings")
@login_required
def meeting_new(lab_id):
    db = get_db()
    or_404(store.lab(db, lab_id))
    values = _form_text(MEETING_LIMITS)
    if not values["title"]:
        flash(_("A meeting needs a title."), "error")
        return redirect(url_for("admin.lab", lab_id=lab_id))
    with transaction(db):
        meeting_id = store.create_meeting(db, lab_id, values)
    return redirect(url_for("admin.meeting", meeting_id=meeting_id))


# meetings and agenda -------------------------------------------------------

@bp.get("/meetings/<int:meeting_id>")
@login_required
def meeting(meeting_id):
    db = get_db()
    found = or_404(store.meeting(db, meeting_id))
    reg = registry()
    items = store.agenda(db, meeting_id)
    for item in items:
        exercise = reg.exercises.get(item["exercise_type"])
        item["title"] = exercise.title_for(item["config"]) if exercise else item["exercise_type"]
        item["installed"] = exercise is not None
    return render_template("admin/meeting.html", meeting=found, lab=store.lab(db, found["lab_id"]), items=items,
                           exercises=reg.exercises, join_url=join_url(found["join_code"]),
                           code=store.format_code(found["join_code"]))


@bp.post("/meetings/<int:meeting_id>/start")
@login_required
def meeting_start(meeting_id):
    db = get_db()
    found = or_404(store.meeting(db, meeting_id))
    if found["state"] == "ended":
        flash(_("This meeting has ended."), "error")
        return redirect(url_for("admin.meeting", meeting_id=meeting_id))
    current_app.extensions["facilitation.engine"].start_meeting(db, _facilitator_id(), meeting_id)
    return redirect(url_for("console.console", meeting_id=meeting_id))


@bp.post("/meetings/<int:meeting_id>/items")
@login_required
def item_add(meeting_id):
    db = get_db()
    found = or_404(store.meeting(db, meeting_id))
    exercise = registry().exercises.get(request.form.get("type", ""))
    if exercise is None:
        abort(400)
    if found["state"] == "ended":
        flash(_("This meeting has ended."), "error")
        return redirect(url_for("admin.meeting", meeting_id=meeting_id))
    with transaction(db):
        item_id = store.add_item(db, meeting_id, exercise.type, defaults(exercise.config_fields))
    return redirect(url_for("admin.item_edit", item_id=item_id))


@bp.route("/items/<int:item_id>", methods=["GET", "POST"])
@login_required
def item_edit(item_id):
    db = get_db()
    item = or_404(store.item(db, item_id))
    exercise = or_404(registry().exercises.get(item["exercise_type"]))
    errors: dict = {}
    values = item["config"]
    if request.method == "POST":
        values = from_form(exercise.config_fields, request.form)
        try:
            config = exercise.validate_config(validate(exercise.config_fields, values))
        except ValidationError as exc:
            errors = exc.errors
        else:
            with transaction(db):
                store.update_item_config(db, item_id, config)
            flash(_("Exercise saved."), "ok")
            return redirect(url_for("admin.meeting", meeting_id=item["meeting_id"]))
    return render_template("admin/item_form.html", item=item, exercise=exercise, values=values, errors=errors,
                           meeting=store.meeting(db, item["meeting_id"])), (400 if errors else 200)


@bp.post("/items/<int:item_id>/move")
@login_required
def item_move(item_id):
    db = get_db()
    item = or_404(store.item(db, item_id))
    with transaction(db):
        store.move_item(db, item["meeting_id"], item_id, -1 if request.form.get("dir") == "up" else 1)
    return redirect(url_for("admin.meeting", meeting_id=item["meeting_id"]))


@bp.post("/items/<int:item_id>/delete")
@login_required
def item_delete(item_id):
    db = get_db()
    item = or_404(store.item(db, item_id))
    if item["status"] != "pending":
        flash(_("An exercise that has been used stays in the meeting's record."), "error")
    else:
        with transaction(db):
            store.delete_item(db, item["meeting_id"], item_id)
    return redirect(url_for("admin.meeting", meeting_id=item["meeting_id"]))


def _facilitator_id():
    from flask import session

    return session["facilitator_id"]


def join_url(code: str) -> str:
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for("participant.join", code=code)
    return url_for("participant.join", code=code, _external=True)
