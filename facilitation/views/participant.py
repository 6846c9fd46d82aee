"""The participant side: home page with the code field, join form, the live page."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import store
from ..db import get_db, transaction
from ..live.rooms import network_of_team
from ..live.sockets import participant_cookie
from ..pagecache import shared_page
from ..professions import PROFESSIONS
from ..schema import clean_text, parse_int
from ..throttle import CODE
from . import or_404

bp = Blueprint("participant", __name__)

COOKIE_DAYS = 30


@bp.get("/")
def home():
    return render_template("participant/home.html")


def _too_many_codes(typed: str = ""):
    flash(_("Too many wrong codes. Try again in a few minutes."), "error")
    return render_template("participant/home.html", code=typed), 429


@bp.post("/join")
def join_by_code():
    address = request.remote_addr or ""
    db = get_db()
    typed = clean_text(request.form.get("code", ""))[:20]
    if CODE.blocked(db, address):
        return _too_many_codes(typed)
    meeting = store.meeting_by_code(db, typed)
    if meeting is None or meeting["state"] == "ended":
        CODE.fail(db, address)
        # What was typed stays in the field, to be corrected rather than typed again.
        return render_template("participant/home.html", code=typed,
                               code_error=_("No running meeting has this code. Check it and try again.")), 404
    return redirect(url_for("participant.join", code=meeting["join_code"]))


def team_names(db, meeting) -> dict[int, str]:
    """Names of the networks whose teams a participant of this meeting can be moved to (a team
    is named after its network), so the live page can say which team the person is in now."""
    names = {n["id"]: n["name"] for n in store.lab_networks(db, meeting["lab_id"])}
    for network_id in store.networks_present(db, meeting["id"]):
        if network_id not in names:
            names[network_id] = store.network(db, network_id)["name"]
    return names




@bp.route("/j/<code>", methods=["GET", "POST"])
def join(code):
    """A code in a link counts like a typed one: a wrong code, or the code of an ended meeting to
    someone who had not joined it, uses the address's budget of wrong codes (``throttle.CODE``); past
    it, only people who already joined the meeting (their cookie) get through."""
    db = get_db()
    address = request.remote_addr or ""
    meeting = store.meeting_by_code(db, code)
    person = store.participant_by_token(db, request.cookies.get(participant_cookie(meeting["id"]))) if meeting else None
    if person and person["meeting_id"] != meeting["id"]:
        person = None
    if not person and CODE.blocked(db, address):
        return _too_many_codes()
    if meeting is None or (meeting["state"] == "ended" and not person):
        CODE.fail(db, address)
    or_404(meeting)
    if meeting["join_code"] != code:
        return redirect(url_for("participant.join", code=meeting["join_code"]))
    if person and person["admitted"] == store.WAITING:
        return render_template("participant/waiting.html", meeting=meeting, me=person)
    if person and person["admitted"] == store.REFUSED:
        return render_template("participant/refused.html", meeting=meeting), 403
    if person:
        names = team_names(db, meeting)
        return render_template("participant/live.html", meeting=meeting, me=person, networks_map=names,
                               team_name=names.get(network_of_team(person["team"]) or person["network_id"]))
    if meeting["state"] == "ended":
        return render_template("participant/ended.html", meeting=meeting), 410
    values = {"name": "", "organisation": "", "profession": "", "network": ""}
    if request.method == "POST":
        values = {k: clean_text(request.form.get(k, ""))[:120] for k in values}
        if values["profession"] not in PROFESSIONS:
            values["profession"] = ""
        errors = {}
        if meeting["admission"] == "locked":
            errors["_"] = _("The facilitator has closed admissions to this meeting.")
        if not values["name"]:
            errors["name"] = _("Tell us your name.")
        network_id = parse_int(values["network"])
        if network_id is None or not store.in_lab(db, meeting["lab_id"], network_id):
            errors["network"] = _("Choose your network.")
        if not errors:
            by_hand = bool(meeting["admit_by_hand"])
            with transaction(db):
                token = store.add_participant(db, meeting["id"], values["name"], values["organisation"],
                                              network_id, admitted=not by_hand, profession=values["profession"])[1]
            if by_hand:
                current_app.extensions["facilitation.engine"].tell_waiting(db, meeting["id"])
            response = make_response(redirect(url_for("participant.join", code=meeting["join_code"])))
            response.set_cookie(participant_cookie(meeting["id"]), token, max_age=COOKIE_DAYS * 86400,
                                httponly=True, samesite="Lax",
                                secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
            return response
        return render_template("participant/join.html", meeting=meeting, values=values, errors=errors,
                               networks=store.lab_network_names(db, meeting["lab_id"]), professions=PROFESSIONS), 400
    networks = store.lab_network_names(db, meeting["lab_id"])
    # The same form for everyone arriving with the link: rendered once, not once per person joining.
    shown = (meeting["id"], meeting["title"], meeting["state"], tuple((n["id"], n["name"]) for n in networks))
    return shared_page(shown, "participant/join.html", meeting=meeting, networks=networks, values=values,
                       errors={}, professions=PROFESSIONS)
