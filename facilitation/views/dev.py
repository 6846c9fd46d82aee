"""Development only: a page that shows every component of the design system.

Registered when the app is not in production (``PRODUCTION`` false), so a
designer or a developer sees tokens and components change in one place."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("dev", __name__, url_prefix="/dev")


@bp.get("/components")
def components():
    return render_template("dev/components.html")
