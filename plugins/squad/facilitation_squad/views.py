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

from . import analysis, exports, svgmap
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
def squad_map(canvas: dict, title: str = "", layout_of: dict | None = None, marks: dict | None = None,
              frame: tuple | None = None) -> Markup:
    """The server-rendered interaction map (every text in it is escaped by svgmap), at its own size in a
    box that scrolls when the page is narrower; a short note instead when the canvas has no roles."""
    if not canvas.get("roles"):
        return Markup('<p class="muted squad-map-empty">%s</p>') % _("No roles on the map yet.")
    return _map_box(svgmap.render(canvas, title or _("Interaction map"), layout_of=layout_of, marks=marks, frame=frame))


def _map_box(drawing: str) -> Markup:
    return Markup('<div class="squad-map-box" tabindex="0" role="region" aria-label="%s">%s</div>') % (
        _("Interaction map (scroll to see all of it)"), Markup(drawing))


@bp.app_template_global()
def squad_figures(canvas: dict, t0: dict | None = None) -> dict:
    """A canvas's network figures for a page: ``figures``, ``sentences`` (HTML), the roles by
    betweenness, and with ``t0`` (T0's figures) ``since`` and the labels of the compared figures."""
    found = analysis.figures(canvas)
    roles, strategies = squad_names(canvas)
    return {"figures": found, "sentences": analysis.sentences(found, roles, strategies),
            "roles": sorted(found["roles"], key=lambda r: (-r["betweenness"], -r["partners"])),
            "since": analysis.since(t0, found), "labels": analysis.figure_labels(), "number": analysis.number,
            "contacts_of": lambda title: Markup(_("Connections of %(role)s", role=Markup("<bdi>%s</bdi>") % title))}


def t0_figures(network_id, version_id=None) -> dict | None:
    """The figures of a network's T0 (its first version), unless ``version_id`` is T0 itself."""
    found = versions(network_id)
    if not found or found[0]["id"] == version_id:
        return None
    return analysis.figures(found[0]["data"]["canvas"])


@bp.app_template_global()
def squad_names(canvas: dict) -> tuple[dict, dict]:
    """Titles of the roles and of the strategies of a canvas, by id."""
    return ({r["id"]: r["title"] for r in canvas.get("roles", [])},
            {s["id"]: s["title"] for s in canvas.get("strategies", [])})


@both("/<int:number>")
def show(access: Access, number):
    v = _version(access, number)
    return render_template("squad/version.html", access=access, network=_network(access), v=v,
                           total=len(versions(access.network_id)), t0=t0_figures(access.network_id, v["id"]))


@both("/<int:number>/print")
def printable(access: Access, number):
    v = _version(access, number)
    return render_template("squad/print.html", access=access, network=_network(access), v=v,
                           t0=t0_figures(access.network_id, v["id"]))


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
                           changes=changes, versions=found, count=sum(len(c) for c in changes.values()),
                           maps=compared_maps(old["data"]["canvas"], new["data"]["canvas"], changes,
                                              (old["number"], new["number"])))


def compared_maps(old: dict, new: dict, changes: dict, numbers: tuple[int, int]) -> dict:
    """The two maps of a comparison on one frame, every role where it is in both (roles without a
    position laid out together, from both versions), with what changed marked: what was removed on
    the older map, what was added on the newer, what changed on both. ``marks``, by item key, also
    marks the columns."""
    roles, links = {r["id"] for r in new["roles"]}, {i["id"] for i in new["interactions"]}
    both = {**new, "roles": new["roles"] + [r for r in old["roles"] if r["id"] not in roles],
            "interactions": new["interactions"] + [i for i in old["interactions"] if i["id"] not in links]}
    prefix = {"role": "r:", "interaction": "i:", "strategy": "s:", "objective": "o:", "goal": "", "needs": ""}
    found = [c for step in changes.values() for c in step]
    before = {prefix[c["kind"]] + c["id"]: c["change"] for c in found if c["change"] != "added"}
    after = {prefix[c["kind"]] + c["id"]: c["change"] for c in found if c["change"] != "removed"}
    shapes = [svgmap.geometry(c, svgmap.positions(c, both)) if c["roles"] else None for c in (old, new)]
    frames = [s["frame"] for s in shapes if s]
    frame = None
    if frames:
        left, top = min(f[0] for f in frames), min(f[1] for f in frames)
        right, bottom = max(f[0] + f[2] for f in frames), max(f[1] + f[3] for f in frames)
        frame = (left, top, right - left, bottom - top)
    drawn = [_map_box(svgmap.render(c, _("version %(n)d", n=n), marks=m, frame=frame, shape=shape)) if shape
             else squad_map(c) for c, n, m, shape in ((old, numbers[0], before, shapes[0]),
                                                       (new, numbers[1], after, shapes[1]))]
    return {"before": before, "after": after, "old": drawn[0], "new": drawn[1]}


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
        first = versions(access.network_id)
        # Every version carries its network's T0 figures, for the live canvas that starts from it.
        t0 = analysis.figures(first[0]["data"]["canvas"] if first else canvas)
        add_version(access.network_id, {"schema": SCHEMA, "canvas": canvas, "reason": "imported",
                                        "authors": [by], "saved_by": by, "t0": {"figures": t0}},
                    _("Territorial squad canvas"))
    flash(_("Imported as a new version."), "ok")
    return redirect(access.url("show", number=len(versions(access.network_id))))


def archive_section(access: Access) -> tuple[str, Markup]:
    found = versions(access.network_id)
    access = Access(access.network_id, access.token, bp.name)
    html = render_template("squad/section.html", access=access, versions=found,
                           last_meeting=since_last_meeting(found),
                           t0=analysis.figures(found[0]["data"]["canvas"]) if len(found) > 1 else None)
    return (_("Territorial squad: versions"), Markup(html))
