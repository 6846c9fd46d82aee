"""One cleaning rule for all user text (``schema.clean_text``), applied on every path: the join
form, the facilitator's forms, live actions (squad canvas, poll answers, messages, a network
team's name) and imports. Right-to-left text is kept as typed and shown isolated."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser

import pytest

from facilitation import store
from facilitation.db import transaction
from facilitation.schema import clean_text
from facilitation_squad.canvas import SCHEMA

from .conftest import add_squad_version as add_version
from .conftest import answer, control
from .conftest import squad_versions as versions

# (what someone typed, what is stored and shown)
HOSTILE = [
    ("Ada \x1b[31mRossi\x1b[0m", "Ada Rossi"),  # ANSI colours, removed whole
    ("\x1b]0;titolo\x07Bo", "Bo"),  # a terminal title (OSC ... BEL)
    ("Ca\x07r\x08la", "Carla"),  # BEL and BS
    ("Da\x80\x9f\x9b2Jrio", "Dario"),  # C1 controls, an 8-bit CSI
    ("Elena\u2028Neri", "Elena Neri"),  # a line separator in a one-line field
    ("Fabio\U000e0041\U000e0042\U000e007f", "Fabio"),  # tag characters (hidden text)
    ("\u202eGiulia\u202c \u2066Verdi\u2069", "Giulia Verdi"),  # bidi override and isolate
    ("\ufeffIvo", "Ivo"),  # BOM
    ("Luca\x00", "Luca"),  # NUL
    ("\u200b\u200c\u200d", ""),  # zero-width only: nothing visible, so empty
    ("\ufeff", ""),  # BOM only
    ("\x00", ""),  # NUL only
    (" \t ", ""),
]
RTL = ["مريم الأحمد", "שרה כהן", "Ana (أمينة) 42", "👩\u200d👩\u200d👧 famiglia", "מ\u200fא"]


@pytest.mark.parametrize("typed,kept", HOSTILE)
def test_the_rule_removes_what_hides_or_reorders_text(typed, kept):
    assert clean_text(typed) == kept
    assert clean_text(typed, multiline=True) == kept.replace("Elena Neri", "Elena\nNeri")


@pytest.mark.parametrize("typed", RTL)
def test_right_to_left_text_and_emoji_stay_as_typed(typed):
    assert clean_text(typed) == typed


def test_multiline_keeps_one_newline_per_break_and_tabs():
    assert clean_text("uno\r\ndue\rtre\u2029quattro\tcinque", multiline=True) == "uno\ndue\ntre\nquattro\tcinque"
    assert clean_text("uno\r\ndue\ttre") == "uno due tre"
    flag = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"  # a flag made of tag characters
    assert clean_text(flag) == flag


def stored_names(db, meeting):
    return [(p["name"], p["organisation"]) for p in
            store.rows(db, "SELECT name, organisation FROM participants WHERE meeting_id = ? ORDER BY id", [meeting])]


def test_the_join_form_stores_cleaned_names_and_refuses_invisible_ones(app, seeded, db):
    visible = [(typed, kept) for typed, kept in HOSTILE if kept]
    for typed, _kept in visible:
        response = app.test_client().post(f"/j/{seeded['code']}", data={
            "name": typed, "organisation": typed, "network": str(seeded["networks"][0])})
        assert response.status_code == 302, typed
    for typed in RTL:
        assert app.test_client().post(f"/j/{seeded['code']}", data={
            "name": typed, "network": str(seeded["networks"][0])}).status_code == 302
    assert stored_names(db, seeded["meeting"]) == [(k, k) for _, k in visible] + [(t, "") for t in RTL]
    for typed, kept in HOSTILE:
        if not kept:
            response = app.test_client().post(f"/j/{seeded['code']}", data={
                "name": typed, "network": str(seeded["networks"][0])})
            assert response.status_code == 400 and "Dicci il tuo nome." in response.get_data(as_text=True)
    assert len(stored_names(db, seeded["meeting"])) == len(visible) + len(RTL)


def test_facilitator_forms_store_cleaned_text(app, seeded, login, db):
    http = app.test_client()
    login(http)
    assert http.post("/f/networks", data={"name": "Rete \x1b[1mNord\x1b[0m\u202e", "lead_body": "Comune\x07",
                                          "territory": "\u200b"}).status_code == 302
    found = store.row(db, "SELECT * FROM networks WHERE name LIKE 'Rete%Nord'")
    assert (found["name"], found["lead_body"], found["territory"]) == ("Rete Nord", "Comune", "")
    response = http.post("/f/labs/new", data={"title": "Lab\x00 \U000e0041uno", "description": "riga\r\nriga\x1b[2J"})
    lab = store.lab(db, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert (lab["title"], lab["description"]) == ("Lab uno", "riga\nriga")
    # An exercise's config goes through its declared fields: the same rule.
    edit = http.post(f"/f/items/{seeded['single']}", data={"title": "\u202eDomanda\x07", "kind": "single",
                                                           "options": "A\x1b[0m\n\ufeff\nB\u2028C"})
    assert edit.status_code == 302
    assert store.item(db, seeded["single"])["config"]["title"] == "Domanda"
    assert store.item(db, seeded["single"])["config"]["options"] == ["A", "B", "C"]  # U+2028 breaks a line


def test_live_actions_store_cleaned_text(sockets, seeded, db):
    fac = sockets.facilitator()
    ada = sockets.participant("Ada", seeded["networks"][0])
    control(fac, "start")
    with transaction(db):
        squad = store.add_item(db, seeded["meeting"], "squad", {"title": "Squadra", "start": "blank"})
    control(fac, "open", item=squad)
    for i, (typed, kept) in enumerate(HOSTILE + [(t, t) for t in RTL]):
        ack = ada.emit("action", {"item": squad, "type": "add", "payload": {
            "kind": "strategy", "id": f"s{i}", "fields": {"title": typed}}}, callback=True)
        if not kept:  # nothing visible left: a strategy without a title is refused, and says why
            assert not ack["ok"] and ack["error"]["code"] == "required", typed
            continue
        assert ack["ok"], ack
        assert ack["reply"]["ops"][0]["unit"]["title"] == kept, typed
    ack = ada.emit("action", {"item": squad, "type": "edit", "payload": {
        "kind": "goal", "field": "text", "value": "Una\r\ncomunità\x1b[5m\u2029che accoglie", "base": 0}}, callback=True)
    assert ack["ok"] and ack["reply"]["ops"][0]["unit"]["text"] == "Una\ncomunità\nche accoglie"
    # What is stored is what was acknowledged.
    space = f"i{squad}:n{seeded['networks'][0]}"
    titles = {k[2:]: json.loads(v)["title"] for k, v in db.execute(
        "SELECT key, value FROM exercise_state WHERE space = ? AND key LIKE 's:%'", [space])}
    assert titles["s0"] == "Ada Rossi" and "s9" not in titles and titles[f"s{len(HOSTILE)}"] == RTL[0]

    # A poll's open answer: control characters go, an answer of nothing visible is refused.
    control(fac, "open", item=seeded["open"])
    for typed in ("\x00", "\u200b", "\ufeff\x07", "\x1b[31m"):
        refused = answer(ada, seeded["open"], typed)
        assert refused["ok"] is False and refused["error"]["code"] == "invalid", typed
    assert answer(ada, seeded["open"], "\x1b[1mcia\x08o\u202e")["reply"]["answer"] == "ciao"
    assert answer(ada, seeded["open"], "سلام")["reply"]["answer"] == "سلام"

    # The facilitator's message to every team: a declared text field, the same rule.
    control(fac, "message", text="Pausa\x07 \u202edi 10 minuti\x1b[0m")
    assert store.meeting(db, seeded["meeting"])["notice"] == "Pausa di 10 minuti"


def test_a_network_teams_name_and_an_import_are_cleaned(app, seeded, login, db):
    n1 = seeded["networks"][0]
    with transaction(db):
        token = store.issue_network_link(db, n1)
    http = app.test_client()
    http.get(f"/n/{token}")
    eve = app.extensions["socketio"].test_client(app, flask_test_client=http, auth={
        "role": "network", "link": token, "name": "\x1b[1mEve\u202e\U000e0041"})
    assert eve.emit("action", {"workspace": "squad", "type": "add", "payload": {
        "kind": "role", "id": "r1", "fields": {"title": "Tutor\x00"}}}, callback=True)["ok"]
    assert eve.emit("action", {"workspace": "squad", "type": "save", "payload": {}}, callback=True)["ok"]
    saved = versions(db, n1)[-1]["data"]
    assert saved["authors"] == ["Eve"] and saved["canvas"]["roles"][0]["title"] == "Tutor"
    eve.disconnect()

    canvas = {"schema": SCHEMA, "goal": "Meta\x1b[0m\r\nseconda riga", "needs": "\u200b",
              "strategies": [{"id": "s1", "title": "\u202eScuole\x07", "objectives": [{"id": "o1", "text": "\x85Uno"}]}],
              "roles": [], "interactions": []}
    upload = {"file": (io.BytesIO(json.dumps(canvas).encode()), "squad.json")}
    assert http.post(f"/n/{token}/squad/import", data=upload, content_type="multipart/form-data").status_code == 302
    imported = versions(db, n1)[-1]["data"]["canvas"]
    assert (imported["goal"], imported["needs"]) == ("Meta\nseconda riga", "")
    assert imported["strategies"] == [{"id": "s1", "title": "Scuole", "objectives": [{"id": "o1", "text": "Uno"}]}]


# Right-to-left text is shown isolated --------------------------------------------------------

MARK = "שלום"  # in every piece of user text below: each place it shows must be isolated


class Isolation(HTMLParser):
    """Every place ``MARK`` shows (a text node, or the value of a field) whose direction is not
    isolated: the nearest element with a ``dir`` attribute, or a ``<bdi>``, must be ``dir="auto"``
    or ``<bdi>`` (the page's ``<html dir="ltr">`` does not count); in SVG, ``unicode-bidi="plaintext"``."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.bare: list[str] = []

    def _isolated(self, stack) -> bool:
        for tag, attrs in reversed(stack):
            if tag == "bdi" or attrs.get("unicode-bidi") == "plaintext":  # SVG text has no dir="auto"
                return True
            if "dir" in attrs:
                return attrs["dir"] == "auto"
        return False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "textarea") and MARK in (attrs.get("value") or "") and attrs.get("dir") != "auto":
            self.bare.append(f"<{tag} value={attrs.get('value')!r}>")
        if tag not in self.VOID:
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if MARK not in data or any(t in ("title", "script") for t, _ in self.stack):
            return
        if not self._isolated(self.stack):
            self.bare.append(f"{'>'.join(t for t, _ in self.stack[-3:])}: {data.strip()[:60]!r}")


def not_isolated(html: str) -> list[str]:
    parser = Isolation()
    parser.feed(html)
    return parser.bare


def test_every_page_shows_user_text_isolated(app, seeded, login, db, sockets):
    """Names, titles, answers and canvases typed in a right-to-left script show with
    ``dir="auto"`` or inside ``<bdi>`` on every server-rendered page (the browser modules use the
    same two ways: tests/browser/test_rtl.py)."""
    n1, n2 = seeded["networks"][:2]
    t = f"{MARK} 1"
    with transaction(db):
        store.save_network(db, {"name": f"{MARK} rete", "lead_body": f"{MARK} ente", "territory": f"{MARK} t"}, n1)
        store.save_lab(db, {"title": f"{MARK} lab", "theme": f"{MARK} tema", "description": f"{MARK} d"}, [n1, n2],
                       seeded["lab"])
        db["meetings"].update(seeded["meeting"], {"title": f"{MARK} incontro"})
        store.update_item_config(db, seeded["single"], {"title": f"{MARK} q", "kind": "single",
                                                        "options": [f"{MARK} a", f"{MARK} b"], "hide_results": False})
        canvas = {"schema": SCHEMA, "goal": t, "needs": t,
                  "strategies": [{"id": "s1", "title": t, "objectives": [{"id": "o1", "text": t}]}],
                  "roles": [{"id": "r1", "title": t, "organisation": t, "profession": t, "manages": ["s1"]},
                            {"id": "r2", "title": f"{MARK} 2", "organisation": "", "profession": "", "manages": []}],
                  "interactions": [{"id": "i1", "source": "r1", "target": "r2", "what": t, "channel": t,
                                    "frequency": t}]}
        for _ in range(2):
            add_version(db, n1, {"schema": SCHEMA, "canvas": canvas, "reason": "saved", "authors": [t, "Bo"]},
                        "Squad")
        token = store.issue_network_link(db, n1)
    fac = sockets.facilitator()
    ada_http = sockets.join(f"{MARK} Ada", n1)
    ada = sockets.participant(http=ada_http)
    control(fac, "start")
    control(fac, "open", item=seeded["open"])
    assert answer(ada, seeded["open"], f"{MARK} parola")["ok"]
    control(fac, "lock", item=seeded["open"])
    control(fac, "open", item=seeded["single"])
    assert answer(ada, seeded["single"], 0)["ok"]
    control(fac, "lock", item=seeded["single"])

    http = app.test_client()
    login(http)
    m, lab = seeded["meeting"], seeded["lab"]
    pages = ["/f/", "/f/networks", f"/f/labs/{lab}", f"/f/meetings/{m}", f"/f/meetings/{m}/participants",
             f"/f/items/{seeded['single']}", f"/f/meetings/{m}/console", f"/f/meetings/{m}/projector",
             f"/f/networks/{n1}/archive", f"/f/networks/{n1}/squad/1", f"/f/networks/{n1}/squad/1/print",
             f"/f/networks/{n1}/squad/compare?a=1&b=2", f"/f/networks/{n1}/w/squad", f"/f/networks/{n1}/journey",
             f"/f/labs/{lab}/ebook", f"/f/labs/{lab}/ebook/{m}?names=1", "/f/reports", f"/f/reports?lab={lab}",
             f"/f/networks/{n1}/dossier?names=1"]
    checked = 0
    for path in pages:
        response = http.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert not_isolated(html) == [], path
        checked += html.count(MARK)
    for client, path in ((ada_http, f"/j/{seeded['code']}"), (app.test_client(), f"/j/{seeded['code']}"),
                         (app.test_client(), f"/n/{token}"), (app.test_client(), f"/n/{token}/squad/2"),
                         (app.test_client(), f"/n/{token}/journey"), (app.test_client(), f"/n/{token}/dossier")):
        html = client.get(path).get_data(as_text=True)
        assert not_isolated(html) == [], path
        checked += html.count(MARK)
    assert checked > 60  # the marked texts did show: the check saw them
    assert not_isolated(f'<p dir="ltr"><span>{MARK}</span></p>') != []  # and it sees a bare one
