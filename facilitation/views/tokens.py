"""A facilitator's API tokens (the read API, ``/api/v1``): created with a name, shown once with a
copy button, stored as a SHA-256 hash, revoked at once (after a confirmation)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from .. import store
from ..auth import login_required
from ..db import get_db, transaction
from ..schema import clean_text

bp = Blueprint("tokens", __name__, url_prefix="/f/account/tokens")
MAX_NAME = 80
MAX_TOKENS = 50


def _page(created=None, errors=None, status=200, name=""):
    db = get_db()
    return render_template("auth/tokens.html", tokens=store.api_tokens_of(db, session["facilitator_id"]),
                           created=created, errors=errors or {}, name=name), status


@bp.route("", methods=["GET", "POST"])
@login_required
def tokens():
    if request.method == "GET":
        return _page()
    db = get_db()
    name = clean_text(request.form.get("name", ""))[:MAX_NAME]
    if not name:
        return _page(errors={"name": _("Give the token a name: what will use it?")}, status=400)
    active = [t for t in store.api_tokens_of(db, session["facilitator_id"]) if not t["revoked_at"]]
    if len(active) >= MAX_TOKENS:
        return _page(errors={"name": _("You have %(n)d tokens: revoke one first.", n=MAX_TOKENS)}, status=400,
                     name=name)
    with transaction(db):
        _token_id, secret = store.add_api_token(db, session["facilitator_id"], name)
    # Shown in this answer only (never stored in the session cookie, which is only signed).
    return _page(created={"name": name, "secret": secret})


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id):
    db = get_db()
    with transaction(db):
        done = store.revoke_api_token(db, session["facilitator_id"], token_id)
    flash(_("The token is revoked: it no longer opens the API.") if done else _("No such token."),
          "ok" if done else "error")
    return redirect(url_for("tokens.tokens"))
