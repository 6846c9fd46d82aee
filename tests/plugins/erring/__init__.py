"""A test plugin whose pages fail on purpose: one route per HTTP error code, and one that raises."""

from flask import Blueprint, abort

from facilitation.hookspecs import hookimpl

bp = Blueprint("erring", __name__)


@bp.get("/abort/<int:code>")
def aborting(code):
    abort(code)


@bp.get("/boom")
def boom():
    raise RuntimeError("a bug, on purpose")


@hookimpl
def register_blueprints():
    return [bp]
