"""Facilitator log in and log out, the account page (a new password, log out everywhere)."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from .. import store
from ..auth import (
    MIN_PASSWORD,
    check_login,
    current_facilitator,
    end_every_session,
    end_session,
    hash_password,
    login_required,
    set_password,
    start_session,
)
from ..db import get_db, transaction
from ..throttle import LOGIN
from ..urls import local_path

bp = Blueprint("auth", __name__, url_prefix="/f")

MAX_PASSWORD = 200


@bp.before_app_request
def check_facilitator_session():
    """Every request of a facilitator's browser checks its session on the server (ended, idle,
    too old: logged out). Participants carry no facilitator keys and static files need no check."""
    if "facilitator_id" in session and not (request.endpoint or "").endswith("static"):
        current_facilitator()


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        email = request.form.get("email", "")[:200]
        password = request.form.get("password", "")[:MAX_PASSWORD]
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
        start_session(db, found)
        return redirect(local_path(request.args.get("next")) or url_for("admin.dashboard"))
    return render_template("auth/login.html", email="")


@bp.post("/logout")
def logout():
    end_session(get_db())
    return redirect(url_for("participant.home"))


def _close_live_connections(facilitator_id) -> None:
    """The account's open consoles, projectors and workspaces close; they reconnect only with a
    session that is still open (the connect handler checks it)."""
    current_app.extensions["facilitation.engine"].close_facilitator(facilitator_id)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """A new password (the current one asked first). Every session of the account ends, on every
    device, and this browser gets a new one."""
    db = get_db()
    me = store.facilitator(db, session["facilitator_id"])
    errors: dict = {}
    status = 200
    if request.method == "POST":
        current = request.form.get("current_password", "")
        new = request.form.get("new_password", "")
        keys = (f"ip:{request.remote_addr}", f"email:{me['email'].lower()}")
        if LOGIN.blocked(db, *keys):
            errors["current_password"] = _("Too many failed attempts. Try again in a few minutes.")
            status = 429
        elif not current:
            errors["current_password"] = _("Enter your current password.")
        elif check_login(db, me["email"], current[:MAX_PASSWORD]) is None:
            LOGIN.fail(db, *keys)
            errors["current_password"] = _("Your current password is not right.")
        if len(new) < MIN_PASSWORD:
            errors["new_password"] = _("Your new password needs at least %(n)d characters.", n=MIN_PASSWORD)
        elif len(new) > MAX_PASSWORD:
            errors["new_password"] = _("Your new password can have at most %(n)d characters.", n=MAX_PASSWORD)
        elif request.form.get("confirm_password", "") != new:
            errors["confirm_password"] = _("The two new passwords are not the same.")
        if not errors:
            LOGIN.clear(db, *keys)
            hashed = hash_password(new)  # outside the write lock, which live actions wait for
            with transaction(db):
                set_password(db, me["id"], hashed)
                end_every_session(db, me["id"])
            _close_live_connections(me["id"])
            start_session(db, me)
            flash(_("Password changed. Every other session of your account has ended."), "ok")
            return redirect(url_for("auth.account"))
        status = status if status != 200 else 400
    return render_template("auth/account.html", me=me, errors=errors,
                           sessions=store.facilitator_session_count(db, me["id"])), status


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere():
    db = get_db()
    fid = session["facilitator_id"]
    with transaction(db):
        end_every_session(db, fid)
    _close_live_connections(fid)
    end_session(db)
    flash(_("You are logged out on every device."), "ok")
    return redirect(url_for("participant.home"))
