"""The authorisation matrix of docs/security.md, walked cell by cell against the real app.

A route of ``app.url_map`` or an ``on_*`` handler without a row fails here; so
does a cell whose behaviour differs from the table.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from pathlib import Path

import pytest
from flask import url_for

from facilitation import create_app, store
from facilitation.auth import create_facilitator
from facilitation.db import borrowed, migrate, transaction
from facilitation.exercise import Action, Actor, State
from facilitation.live.engine import Connection
from facilitation.live.sockets import LiveNamespace
from facilitation.reports import jobs as report_jobs

DOC = Path(__file__).resolve().parent.parent / "docs" / "security.md"
PRINCIPALS = ("anonymous", "participant_own", "participant_other", "participant_other_meeting",
              "link_this", "link_other", "link_revoked", "facilitator", "api_token")


def matrix() -> dict[str, dict[str, str]]:
    rows = {}
    for line in DOC.read_text().splitlines():
        found = re.match(r"^\| `([^`]+)` \|(.*)\|\s*$", line)
        if found:
            cells = [c.strip() for c in found.group(2).split("|")]
            assert len(cells) == len(PRINCIPALS), line
            rows[found.group(1)] = dict(zip(PRINCIPALS, cells))
    return rows


ROWS = matrix()
PASSWORD = "correct horse battery"
CELLS = [(row, who) for row, cells in ROWS.items() for who in PRINCIPALS if cells[who] != "n/a"]


def test_every_route_and_every_socket_handler_has_a_row(app):
    routes = {f"{method} {rule.endpoint}" for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {row for row in ROWS if not row.startswith("socket ")}
    assert routes - documented == set(), "routes without a row in docs/security.md"
    assert documented - routes == set(), "rows for routes that do not exist"
    handlers = {name[3:] for name in dir(LiveNamespace) if name.startswith("on_")}
    events = {row.split()[1] for row in ROWS if row.startswith("socket ")}
    assert handlers - events == set(), "socket handlers without a row in docs/security.md"
    for row in ROWS:
        if row.startswith("socket "):
            assert row in SOCKET_DRIVERS, f"no driver for {row!r}"
    for cells in ROWS.values():
        assert set(cells.values()) <= {"yes", "no", "n/a"}


# the world: this meeting (live, a poll open), another meeting, fresh objects per cell -------

@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One app for the whole matrix: every cell makes its own visitor and its own objects."""
    path = tmp_path_factory.mktemp("matrix")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FACILITATION_INSTANCE", str(path))  # report files and builders' logs stay in the temp folder
        # Every cell connects from the test client's one address, hundreds of times, many refused on
        # purpose: a limit of connections not yet authenticated per address must not refuse later cells.
        app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE": str(path / "test.db"),
                          "WTF_CSRF_ENABLED": False, "SOCKET_PENDING_PER_ADDRESS": 10_000})
        with borrowed(app) as db:
            migrate(db, app.extensions["facilitation.registry"])
        yield app
        app.extensions["facilitation.pool"].close()


CANVAS = {"goal": "Una comunità che accoglie", "needs": "", "strategies": [], "roles": [], "interactions": []}
BOGUS_LINK = "not-a-link-of-any-network-at-all"


@pytest.fixture(scope="module")
def world(app):
    from facilitation_prompt import PromptCard
    from facilitation_questions import Questions
    from facilitation_squad.canvas import SCHEMA

    from .conftest import add_squad_version as add_version

    with borrowed(app) as db:
        with transaction(db):
            fid = create_facilitator(db, "fac@example.org", "Fac", PASSWORD)
            n1 = store.save_network(db, {"name": "Ambito di Dalmine"})
            n2 = store.save_network(db, {"name": "Brescia"})
            lab = store.save_lab(db, {"title": "Lab"}, [n1, n2])
            meeting = store.create_meeting(db, lab, {"title": "Incontro 1"})
            single = store.add_item(db, meeting, "poll", {"title": "Q1", "kind": "single", "options": ["A", "B"]})
            squad = store.add_item(db, meeting, "squad", {"title": "La squadra"})
            evaluation = store.add_item(db, meeting, "evaluation", {"title": "Valutazione", "criteria": ["A"],
                                                                     "critical": [], "indicators": ["I"],
                                                                     "questions": [], "anonymous": True})
            assessment = store.add_item(db, meeting, "selfassessment", {"template": "method", "start": "latest"})
            questions = store.add_item(db, meeting, "questions", {"title": "Domande", "moderation": "open"})
            prompt = store.add_item(db, meeting, "prompt", {"prompt": "Che cosa?", "per_person": 10})
            # One question and one reply already there, to moderate and to highlight.
            for item, exercise, config, action in (
                    (questions, Questions(), {"moderation": "open", "names": "named", "per_person": 5},
                     Action("ask", {"text": "Prima domanda"})),
                    (prompt, PromptCard(), {"per_person": 10}, Action("reply", {"text": "Prima risposta"}))):
                store.write_state(db, f"i{item}", exercise.apply(State({}, config=config), action,
                                                                 Actor("participant", 999, "X", n1)).changes)
            other_meeting = store.create_meeting(db, lab, {"title": "Incontro 2"})
            add_version(db, n1, {"schema": SCHEMA, "canvas": {"schema": SCHEMA, **CANVAS}, "reason": "closed",
                                 "authors": ["Ada"]}, "Squad")
            revoked = store.issue_network_link(db, n1, fid)
            this_link = store.issue_network_link(db, n1, fid)  # revokes the first one
            other_link = store.issue_network_link(db, n2, fid)
            api_token = store.add_api_token(db, fid, "Matrix")[1]
            # A built e-book of the lab and a built dossier of this network, to open and download.
            jobs_done = {}
            for kind, subject in (("ebook", lab), ("dossier", n1)):
                job_id = store.add_report_job(db, kind, subject, {}, "facilitator:1")
                (report_jobs.folder(app) / f"matrix-{kind}.pdf").write_bytes(b"%PDF-1.7 matrix")
                store.finish_report_job(db, job_id, f"matrix-{kind}.pdf", 15, 1)
                jobs_done[kind] = job_id
        seeded = {"facilitator": fid, "networks": [n1, n2], "lab": lab, "meeting": meeting, "single": single,
                  "squad": squad, "evaluation": evaluation, "assessment": assessment, "questions": questions,
                  "prompt": prompt, "other_meeting": other_meeting, "code": store.meeting(db, meeting)["join_code"],
                  "jobs": jobs_done}
        engine = app.extensions["facilitation.engine"]
        with app.test_request_context():
            fac = Connection("setup", Actor("facilitator", fid), meeting, "console")
            for cmd in ({"cmd": "start"}, {"cmd": "open", "item": single}, {"cmd": "open", "item": squad},
                        {"cmd": "open", "item": evaluation}, {"cmd": "open", "item": assessment},
                        {"cmd": "open", "item": questions}, {"cmd": "open", "item": prompt}):
                assert engine.control(db, fac, cmd)["ok"], cmd
            other = Connection("setup", Actor("facilitator", fid), other_meeting, "console")
            assert engine.control(db, other, {"cmd": "start"})["ok"]
        other_code = store.meeting(db, other_meeting)["join_code"]
    tokens = {"link_this": this_link, "link_other": other_link, "link_revoked": revoked}

    def login(http):
        assert http.post("/f/login", data={"email": "fac@example.org", "password": PASSWORD}).status_code == 302

    def join(code, network):
        http = app.test_client()
        response = http.post(f"/j/{code}", data={"name": "P", "organisation": "O", "network": str(network)})
        assert response.status_code == 302
        return http

    def principal(who):
        """(HTTP client with this visitor's cookies, the meeting they belong to, their link secret)."""
        n1, n2 = seeded["networks"][:2]
        if who == "participant_own":
            return join(seeded["code"], n1), seeded["meeting"], BOGUS_LINK
        if who == "participant_other":
            return join(seeded["code"], n2), seeded["meeting"], BOGUS_LINK
        if who == "participant_other_meeting":
            return join(other_code, n1), seeded["other_meeting"], BOGUS_LINK
        http = app.test_client()
        if who == "facilitator":
            login(http)
        if who == "api_token":
            http.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {api_token}"  # a program: no cookie
        if who in tokens:
            http.get(f"/n/{tokens[who]}")  # as a team member opening their link (a session of their own)
            http.environ_base["HTTP_X_NETWORK_LINK"] = tokens[who]  # and as its program reading the API
            return http, None, tokens[who]
        return http, seeded["meeting"], BOGUS_LINK

    def fresh_objects():
        with borrowed(app) as db, transaction(db):
            item = store.add_item(db, seeded["meeting"], "poll", {"title": "T", "kind": "single",
                                                                   "options": ["A", "B"]})
            person = store.add_participant(db, seeded["meeting"], "Target", "", seeded["networks"][0])[0]
            spare = store.save_network(db, {"name": f"Spare {uuid.uuid4().hex[:8]}"})
            token_id = store.add_api_token(db, seeded["facilitator"], "Spare")[0]
            template = store.save_agenda_template(db, "T", "", [{"type": "poll", "config": {"title": "Q"}}])
        return {"template_id": template, "meeting_id": seeded["meeting"], "item_id": item, "participant_id": person,
                "network_id": seeded["networks"][0], "lab_id": seeded["lab"], "code": seeded["code"],
                "networks": seeded["networks"], "spare_network": spare, "number": 1, "type_name": "squad",
                "job_id": seeded["jobs"]["dossier"], "token_id": token_id}

    return {"principal": principal, "objects": fresh_objects, "seeded": seeded}


# HTTP -----------------------------------------------------------------------------------

FORMS = {
    "participant.join_by_code": lambda o: {"code": o["code"]},
    "participant.join": lambda o: {"name": "Someone", "organisation": "Org", "network": str(o["network_id"])},
    "i18n.choose": lambda o: {"lang": "en", "next": "/"},
    "auth.login": lambda o: {"email": "fac@example.org", "password": PASSWORD},
    "admin.networks": lambda o: {"name": f"Rete {uuid.uuid4().hex[:8]}"},
    "admin.network_update": lambda o: {"name": f"Rete {uuid.uuid4().hex[:8]}"},
    "admin.lab_new": lambda o: {"title": "Lab"},
    "admin.lab": lambda o: {"title": "Lab", "networks": [str(n) for n in o["networks"]]},
    "admin.meeting_new": lambda o: {"title": "M"},
    "admin.item_new": lambda o: {"type": "poll", "title": "Q", "kind": "single", "options": "A\nB"},
    "admin.item_edit": lambda o: {"title": "Q", "kind": "single", "options": "A\nB"},
    "admin.item_move": lambda o: {"dir": "up"},
    "tokens.tokens": lambda o: {"name": "A program"},
    "reports.ebook_pdf": lambda o: {"chosen": "1", "part": "agenda"},
    "agendas.save": lambda o: {"name": "Formato"},
    "agendas.from_template": lambda o: {"template": "shipped:closing_conference", "title": "Convegno"},
    "agendas.duplicate": lambda o: {"title": "Incontro 2"},
}
URL_VALUES = {"static": {"filename": "css/app.css"}, "exercises.static": {"type_name": "poll", "filename": "poll.js"},
              "reports.figure_csv": {"section": "participation", "figure": "summary"}}
QUERY = {"squad.n_compare_view": "?a=1&b=1", "squad.f_compare_view": "?a=1&b=1", "admin.item_new": "?type=poll"}


def refused(response) -> bool:
    if response.status_code in (401, 403, 404, 405, 410):
        return True
    return response.status_code == 302 and "/f/login" in response.headers.get("Location", "")


# Issuing or revoking a link in a cell must not rotate the links the other cells use.
SPARE_NETWORK = {"network.issue", "network.revoke"}
THIS_NETWORK = "Ambito di Dalmine"


def http_cell(app, world, method, endpoint, who) -> bool:
    http, _meeting, token = world["principal"](who)
    objects = world["objects"]()
    if endpoint in SPARE_NETWORK:
        objects["network_id"] = objects["spare_network"]
    objects["token"] = token
    if endpoint.startswith("reports.job_"):  # the lab e-book's jobs; network pages show the network's dossier
        objects["job_id"] = world["seeded"]["jobs"]["ebook"]
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {k: objects[k] for k in rule.arguments if k in objects} | URL_VALUES.get(endpoint, {})
    with app.test_request_context():
        url = url_for(endpoint, **values) + QUERY.get(endpoint, "")
    if method == "GET":
        response = http.get(url)
    else:
        response = http.post(url, data=FORMS.get(endpoint, lambda o: {})(objects))
    assert response.status_code < 500, (endpoint, response.status_code)
    if refused(response):
        return False
    if "token" in rule.arguments and who == "link_other":
        # Another network's link opens that network's own pages: this network's never show.
        body = response.data
        if response.mimetype == "application/zip":  # an export: look inside its files
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                body = b"".join(archive.read(name) for name in archive.namelist())
        return THIS_NETWORK.encode() in body
    return True


# Socket.IO ------------------------------------------------------------------------------

def _connect(app, http, auth):
    client = app.extensions["socketio"].test_client(app, flask_test_client=http, auth=auth)
    return client if client.is_connected() else None


def _natural(app, world, who, anywhere=False, workspace=False):
    """Connect as this visitor would: the console for a facilitator (or their network's workspace),
    a network link to its workspace, else as a participant of this meeting (or of their own
    meeting when ``anywhere``)."""
    http, meeting, token = world["principal"](who)
    seeded = world["seeded"]
    if who == "facilitator":
        auth = ({"role": "network", "network": seeded["networks"][0]} if workspace
                else {"meeting": seeded["meeting"], "role": "console"})
    elif who.startswith("link_"):
        auth = {"role": "network", "link": token, "name": "Team"}
    else:
        auth = {"meeting": meeting if anywhere else seeded["meeting"], "role": "participant"}
    return _connect(app, http, auth)


def _connect_as(role):
    def driver(app, world, who):
        http, _, token = world["principal"](who)
        seeded = world["seeded"]
        if role == "network":
            auth = ({"role": "network", "network": seeded["networks"][0]} if who == "facilitator"
                    else {"role": "network", "link": token})
        else:
            auth = {"meeting": seeded["meeting"], "role": role}
        client = _connect(app, http, auth)
        if client:
            client.disconnect()
        return client is not None
    return driver


def _disconnect(app, world, who):
    client = _natural(app, world, who, anywhere=True)
    if client is None:
        return False
    client.disconnect()
    return not client.is_connected()


def _ack(event, message, anywhere=False, workspace=False):
    def driver(app, world, who):
        client = _natural(app, world, who, anywhere=anywhere, workspace=workspace)
        if client is None:
            return False
        ack = client.emit(event, message(world["seeded"], who), callback=True)
        client.disconnect()
        assert isinstance(ack, dict) and "ok" in ack, ack
        return ack["ok"]
    return driver


def _squad_add(seeded, who):
    message = {"item": seeded["squad"], "type": "add",
               "payload": {"kind": "strategy", "id": uuid.uuid4().hex[:12], "fields": {"title": "S"}}}
    if who == "facilitator":
        message["team"] = f"n{seeded['networks'][0]}"
    return message


def _self_rate(seeded, who):
    message = {"item": seeded["assessment"], "type": "rate",
               "payload": {"dim": "culture", "value": uuid.uuid4().int % 5 + 1, "base": 0}}
    if who == "facilitator":
        message["team"] = f"n{seeded['networks'][0]}"
    return message


SOCKET_DRIVERS = {
    "socket connect (participant)": _connect_as("participant"),
    "socket connect (console)": _connect_as("console"),
    "socket connect (projector)": _connect_as("projector"),
    "socket connect (network)": _connect_as("network"),
    "socket disconnect": _disconnect,
    "socket action (poll answer)": _ack(
        "action", lambda s, w: {"item": s["single"], "type": "answer", "payload": {"value": 1}}, anywhere=True),
    "socket action (squad edit in a meeting)": _ack("action", _squad_add, anywhere=True),
    "socket action (squad edit in a network workspace)": _ack(
        "action", lambda s, w: {"workspace": "squad", "type": "add", "payload": {
            "kind": "role", "id": uuid.uuid4().hex[:12], "fields": {"title": "R"}}}, workspace=True),
    "socket action (evaluation answer)": _ack(
        "action", lambda s, w: {"item": s["evaluation"], "type": "answer", "payload": {"recommend": 8}}, anywhere=True),
    "socket action (self-assessment in a meeting)": _ack("action", _self_rate, anywhere=True),
    "socket action (self-assessment in a network workspace)": _ack(
        "action", lambda s, w: {"workspace": "selfassessment", "type": "explain", "payload": {
            "dim": "governance", "text": uuid.uuid4().hex, "base": 0}}, workspace=True),
    "socket action (questions ask)": _ack(
        "action", lambda s, w: {"item": s["questions"], "type": "ask", "payload": {"text": uuid.uuid4().hex}},
        anywhere=True),
    "socket action (questions moderate)": _ack(
        "action", lambda s, w: {"item": s["questions"], "type": "moderate", "payload": {"question": 1, "do": "pin"}},
        anywhere=True),
    "socket action (prompt reply)": _ack(
        "action", lambda s, w: {"item": s["prompt"], "type": "reply", "payload": {"text": uuid.uuid4().hex}},
        anywhere=True),
    "socket action (prompt highlight)": _ack(
        "action", lambda s, w: {"item": s["prompt"], "type": "highlight", "payload": {"reply": 1}}, anywhere=True),
    "socket control": _ack("control", lambda s, w: {"cmd": "timer", "seconds": 30}),
    "socket sync": _ack("sync", lambda s, w: {"since": 0}),
    "socket unknown event": _ack("no_such_event", lambda s, w: {"x": 1}),
    "socket reserved event name": _ack("disconnect", lambda s, w: {"x": 1}),
}


@pytest.mark.parametrize("row,who", CELLS, ids=[f"{r}-{w}" for r, w in CELLS])
def test_matrix_cell(app, world, row, who):
    expected = ROWS[row][who] == "yes"
    if row.startswith("socket "):
        allowed = SOCKET_DRIVERS[row](app, world, who)
    else:
        method, endpoint = row.split()
        allowed = http_cell(app, world, method, endpoint, who)
    assert allowed == expected, f"{row} for {who}: expected {'allowed' if expected else 'refused'}"
