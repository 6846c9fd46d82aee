"""A squad version for reports: HTML and print with its map (SVG, vector) and its network figures,
Markdown as text with the figures in words."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from facilitation import api
from facilitation.api import gettext as _
from facilitation.api import hookimpl

from . import analysis
from .exports import _cell, _md, canvas_markdown

TYPE = "squad"


def t0_of(artifact: dict) -> dict | None:
    """The figures of the network's T0, unless this version is T0 itself: from the network's first
    version, or what the version carries when the archive cannot be read."""
    network_id = artifact.get("network_id")
    if network_id:
        found = api.versions(network_id, TYPE)
        if found:
            return None if found[0]["id"] == artifact.get("id") else analysis.figures(found[0]["data"]["canvas"])
    return (artifact["data"].get("t0") or {}).get("figures")


def figures_markdown(canvas: dict, t0: dict | None, level: int) -> str:
    """The figures in words, each role's connections and betweenness, and how they changed since T0."""
    found = analysis.figures(canvas)
    roles = {r["id"]: r["title"] for r in canvas.get("roles", [])}
    strategies = {s["id"]: s["title"] for s in canvas.get("strategies", [])}
    lines = [f"{'#' * level} {_('Network figures')}", ""]
    lines += [f"- {_md(s)}" for s in analysis.sentences(found, roles, strategies, markup=False)] or [
        _md(_("No figures yet: add roles and their interactions."))]
    if found["roles"]:
        lines += ["", f"| {_('Role')} | {_('Connections')} | {_('Betweenness')} |", "|---|---:|---:|"]
        for r in sorted(found["roles"], key=lambda r: (-r["betweenness"], -r["partners"])):
            lines.append(f"| {_cell(r['title'])} | {r['partners']} | {analysis.number('density', r['betweenness'])} |")
    since = analysis.since(t0, found)
    if since:
        labels = analysis.figure_labels()
        caption = _md(_("How the figures changed since T0 (the network's first version)"))
        lines += ["", f"**{caption}**", "",
                  f"| {_('Figure')} | T0 | {_('Now')} |", "|---|---:|---:|"]
        for f in since["figures"]:
            lines.append(f"| {_md(labels[f['figure']])} | {analysis.number(f['figure'], f['before'])} "
                         f"| {analysis.number(f['figure'], f['after'])} |")
        for r in since["roles"]:
            lines.append(f"| {_cell(_('Connections of %(role)s', role=r['title']))} | {analysis.number('', r['before'])} "
                         f"| {analysis.number('', r['after'])} |")
    return "\n".join(lines) + "\n"


@hookimpl
def render_archive(artifact, fmt, options):
    if artifact["exercise_type"] != TYPE:
        return None
    canvas = artifact["data"].get("canvas") or {}
    t0 = t0_of(artifact)
    if fmt == "markdown":
        return canvas_markdown(canvas, level=4) + "\n" + figures_markdown(canvas, t0, level=4)
    return Markup(render_template("squad/archive.html", data=artifact["data"], artifact=artifact, fmt=fmt,
                                  options=options, t0=t0))
