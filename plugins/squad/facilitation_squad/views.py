"""Pages of a network's squad versions: one version, a comparison, exports and import.

Every page exists twice with the same code: for facilitators (``/f/networks/<id>/squad/...``)
and for the network's team through its link (``/n/<token>/squad/...``), which only ever
reaches its own network.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request
from markupsafe import Markup

from facilitation import api
from facilitation.api import Access
from facilitation.api import gettext as _

from . import exports, svgmap
from .canvas import SCHEMA, compare
from .versions import add_version, since_last_meeting, version, versions

bp = Blueprint("squad", __name__)

MAX_UPLOAD = 512 * 1024


def both(rule: str, methods=("GET",)):
    """A page for facilitators (``/f/networks/<id>/squad...``) and for the network's link
    (``/n/<secret>/squad...``)."""
    return api.network_route(bp, "/squad" + rule, methods)


def _network(access: Access) -> dict:
    found = api.network(access.network_id)
    if found is None:
        abort(404)
    return found


def _version(access: Access, number: int) -> dict:
    found = version(access.network_id, number)
    if found is None:
        abort(404)
    return found


@bp.app_template_global()
def squad_map(canvas: dict, title: str = "") -> Markup:
    """The server-rendered interaction map (every text in it is escaped by svgmap)."""
    return Markup(svgmap.render(canvas, title))


@bp.app_template_global()
def squad_names(canvas: dict) -> tuple[dict, dict]:
    """Titles of the roles and of the strategies of a canvas, by id."""
    return ({r["id"]: r["title"] for r in canvas.get("roles", [])},
            {s["id"]: s["title"] for s in canvas.get("strategies", [])})


@both("/<int:number>")
def show(access: Access, number):
    v = _version(access, number)
    return render_template("squad/version.html", access=access, network=_network(access), v=v,
                           total=len(versions(access.network_id)))


@both("/<int:number>/print")
def printable(access: Access, number):
    return render_template("squad/print.html", access=access, network=_network(access), v=_version(access, number))


@both("/<int:number>/map.svg")
def map_svg(access: Access, number):
    v = _version(access, number)
    return Response(svgmap.render(v["data"]["canvas"], _network(access)["name"]), mimetype="image/svg+xml")


@both("/<int:number>.json")
def export_json(access: Access, number):
    v = _version(access, number)
    return Response(exports.to_json(v, _network(access)), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="squad-v{number}.json"'})


@both("/<int:number>.md")
def export_markdown(access: Access, number):
    v = _version(access, number)
    return Response(exports.to_markdown(v, _network(access)), mimetype="text/markdown",
                    headers={"Content-Disposition": f'attachment; filename="squad-v{number}.md"'})


@both("/compare")
def compare_view(access: Access):
    found = versions(access.network_id)
    if not found:
        abort(404)
    numbers = {v["number"] for v in found}
    a = request.args.get("a", type=int)
    b = request.args.get("b", type=int)
    if request.args.get("since") == "t0" or (a is None and b is None and not request.args.get("since")):
        a, b = 1, len(found)  # where the team started against where it is: the default
    elif request.args.get("since") == "meeting":
        base = since_last_meeting(found)
        a, b = (base["number"] if base else 1), len(found)
    if a not in numbers or b not in numbers:
        abort(404)
    old, new = found[a - 1], found[b - 1]
    changes = compare(old["data"]["canvas"], new["data"]["canvas"])
    return render_template("squad/compare.html", access=access, network=_network(access), old=old, new=new,
                           changes=changes, versions=found, count=sum(len(c) for c in changes.values()))


@both("/import", methods=("POST",))
def import_json(access: Access):
    upload = request.files.get("file")
    raw = upload.read(MAX_UPLOAD + 1) if upload else b""
    try:
        if not raw or len(raw) > MAX_UPLOAD:
            raise exports.ImportError_(_("Choose a JSON export of a squad canvas (at most 512 KB)."))
        canvas = exports.read_import(raw)
    except exports.ImportError_ as exc:
        flash(_("Not imported: %(why)s", why=str(exc)), "error")
        return redirect(access.archive_url())
    facilitator = api.current_facilitator()
    by = facilitator["name"] if facilitator else _("Network team")
    with api.transaction():
        add_version(access.network_id, {"schema": SCHEMA, "canvas": canvas, "reason": "imported",
                                        "authors": [by], "saved_by": by}, _("Territorial squad canvas"))
    flash(_("Imported as a new version."), "ok")
    return redirect(access.url("show", number=len(versions(access.network_id))))


def archive_section(access: Access) -> tuple[str, Markup]:
    found = versions(access.network_id)
    access = Access(access.network_id, access.token, bp.name)
    html = render_template("squad/section.html", access=access, versions=found,
                           last_meeting=since_last_meeting(found))
    return (_("Territorial squad: versions"), Markup(html))
