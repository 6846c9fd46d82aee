"""Facilitator pages: networks, labs, meetings and their agenda."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import store
from ..auth import login_required
from ..db import get_db, transaction
from ..exercise import config_errors
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
        # Items made before an exercise had to be configured first may still be blank.
        item["configured"] = exercise is None or not config_errors(exercise, item["config"])
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


def _config_form(exercise, values: dict, errors: dict, **context):
    status = 400 if errors and request.method == "POST" else 200
    return render_template("admin/item_form.html", exercise=exercise, values=values, errors=errors, **context), status


def _submitted_config(exercise) -> tuple[dict, dict, dict]:
    """(config, form values, errors) of a submitted config form."""
    values = from_form(exercise.config_fields, request.form)
    try:
        return exercise.validate_config(validate(exercise.config_fields, values)), values, {}
    except ValidationError as exc:
        return {}, values, exc.errors


@bp.route("/meetings/<int:meeting_id>/items", methods=["GET", "POST"])
@login_required
def item_new(meeting_id):
    """The config form of a new exercise: the agenda gets it only when a valid form is sent, so
    leaving the form adds nothing."""
    db = get_db()
    found = or_404(store.meeting(db, meeting_id))
    exercise = or_404(registry().exercises.get(request.values.get("type", "")))
    if found["state"] == "ended":
        flash(_("This meeting has ended."), "error")
        return redirect(url_for("admin.meeting", meeting_id=meeting_id))
    errors: dict = {}
    values = defaults(exercise.config_fields)
    if request.method == "POST":
        config, values, errors = _submitted_config(exercise)
        if not errors:
            with transaction(db):
                store.add_item(db, meeting_id, exercise.type, config)
            flash(_("Exercise added to the agenda."), "ok")
            return redirect(url_for("admin.meeting", meeting_id=meeting_id))
    return _config_form(exercise, values, errors, item=None, meeting=found)


@bp.route("/items/<int:item_id>", methods=["GET", "POST"])
@login_required
def item_edit(item_id):
    db = get_db()
    item = or_404(store.item(db, item_id))
    exercise = or_404(registry().exercises.get(item["exercise_type"]))
    errors: dict = {}
    values = item["config"]
    if request.method == "POST":
        config, values, errors = _submitted_config(exercise)
        if not errors:
            with transaction(db):
                store.update_item_config(db, item_id, config)
            flash(_("Exercise saved."), "ok")
            return redirect(url_for("admin.meeting", meeting_id=item["meeting_id"]))
    elif item["status"] == "pending":
        errors = config_errors(exercise, values)  # a blank item of before: say what it lacks
    return _config_form(exercise, values, errors, item=item, meeting=store.meeting(db, item["meeting_id"]))


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
    """Removes an exercise not used yet, once confirmed: the agenda's dialog sends ``confirmed``;
    without JavaScript this answers the confirmation page first (GOV.UK's pattern)."""
    db = get_db()
    item = or_404(store.item(db, item_id))
    exercise = registry().exercises.get(item["exercise_type"])
    title = exercise.title_for(item["config"]) if exercise else item["exercise_type"]
    if item["status"] != "pending":
        flash(_("An exercise that has been used stays in the meeting's record."), "error")
    elif request.form.get("confirmed") != "yes":
        return render_template("admin/item_remove.html", item=item, title=title,
                               meeting=store.meeting(db, item["meeting_id"]))
    else:
        with transaction(db):
            store.delete_item(db, item["meeting_id"], item_id)
        flash(_("Exercise removed from the agenda."), "ok")
    return redirect(url_for("admin.meeting", meeting_id=item["meeting_id"]))


def _facilitator_id():
    from flask import session

    return session["facilitator_id"]


def join_url(code: str) -> str:
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for("participant.join", code=code)
    return url_for("participant.join", code=code, _external=True)
