"""Languages: every string goes through Flask-Babel; Italian unless the person chooses."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Blueprint, current_app, has_request_context, redirect, request, session, url_for
from flask_babel import Babel, format_date, format_datetime, format_time, get_locale, pgettext
from flask_babel import gettext as _

from .urls import local_path

RTL = {"ar", "he", "fa", "ur"}

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    chosen = session.get("lang") if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.post("/lang")
def choose():
    code = request.form.get("lang", "")
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    # Only paths of this site: never an open redirect.
    return redirect(local_path(request.form.get("next")) or url_for("participant.home"))


def init_app(app) -> None:
    # Each plugin's catalogs first, the core's last: merged in this order, so a plugin's catalog
    # translates its own strings and cannot change the core's.
    cache = Path(app.instance_path) / "translations"
    plugin_folders = [compiled(Path(f), cache) for f in app.extensions["facilitation.registry"].translation_folders]
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join([*plugin_folders, "translations"])
    Babel(app, locale_selector=select_locale)
    app.register_blueprint(bp)

    by_language: dict[str, dict] = {}

    @app.template_global()
    def client_strings() -> dict:
        """Strings the browser modules show, translated for this request's language (built once
        per language: every live page carries them, and 2,000 people join in a few seconds)."""
        lang = str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])
        strings = by_language.get(lang)
        if strings is None:
            strings = {key: str(value) for key, value in common_strings().items()}
            for type_name, exercise in app.extensions["facilitation.registry"].exercises.items():
                for key, value in exercise.client_strings().items():
                    strings[f"{type_name}.{key}"] = str(value)
            by_language[lang] = strings
        return strings

    app.add_template_filter(when)
    app.add_template_filter(planned)

    @app.context_processor
    def language_context():
        lang = str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])
        return {"languages": app.config["LANGUAGES"], "lang": lang,
                "text_direction": "rtl" if lang in RTL else "ltr"}


def compiled(folder: Path, cache: Path) -> str:
    """A plugin's catalog folder ready for Babel: the folder itself when each ``.po`` has an
    up-to-date ``.mo`` beside it, else a copy compiled into ``cache`` (a plugin may ship its
    ``.po`` files only, and be installed where it cannot write)."""
    sources = sorted(folder.glob("*/LC_MESSAGES/*.po"))
    if all(po.with_suffix(".mo").is_file() and po.with_suffix(".mo").stat().st_mtime >= po.stat().st_mtime
           for po in sources):
        return str(folder)
    target = cache / hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    for po in sources:
        mo = target / po.relative_to(folder).with_suffix(".mo")
        if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with open(po, "rb") as fh:
            catalog = read_po(fh)
        with open(mo, "wb") as fh:
            write_mo(fh, catalog)
    return str(target)


def when(value) -> str:
    """A stored UTC timestamp (``2026-11-22T01:54:58Z``) as a date and time in the
    reader's language and the programme's time zone (``BABEL_DEFAULT_TIMEZONE``)."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_datetime(moment, "medium")


def planned(value) -> str:
    """A date or date and time a facilitator typed (``2026-11-24`` or ``2026-11-24T10:00``,
    already in local time) in the reader's language; anything else as it was typed."""
    if not value:
        return ""
    text = str(value)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if len(text) <= 10:
        return format_date(moment.date(), "medium")
    return f"{format_date(moment.date(), 'medium')}, {format_time(moment.time(), 'short')}"


def common_strings() -> dict:
    return {
        "connecting": _("Connecting…"),
        "reconnecting": _("Connection lost: reconnecting…"),
        "connected": _("Connected"),
        "refused": _("You cannot join this meeting from here. Reload the page."),
        "link_revoked": _("This link was revoked: ask your facilitator for a new one."),
        "moved_team": _("You are now in the team of %(name)s."),
        "team_label": _("Team: %(name)s"),
        "not_sent": _("Not sent: check your connection and try again."),
        "saved": _("Saved"),
        "sending": _("Sending…"),
        "waiting": _("Wait for the facilitator to start."),
        "waiting_next": _("Wait for the next exercise."),
        "ended": _("This meeting has ended. Thank you for taking part."),
        "locked": _("Answers are closed."),
        "pending": _("Not open yet"),
        "open": pgettext("exercise status", "Open"),
        "closed": pgettext("exercise status", "Locked"),
        "revealed": _("Results shown to participants"),
        "hidden": _("Results hidden from participants"),
        "online": _("online"),
        "offline": _("offline"),
        "no_network": _("No network"),
        "time_left": _("Time left"),
        "confirm_end": _("End the meeting for everyone? Open exercises are locked and archived."),
        "nobody": _("Nobody has joined yet."),
        "participants_count": _("Participants online"),
        "unknown_exercise": _("This exercise cannot be shown here."),
        "exercise_failed": _("This exercise failed on the server: the facilitator has been told."),
        "move_to_team": _("Move to the team of"),
        "waiting_room": _("Waiting to be admitted"),
        "admit": _("Admit"),
        "refuse": _("Refuse"),
    }
