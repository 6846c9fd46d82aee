"""Facilitator log in and log out."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..auth import check_login, clear_failures, record_failure, throttled
from ..db import get_db

bp = Blueprint("auth", __name__, url_prefix="/f")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        email = request.form.get("email", "")[:200]
        password = request.form.get("password", "")[:200]
        keys = (f"ip:{request.remote_addr}", f"email:{email.strip().lower()}")
        if throttled(*keys):
            flash(_("Too many failed attempts. Try again in a few minutes."), "error")
            return render_template("auth/login.html", email=email), 429
        found = check_login(get_db(), email, password)
        if found is None:
            record_failure(*keys)
            flash(_("Wrong email or password."), "error")
            return render_template("auth/login.html", email=email), 401
        clear_failures(*keys)
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        session["facilitator_id"] = found["id"]
        session["facilitator_name"] = found["name"]
        target = request.args.get("next", "")
        if not target.startswith("/") or target.startswith("//"):
            target = url_for("admin.dashboard")
        return redirect(target)
    return render_template("auth/login.html", email="")


@bp.post("/logout")
def logout():
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("participant.home"))
