"""Each installed exercise's own files: its browser module, stylesheet and whatever else its
``static`` folder holds, served by the core (a plugin needs no blueprint for them)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, send_from_directory, url_for

from ..plugins import registry

bp = Blueprint("exercises", __name__)


@bp.get("/x/<type_name>/<path:filename>")
def static(type_name, filename):
    folder = registry().static_folder(type_name)
    if folder is None or not folder.is_dir():
        abort(404)
    return send_from_directory(folder, filename, max_age=current_app.get_send_file_max_age(filename))


@bp.app_template_global("exercise_scripts")
def scripts() -> list[str]:
    """URLs of every installed exercise's browser module."""
    return [url_for("exercises.static", type_name=e.type, filename=e.script)
            for e in registry().exercises.values() if e.script]


@bp.app_template_global("exercise_styles")
def stylesheets() -> list[str]:
    return [url_for("exercises.static", type_name=e.type, filename=e.stylesheet)
            for e in registry().exercises.values() if e.stylesheet]
