"""Error pages: every HTTP error a person can meet is a page of the site, in their language,
with a way back. A network link that does not open says so (unknown or revoked)."""

from __future__ import annotations

from flask import g, render_template, request, session
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError


def _texts(code: int) -> tuple[str, str]:
    """(title, explanation) of an error code, translated for this request."""
    texts = {
        400: (
            _("The request could not be understood"),
            _("Something in what was sent is not valid. Go back, check it and try again."),
        ),
        403: (_("You cannot open this page"), _("This page is not for you, or you need to log in first.")),
        404: (
            _("Page not found"),
            _(
                "The address may be mistyped, or the page no longer exists. Check it, or start again from the home page."
            ),
        ),
        405: (_("This page cannot be used like this"), _("Go back and use the page's own buttons.")),
        413: (_("What you sent is too large"), _("Send a smaller file or a shorter text.")),
        429: (
            _("Too many requests"),
            _("You sent too many requests in a short time. Wait a few minutes, then try again."),
        ),
    }
    return texts.get(
        code,
        (_("Something went wrong"), _("The server could not finish this. Nothing was changed. Try again in a moment.")),
    )


def _network_link_request() -> bool:
    """True for the pages a network link opens (``/n/<secret>/...``) when the link itself did not
    open (a page missing behind a valid link is an ordinary 404)."""
    if g.get("network_link_token"):
        return False
    return bool(request.view_args and "token" in request.view_args) or request.path.startswith("/n/")


def render_error(code: int, detail: str | None = None, reason: str = ""):
    title, text = _texts(code)
    if code == 404 and _network_link_request():
        title = _("This network link is not valid")
        text = _("The link is mistyped, or it was revoked or replaced. Ask your facilitator for a new one.")
    try:
        return render_template(
            "errors/error.html",
            code=code,
            title=title,
            text=text,
            detail=detail,
            reason=reason,
            facilitator=bool(session.get("facilitator_id")),
        ), code
    except Exception:  # the page itself failed (the database is down): a plain answer, still translated
        return f"{code} {title}\n\n{text}\n", code, {"Content-Type": "text/plain; charset=utf-8"}


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render_error(400, _("The form had expired. Go back, reload the page and send it again."), "csrf")

    from .views import api_v1

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if exc.code is None or exc.code < 400:
            return exc
        if api_v1.is_api_request():  # the read API answers JSON (docs: /api/v1/openapi.json)
            return api_v1.error_answer(exc)
        return render_error(exc.code)

    @app.errorhandler(InternalServerError)
    def server_error(exc):
        if api_v1.is_api_request():
            return api_v1.error_answer(exc if isinstance(exc, HTTPException) else InternalServerError())
        return render_error(500)
