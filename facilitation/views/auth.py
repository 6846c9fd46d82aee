"""Facilitator log in and log out."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..auth import check_login
from ..db import get_db
from ..throttle import LOGIN

bp = Blueprint("auth", __name__, url_prefix="/f")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        email = request.form.get("email", "")[:200]
        password = request.form.get("password", "")[:200]
        keys = (f"ip:{request.remote_addr}", f"email:{email.strip().lower()}")
        db = get_db()
        if LOGIN.blocked(db, *keys):
            flash(_("Too many failed attempts. Try again in a few minutes."), "error")
            return render_template("auth/login.html", email=email), 429
        found = check_login(db, email, password)
        if found is None:
            LOGIN.fail(db, *keys)
            flash(_("Wrong email or password."), "error")
            return render_template("auth/login.html", email=email), 401
        LOGIN.clear(db, *keys)
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
