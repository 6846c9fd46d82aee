"""The read API, version 1 (``/api/v1/...``): networks, labs, meetings, archived results and the
dashboard's figures, as JSON.

Who may read: a facilitator's API token (``Authorization: Bearer fapi_...``, created, named and
revoked on "Your account", stored hashed) reads everything; a network link (``X-Network-Link:
<the link's secret>``) reads its own network and its archive only. A browser session opens
nothing here.

The OpenAPI document (``/api/v1/openapi.json``) is generated from this code by flask-smorest
(marshmallow schemas and apispec): the schemas that describe the answers are the ones that
serialise them, so the document cannot drift from what the API does.
"""

from __future__ import annotations

import time

import marshmallow as ma
from flask import current_app, g, request
from flask_smorest import Api, Blueprint
from flask_smorest import abort as api_abort
from werkzeug.exceptions import HTTPException

from .. import artifacts, store
from ..db import get_db, transaction
from ..reports import dashboard, figures, filters
from ..schema import INT_MAX
from ..urls import BoundedInt

VERSION = "1.0"
ID = {"validate": ma.validate.Range(min=1, max=INT_MAX)}


class ErrorSchema(ma.Schema):
    code = ma.fields.Integer(required=True, metadata={"description": "HTTP status"})
    status = ma.fields.String(required=True, metadata={"description": "Its name"})
    message = ma.fields.String(metadata={"description": "What went wrong"})
    errors = ma.fields.Dict(metadata={"description": "Which query values were not valid"})


class NetworkSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    lead_body = ma.fields.String(required=True, metadata={"description": "Its lead body (ente capofila)"})
    territory = ma.fields.String(required=True)
    created_at = ma.fields.String(required=True, metadata={"description": "UTC, ISO 8601"})


class MeetingSummarySchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    starts_at = ma.fields.String(required=True, metadata={"description": "As planned, local time"})
    state = ma.fields.String(required=True, metadata={"description": "draft, live or ended"})
    started_at = ma.fields.String(allow_none=True, required=True)
    ended_at = ma.fields.String(allow_none=True, required=True)


class LabSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    theme = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    created_at = ma.fields.String(required=True)
    networks = ma.fields.List(ma.fields.Integer(), required=True, metadata={"description": "Ids of its networks"})
    meetings = ma.fields.List(ma.fields.Nested(MeetingSummarySchema), required=True)


class ItemSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    position = ma.fields.Integer(required=True)
    exercise_type = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"description": "pending, open or locked"})
    config = ma.fields.Dict(required=True)


class ParticipationSchema(ma.Schema):
    attendances = ma.fields.Integer(required=True)
    people = ma.fields.Integer(required=True, metadata={"description": "Distinct participants"})
    hours = ma.fields.Float(required=True, metadata={"description": "The meeting's length"})
    participant_hours = ma.fields.Float(required=True)
    networks = ma.fields.Integer(required=True, metadata={"description": "Networks present"})


class MeetingSchema(MeetingSummarySchema):
    lab_id = ma.fields.Integer(required=True)
    agenda = ma.fields.List(ma.fields.Nested(ItemSchema), required=True)
    participation = ma.fields.Nested(ParticipationSchema, required=True)


class ResultSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    network_id = ma.fields.Integer(required=True)
    lab_id = ma.fields.Integer(allow_none=True, required=True)
    meeting_id = ma.fields.Integer(allow_none=True, required=True)
    item_id = ma.fields.Integer(allow_none=True, required=True)
    exercise_type = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True)
    created_at = ma.fields.String(required=True)
    data = ma.fields.Dict(required=True, metadata={"description": "The result as its exercise archived it"})


class DashboardQuery(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    lab = ma.fields.Integer(**ID, metadata={"description": "Only this lab's meetings"})
    network = ma.fields.Integer(**ID, metadata={"description": "Only this network's people"})
    from_ = ma.fields.Date(data_key="from", metadata={"description": "Meetings from this day (inclusive)"})
    to = ma.fields.Date(metadata={"description": "Meetings until this day (inclusive)"})


class SummarySchema(ma.Schema):
    label = ma.fields.String(required=True)
    value = ma.fields.Raw(required=True, metadata={"description": "A number, or a text such as '3 of 35'"})


class FigureSchema(ma.Schema):
    key = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    headers = ma.fields.List(ma.fields.String(), required=True)
    rows = ma.fields.List(ma.fields.List(ma.fields.Raw()), required=True)


class SectionSchema(ma.Schema):
    key = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    summary = ma.fields.List(ma.fields.Nested(SummarySchema), required=True)
    figures = ma.fields.List(ma.fields.Nested(FigureSchema), required=True)


class DashboardSchema(ma.Schema):
    meetings = ma.fields.List(ma.fields.Integer(), required=True, metadata={"description": "The meetings counted"})
    sections = ma.fields.List(ma.fields.Nested(SectionSchema), required=True)


bp = Blueprint("api_v1", __name__, url_prefix="/api/v1",
               description="Read-only: networks, labs, meetings, archived results, the dashboard's figures")


# who reads ---------------------------------------------------------------------------------------

@bp.before_request
def authenticate():
    """A facilitator's API token or a network link; else 401 (a browser session does not count).
    A wrong token is refused even beside a valid link: every credential sent must hold."""
    db = get_db()
    header = request.headers.get("Authorization")
    if header is not None:
        token = store.api_token_by_secret(db, header[7:].strip()) if header[:7].lower() == "bearer " else None
        if token:
            if token["last_used_at"] is None or token["last_used_at"][:13] != store.now_iso()[:13]:
                with transaction(db):
                    store.touch_api_token(db, token["id"])
            g.api_reader = ("facilitator", token["facilitator_id"])
            return None
        api_abort(401, message="This API token is not valid, or was revoked.", headers={"WWW-Authenticate": "Bearer"})
    link = store.network_link_by_token(db, request.headers.get("X-Network-Link", "").strip())
    if link:
        g.api_reader = ("network", link["network_id"])
        return None
    api_abort(401, message="An API token or a network link is needed.", headers={"WWW-Authenticate": "Bearer"})


def facilitators_only() -> None:
    if g.api_reader[0] != "facilitator":
        api_abort(403, message="A network link reads its own network only.")


def network_or_404(network_id: int) -> dict:
    kind, who = g.api_reader
    found = store.network(get_db(), network_id)
    if found is None or (kind == "network" and who != network_id):
        api_abort(404, message="No such network.")
    return found


ERRORS = ((401, "No API token or network link, or not a valid one"),
          (403, "A network link asked for more than its network"), (404, "Not found"))


def documented_errors(view):
    for code, description in ERRORS:
        view = bp.alt_response(code, schema=ErrorSchema, description=description)(view)
    return view


# networks ----------------------------------------------------------------------------------------

@bp.get("/networks")
@bp.response(200, NetworkSchema(many=True))
@documented_errors
def networks():
    """Every network (for a network link: its own)."""
    kind, who = g.api_reader
    found = store.networks(get_db())
    return [n for n in found if kind == "facilitator" or n["id"] == who]


@bp.get("/networks/<int:network_id>")
@bp.response(200, NetworkSchema)
@documented_errors
def network(network_id):
    """One network."""
    return network_or_404(network_id)


@bp.get("/networks/<int:network_id>/archive")
@bp.response(200, ResultSchema(many=True))
@documented_errors
def network_archive(network_id):
    """Every archived version of the network's results, oldest first."""
    network_or_404(network_id)
    return [{**v, "network_id": network_id} for v in artifacts.every_version_of_network(get_db(), network_id)]


# labs and meetings (facilitators' tokens) -----------------------------------------------------

def _lab(db, lab) -> dict:
    return {**lab, "networks": [n["id"] for n in store.lab_networks(db, lab["id"])],
            "meetings": store.meetings_of_lab(db, lab["id"])}


@bp.get("/labs")
@bp.response(200, LabSchema(many=True))
@documented_errors
def labs():
    """Every lab with its networks and meetings."""
    facilitators_only()
    db = get_db()
    return [_lab(db, lab) for lab in store.labs(db)]


@bp.get("/labs/<int:lab_id>")
@bp.response(200, LabSchema)
@documented_errors
def lab(lab_id):
    """One lab."""
    facilitators_only()
    db = get_db()
    found = store.lab(db, lab_id)
    if found is None:
        api_abort(404, message="No such lab.")
    return _lab(db, found)


def _meeting_or_404(meeting_id) -> dict:
    facilitators_only()
    found = store.meeting(get_db(), meeting_id)
    if found is None:
        api_abort(404, message="No such meeting.")
    return found


@bp.get("/meetings/<int:meeting_id>")
@bp.response(200, MeetingSchema)
@documented_errors
def meeting(meeting_id):
    """One meeting: its agenda and its participation figures (no names)."""
    db = get_db()
    found = _meeting_or_404(meeting_id)
    held = store.held_meetings(db, meeting_ids=[meeting_id])
    data = figures.participation(held, store.participants_of_meetings(db, [meeting_id]),
                                 store.attendance_of_meetings(db, [meeting_id]), now=time.time()) if held else None
    row = data["per_meeting"][0] if data and data["per_meeting"] else {}
    return {**found, "agenda": store.agenda(db, meeting_id), "participation": {
        "attendances": data["attendances"] if data else 0, "people": data["people"] if data else 0,
        "hours": row.get("hours", 0.0), "participant_hours": row.get("participant_hours", 0.0),
        "networks": data["networks_reached"] if data else 0}}


@bp.get("/meetings/<int:meeting_id>/results")
@bp.response(200, ResultSchema(many=True))
@documented_errors
def meeting_results(meeting_id):
    """The archived results of a meeting: the latest version of each network's result of each exercise."""
    _meeting_or_404(meeting_id)
    return artifacts.of_meetings(get_db(), [meeting_id])


# the dashboard ------------------------------------------------------------------------------------

@bp.get("/dashboard")
@bp.arguments(DashboardQuery, location="query", as_kwargs=True)
@bp.response(200, DashboardSchema)
@documented_errors
def dashboard_figures(**query):
    """Every figure of the programme dashboard, for the meetings of a lab, a period and a network."""
    facilitators_only()
    db = get_db()
    chosen = filters.Filters(query.get("lab"), query.get("network"),
                             query["from_"].isoformat() if query.get("from_") else None,
                             query["to"].isoformat() if query.get("to") else None)
    for key, exists in (("lab", store.lab), ("network", store.network)):
        if query.get(key) is not None and exists(db, query[key]) is None:
            api_abort(404, message=f"No such {key}.")
    chosen = filters.resolve(db, chosen)
    return {"meetings": list(chosen.meeting_ids), "sections": dashboard.as_json(dashboard.sections(db, chosen))}


# the extension and its errors ---------------------------------------------------------------------

class ReadApi(Api):
    """flask-smorest's Api without its app-wide error handler: the site's pages keep their own
    error pages; answers under /api/ are JSON (``error_answer``)."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        pass


def error_answer(exc: HTTPException):
    """An HTTP error under /api/ as JSON, in the documented ErrorSchema."""
    body = {"code": exc.code, "status": exc.name}
    data = getattr(exc, "data", None) or {}
    if "message" in data:
        body["message"] = data["message"]
    if "messages" in data or "errors" in data:
        body["errors"] = data.get("errors") or data.get("messages")
    return body, exc.code, data.get("headers") or {}


def init_app(app) -> None:
    app.config.update(API_TITLE="facilitation", API_VERSION=VERSION, OPENAPI_VERSION="3.0.3",
                      OPENAPI_URL_PREFIX="/api/v1", OPENAPI_JSON_PATH="openapi.json",
                      API_SPEC_OPTIONS={
                          "info": {"description": __doc__.split("\n\n")[1].replace("\n", " ")},
                          "security": [{"token": []}, {"networkLink": []}],
                          "components": {"securitySchemes": {
                              "token": {"type": "http", "scheme": "bearer",
                                        "description": "A facilitator's API token (fapi_...)"},
                              "networkLink": {"type": "apiKey", "in": "header", "name": "X-Network-Link",
                                              "description": "A network link's secret: its own network only"}}}})
    api = ReadApi(app)
    api.register_converter(BoundedInt, lambda converter: {"type": "integer", "minimum": 0, "maximum": INT_MAX})
    api.register_blueprint(bp)
    app.extensions["facilitation.api"] = api


def is_api_request() -> bool:
    return request.path.startswith("/api/") and current_app.extensions.get("facilitation.api") is not None
