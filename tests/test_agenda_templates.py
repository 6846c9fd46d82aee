"""Agenda templates: the shipped lab formats, a meeting's agenda saved as a template, a meeting
made from one (an exercise that is not installed skipped, and said), a meeting duplicated for
the lab's next session; bad input changes nothing."""

from __future__ import annotations

import io

import pytest

from facilitation import agendas, store
from facilitation.db import transaction
from facilitation.schema import validate

from .conftest import POLLS


@pytest.fixture
def seed_items():
    return POLLS


@pytest.fixture
def fac(app, login, seeded):
    http = app.test_client()
    login(http)
    http.post("/lang", data={"lang": "en", "next": "/"})
    return http


def meetings(db, lab):
    return {m["id"] for m in store.meetings_of_lab(db, lab)}


def new_meeting(fac, db, lab, **form):
    before = meetings(db, lab)
    response = fac.post(f"/f/labs/{lab}/meetings/from-template", data=form)
    created = meetings(db, lab) - before
    return response, (created.pop() if created else None)


def test_the_shipped_lab_formats_are_offered_with_every_exercise_available(fac, app, seeded):
    page = fac.get("/f/templates").get_data(as_text=True)
    for name in ("Project focus meeting", "Themed lab meeting", "Closing conference"):
        assert name in page
    assert "Obstacle board" in page and "Unavailable" not in page
    lab_page = fac.get(f"/f/labs/{seeded['lab']}").get_data(as_text=True)
    assert 'value="shipped:project_focus"' in lab_page and "unavailable" not in lab_page
    with app.test_request_context():
        focus = agendas.find(None, app.extensions["facilitation.registry"], "shipped:project_focus")
    assert [(i["type"], i["available"]) for i in focus["items"]] == [
        ("poll", True),
        ("board", True),
        ("squad", True),
        ("poll", True),
    ]


def test_a_meeting_from_the_project_focus_template_has_the_whole_agenda(fac, db, seeded):
    response, meeting = new_meeting(
        fac, db, seeded["lab"], template="shipped:project_focus", title="Focus 3", starts_at="2027-03-01T09:30"
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/f/meetings/{meeting}"
    page = fac.get(response.headers["Location"]).get_data(as_text=True)
    assert "Meeting created from the template" in page and "not installed" not in page
    agenda = store.agenda(db, meeting)
    assert [i["exercise_type"] for i in agenda] == ["poll", "board", "squad", "poll"]
    assert agenda[0]["config"]["title"] == "Which needs does your network's project answer first?"
    assert store.meeting(db, meeting)["starts_at"] == "2027-03-01T09:30"


@pytest.mark.parametrize("key", ["shipped:project_focus", "shipped:themed_lab", "shipped:closing_conference"])
def test_every_shipped_template_makes_an_agenda_its_exercises_accept_in_the_reader_s_language(
    app, login, db, seeded, key
):
    http = app.test_client()
    login(http)  # Italian, the default
    response, meeting = new_meeting(http, db, seeded["lab"], template=key, title="Incontro")
    assert response.status_code == 302 and meeting
    registry = app.extensions["facilitation.registry"]
    with app.test_request_context():
        template = agendas.find(db, registry, key)
    agenda = store.agenda(db, meeting)
    assert len(agenda) == sum(1 for i in template["items"] if i["available"]) >= 3
    for item in agenda:
        exercise = registry.exercises[item["exercise_type"]]
        with app.test_request_context():
            assert exercise.validate_config(validate(exercise.config_fields, item["config"])) == item["config"]
    if key == "shipped:themed_lab":
        assert [i["exercise_type"] for i in agenda] == ["poll", "prompt", "prompt", "poll", "poll"]
        assert "terza cultura" in agenda[1]["config"]["prompt"]  # the ready prompt, in Italian
    if key == "shipped:closing_conference":
        assert agenda[0]["exercise_type"] == "questions" and agenda[0]["config"]["moderation"] == "held"


def test_a_meeting_s_agenda_saved_as_a_template_makes_the_same_agenda_elsewhere(fac, db, seeded):
    response = fac.post(
        f"/f/meetings/{seeded['meeting']}/template",
        data={"name": "Il nostro formato", "description": "Quattro sondaggi"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/f/templates"
    saved = store.agenda_templates(db)
    assert [t["name"] for t in saved] == ["Il nostro formato"] and len(saved[0]["items"]) == 4
    assert "Il nostro formato" in fac.get("/f/templates").get_data(as_text=True)
    with transaction(db):
        other_lab = store.save_lab(db, {"title": "Altro lab"}, seeded["networks"][:1])
    _, meeting = new_meeting(fac, db, other_lab, template=f"saved:{saved[0]['id']}", title="Copia")
    original, copied = store.agenda(db, seeded["meeting"]), store.agenda(db, meeting)
    assert [i["exercise_type"] for i in copied] == [i["exercise_type"] for i in original]
    for old, new in zip(original, copied):  # the same settings (and the defaults of those left unset)
        assert new["config"] == {**new["config"], **old["config"]}
    # An empty agenda is not saved.
    with transaction(db):
        empty = store.create_meeting(db, seeded["lab"], {"title": "Vuoto"})
    response = fac.post(f"/f/meetings/{empty}/template", data={"name": "Niente"})
    assert "The agenda is empty" in fac.get(response.headers["Location"]).get_data(as_text=True)
    assert len(store.agenda_templates(db)) == 1


def test_a_meeting_duplicated_for_the_next_session_has_the_same_agenda_none_of_it_opened(fac, db, seeded, sockets):
    from facilitation.api.testing import control

    console = sockets.facilitator()
    control(console, "start")
    control(console, "open", item=seeded["single"])
    control(console, "lock", item=seeded["single"])
    response = fac.post(
        f"/f/meetings/{seeded['meeting']}/duplicate", data={"title": "Incontro 2", "starts_at": "2027-01-12T09:30"}
    )
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    new, old = store.meeting(db, new_id), store.meeting(db, seeded["meeting"])
    assert new["lab_id"] == old["lab_id"] and new["state"] == "draft" and new["join_code"] != old["join_code"]
    assert new["title"] == "Incontro 2" and new["starts_at"] == "2027-01-12T09:30"
    items = store.agenda(db, new_id)
    assert [(i["exercise_type"], i["config"]) for i in items] == [
        (i["exercise_type"], i["config"]) for i in store.agenda(db, seeded["meeting"])
    ]
    assert {i["status"] for i in items} == {"pending"} and not any(i["revealed"] for i in items)


def test_a_saved_template_naming_an_exercise_not_installed_is_offered_and_the_item_skipped(fac, db, seeded):
    with transaction(db):
        template = store.save_agenda_template(
            db,
            "Con la bacheca",
            "",
            [
                {"type": "worldcafe", "label": "World café", "config": {"title": "Tavoli"}},
                {
                    "type": "poll",
                    "label": "Sondaggio",
                    "config": {"title": "Q", "kind": "single", "options": ["A", "B"]},
                },
                {"type": "poll", "label": "Rotto", "config": {"title": "Q", "kind": "single", "options": []}},
            ],
        )
    page = fac.get("/f/templates").get_data(as_text=True)
    assert "World café" in page and "not accepted by the installed exercise" in page
    response, meeting = new_meeting(fac, db, seeded["lab"], template=f"saved:{template}", title="Prova")
    assert [i["exercise_type"] for i in store.agenda(db, meeting)] == ["poll"]
    message = fac.get(response.headers["Location"]).get_data(as_text=True)
    assert "World café" in message and "Rotto" in message


@pytest.mark.parametrize(
    "form",
    [
        {"template": "saved:99999999999999999999999", "title": "X"},
        {"template": "saved:-1", "title": "X"},
        {"template": "shipped:../../etc/passwd", "title": "X"},
        {"template": "shipped:project_focus", "title": "\x00\u202e "},
        {"template": "shipped:project_focus"},
        {},
    ],
)
def test_bad_input_creates_nothing_and_says_why(fac, db, seeded, form, caplog):
    response, meeting = new_meeting(fac, db, seeded["lab"], **form)
    assert response.status_code == 302 and meeting is None
    assert response.headers["Location"].endswith("#from-template")
    assert "error" in fac.get(response.headers["Location"]).get_data(as_text=True)
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]


def test_templates_are_for_facilitators_only_and_unknown_ones_are_not_found(app, fac, db, seeded):
    anonymous = app.test_client()
    for url in ("/f/templates",):
        assert "/f/login" in anonymous.get(url).headers["Location"]
    for url in (
        f"/f/meetings/{seeded['meeting']}/template",
        f"/f/meetings/{seeded['meeting']}/duplicate",
        f"/f/labs/{seeded['lab']}/meetings/from-template",
        "/f/templates/1/delete",
    ):
        assert "/f/login" in anonymous.post(url, data={"title": "x", "name": "x"}).headers["Location"]
    assert fac.post("/f/templates/424242/delete").status_code == 404
    assert fac.post("/f/meetings/424242/duplicate", data={"title": "x"}).status_code == 404
    assert store.agenda_templates(db) == []


def test_the_shipped_templates_texts_are_extracted_for_translation():
    with open(agendas.SHIPPED / "project_focus.json", "rb") as fh:
        found = [(line, message) for line, _, message, _ in agendas.babel_extract(io.BytesIO(fh.read()), [], [], {})]
    messages = [m for _, m in found]
    assert "Project focus meeting" in messages and "Obstacle board" in messages and "Housing" in messages
    assert all(line > 1 for line, _ in found[1:])
