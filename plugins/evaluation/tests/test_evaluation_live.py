"""The questionnaire in meetings: who receives what, what each network archives, and its
figures against its T0 across three meetings of the same network, with known answers,
anonymous and not, in every format reports use."""

import time

import pytest
from flask import render_template_string

from facilitation.api.testing import act, add_version, archive, control, flush, received, store, transaction, versions

CONFIG = {
    "title": "Valutazione",
    "criteria": ["Competenza", "Personalizzazione", "Temi"],
    "critical": ["Tempo", "Persone disponibili"],
    "indicators": ["Coprogettazione", "Lavoro di squadra"],
    "questions": ["Quali strumenti avete usato?"],
    "anonymous": True,
}


@pytest.fixture
def seed_items():
    return [("evaluation", "evaluation", CONFIG, "meeting"), ("second", "evaluation", CONFIG, "other_meeting")]


def latest_results(app, client, until, timeout=20.0):
    """The view of the newest ``results`` a client got, once ``until(view)`` holds. Results are
    pushed by a background task too, which may take a change before ``flush`` does: wait for the
    condition rather than for a time."""
    deadline = time.monotonic() + timeout
    view = None
    while True:
        flush(app)
        got = received(client, "results")
        if got:
            view = got[-1]["args"][0]["item"]["view"]
        if (view is not None and until(view)) or time.monotonic() > deadline:
            return view
        time.sleep(0.02)


def answers(recommend=None, ratings=(), **values):
    return {"recommend": recommend, "ratings": list(ratings), **values}


def test_nobody_but_the_person_receives_an_answer_and_facilitators_get_the_figures(app, sockets, seeded):
    n1, n2 = seeded["networks"][:2]
    fac = sockets.facilitator()
    ada = sockets.participant("Ada", n1)
    bo = sockets.participant("Bo", n2)
    control(fac, "start")
    control(fac, "open", item=seeded["evaluation"])
    for client in (fac, ada, bo):
        received(client)
    ack = act(
        ada,
        seeded["evaluation"],
        "answer",
        answers(9, [4, 3], comments="Serve più tempo per i casi", process=["Il patto di collaborazione"]),
    )
    assert ack["ok"] and ack["reply"]["answer"]["m"] == "Serve più tempo per i casi"
    assert act(bo, seeded["evaluation"], "answer", answers(7, [2, 2]))["ok"]
    # Two people, anonymous: the console sees how many answered, not what.
    view = latest_results(app, fac, lambda v: v["answered"] == 2)
    assert view["overall"] == {"n": 2, "hidden": True} and "Serve più tempo" not in repr(view)
    got_bo = received(bo)
    assert "Serve più tempo" not in repr(got_bo) and "patto di collaborazione" not in repr(got_bo)
    assert not any(m["name"] == "results" for m in got_bo), "hidden until the facilitator shows the figures"
    carla = sockets.participant("Carla", n1)
    assert act(carla, seeded["evaluation"], "answer", answers(10, [5, 5], comments="Ottimo"))["ok"]
    view = latest_results(app, fac, lambda v: v["answered"] == 3)
    assert view["overall"]["n"] == 3 and view["overall"]["recommend"]["mean"] == pytest.approx(8.67)
    assert [e["text"] for e in view["texts"]["comments"]] == ["Ottimo", "Serve più tempo per i casi"]
    assert view["by_network"][str(n1)] == {"n": 2, "hidden": True}
    # Shown to the room: everyone's figures reach participants, still nobody's words.
    received(bo)
    control(fac, "reveal", item=seeded["evaluation"])
    shown = [m for m in received(bo) if m["name"] in ("meeting", "results")]
    assert shown and "overall" in repr(shown) and "Ottimo" not in repr(shown) and "by_network" not in repr(shown)


def test_refused_answers_change_nothing(sockets, seeded, db):
    fac = sockets.facilitator()
    ada = sockets.participant("Ada")
    control(fac, "start")
    assert act(ada, seeded["evaluation"], "answer", answers(5))["error"]["code"] == "closed"
    control(fac, "open", item=seeded["evaluation"])
    for bad, code in (
        (answers(11), "invalid"),
        (answers(ratings=[9]), "invalid"),
        (answers(), "empty"),
        ({"recommend": 9.5}, "invalid"),
        ({"stars": 5}, "invalid"),
        (answers(criteria=[0, 0]), "invalid"),
        (answers(use="x" * 501), "invalid"),
    ):
        assert act(ada, seeded["evaluation"], "answer", bad)["error"]["code"] == code, bad
    assert act(ada, seeded["evaluation"], "vote", {"value": 1})["error"]["code"] == "unknown_action"
    assert act(fac, seeded["evaluation"], "answer", answers(5))["error"]["code"] == "forbidden"
    control(fac, "lock", item=seeded["evaluation"])
    assert versions(db, seeded["networks"][0], "evaluation") == []


def run_meeting(sockets, db, meeting_id, item, people):
    code = store.meeting(db, meeting_id)["join_code"]
    fac = sockets.facilitator(meeting=meeting_id)
    control(fac, "start")
    control(fac, "open", item=item)
    for name, network, values in people:
        person = sockets.participant(http=sockets.join(name, network, code=code), meeting=meeting_id)
        assert act(person, item, "answer", values)["ok"]
    control(fac, "end")


def render(app, artifact, fmt, names):
    with app.test_request_context():
        out = archive(artifact, fmt, names)
        return str(out) if fmt == "markdown" else render_template_string("{{ html }}", html=out)


@pytest.fixture
def three_meetings(app, db, sockets, seeded):
    """Three meetings of the same lab: T0 anonymous (three people of the first network, one of
    the second), then anonymous with two people of the first network (too few to show), then
    with names (two people)."""
    n1, n2 = seeded["networks"][:2]
    with transaction(db):
        third = store.create_meeting(db, seeded["lab"], {"title": "Incontro 3"})
        named = store.add_item(db, third, "evaluation", {**CONFIG, "anonymous": False})
    run_meeting(
        sockets,
        db,
        seeded["meeting"],
        seeded["evaluation"],
        [
            ("Ada", n1, answers(9, [2, 1], use="Per progettare", comments="Utile", process=["Il patto"])),
            ("Bo", n1, answers(10, [2, 2], criteria=[0])),
            ("Cy", n1, answers(6, [3, 3], critical=[0])),
            ("Di", n2, answers(3, [1, 1], comments="Solo la mia voce")),
        ],
    )
    run_meeting(
        sockets,
        db,
        seeded["other_meeting"],
        seeded["second"],
        [
            ("Ada", n1, answers(9, [4, 4], comments="Cresciuti")),
            ("Bo", n1, answers(9, [4, 4])),
        ],
    )
    run_meeting(
        sockets,
        db,
        third,
        named,
        [
            ("Ada", n1, answers(10, [4, 5], comments="Molto meglio")),
            ("Bo", n1, answers(8, [5, 5])),
        ],
    )
    found = versions(db, n1, "evaluation")
    assert [v["meeting_title"] for v in found] == ["Incontro 1", "Incontro 2", "Incontro 3"]
    return [{**v, "exercise_type": "evaluation", "network_id": n1} for v in found]


def test_each_network_compares_with_its_t0_and_its_previous_questionnaire(app, db, seeded, three_meetings):
    t0, small, named = three_meetings
    assert t0["data"]["network"]["n"] == 3 and "answers" not in t0["data"]
    assert "Solo la mia voce" not in repr(three_meetings), "a network keeps only its own people's words"
    html = render(app, named, "html", names=True)
    assert "T0" in html and "Coprogettazione" in html
    assert "2,33 (3 persone)" in html or "2.33" in html or "2,3 (3 persone)" in html
    markdown = render(app, named, "markdown", names=True)
    row = next(line for line in markdown.splitlines() if line.startswith("| Coprogettazione"))
    # T0: 2, 2, 3 -> 2.3; previous: two people of an anonymous questionnaire, hidden; now: 4 and 5.
    assert row == "| Coprogettazione | 2,3 (3 persone) | – | 4,5 (2 persone) | +2,17 |"
    assert "Molto meglio (Ada)" in markdown
    without = render(app, named, "markdown", names=False)
    assert "Molto meglio" in without and "(Ada)" not in without and "Ada" not in render(app, named, "print", False)


def test_a_small_anonymous_group_shows_no_figures_in_any_format(app, three_meetings):
    _t0, small, _named = three_meetings
    for fmt in ("html", "print", "markdown"):
        out = render(app, small, fmt, names=True)
        assert "Meno di 3 persone di questa rete" in out, fmt
        assert "Cresciuti" not in out and "4,0 (2 persone)" not in out, fmt
    first = render(app, three_meetings[0], "markdown", names=True)
    assert "primo questionario della rete: il suo T0" in first and "Ada" not in first
    assert "Per progettare" in first and "| Competenza | 1 | 1 |" in first


def questionnaire(network_tally, anonymous=True, indicators=("Coprogettazione", "Lavoro di squadra")):
    """A network's archived questionnaire with the given tally of its people's answers."""
    return {"schema": 1, "title": "Valutazione", "criteria": ["Competenza"], "critical": [],
            "indicators": list(indicators), "questions": [], "anonymous": anonymous, "network": network_tally,
            "overall": network_tally, "texts": {"use": [], "comments": [], "process": []}, "answers": []}


def tally(*ratings):
    """A network's tally from each person's ratings of the indicators."""
    e = [[0] * 5 for _ in ratings[0]]
    for person in ratings:
        for i, r in enumerate(person):
            if r:
                e[i][r - 1] += 1
    return {"n": len(ratings), "r": [0] * 11, "c": [0], "k": [], "e": e}


def test_the_comparison_matches_an_indicator_by_its_wording_and_each_version_by_its_place(app, db, seeded):
    n = seeded["networks"][2]
    with transaction(db):
        add_version(db, n, questionnaire(tally([2, 1], [2, 2], [3, 3])), exercise_type="evaluation")
        add_version(db, n, questionnaire(tally([4, 4], [4, 4])), exercise_type="evaluation")  # two: hidden
        add_version(db, n, questionnaire(tally([4, 5], [5, 5]), anonymous=False,
                                         indicators=("Coprogettazione", "lavoro  di SQUADRA", "Nuovo")),
                    exercise_type="evaluation")
    t0, small, named = (render(app, {**v, "exercise_type": "evaluation", "network_id": n}, "markdown", names=True)
                        for v in versions(db, n, "evaluation"))

    def rows(markdown):
        return [line for line in markdown.splitlines() if line.startswith("| Indicatore") or line.startswith(
            ("| Coprogettazione", "| lavoro", "| Lavoro", "| Nuovo"))]

    # The T0 compares with nothing; the second with its T0 only (its previous is the T0).
    assert "il suo T0" in t0 and rows(t0)[0] == "| Indicatore | Questo questionario |"
    assert rows(small)[:2] == ["| Indicatore | T0 | Questo questionario | Variazione dal T0 |",
                               "| Coprogettazione | 2,3 (3 persone) | – | – |"]
    assert rows(named) == [
        "| Indicatore | T0 | Questionario precedente | Questo questionario | Variazione dal T0 |",
        "| Coprogettazione | 2,3 (3 persone) | – | 4,5 (2 persone) | +2,17 |",
        # The same wording, spaces and case aside, is the same indicator; a new one has no T0.
        "| lavoro di SQUADRA | 2,0 (3 persone) | – | 5,0 (2 persone) | +3,00 |",
        "| Nuovo | – | – | – | – |",
    ]


def test_the_archive_page_and_the_journey_show_the_comparison(app, db, seeded, login, three_meetings):
    n1 = seeded["networks"][0]
    http = app.test_client()
    login(http)
    page = http.get(f"/f/networks/{n1}/archive").get_data(as_text=True)
    assert page.count('class="evaluation-archive"') == 3 and "Questo è il primo questionario" in page
    journey = http.get(f"/f/networks/{n1}/journey").get_data(as_text=True)
    assert 'id="evaluation-journey"' in journey and "<svg" in journey
    assert journey.count("Meno di 3 persone") >= 1


def test_erasing_a_person_removes_their_name_from_the_answers_and_keeps_the_answers(app, db, sockets, seeded, login):
    n1 = seeded["networks"][0]
    with transaction(db):
        item = store.add_item(db, seeded["meeting"], "evaluation", {**CONFIG, "anonymous": False})
    fac = sockets.facilitator()
    zelda = sockets.participant("Zelda Quintavalle", n1)
    zelda_id = received(zelda, "snapshot")[0]["args"][0]["me"]["id"]
    control(fac, "start")
    control(fac, "open", item=item)
    assert act(zelda, item, "answer", answers(9, [4, 4], comments="Più incontri in presenza"))["ok"]
    control(fac, "lock", item=item)
    assert "Zelda Quintavalle" in repr(versions(db, n1, "evaluation"))
    http = app.test_client()
    login(http)
    assert http.post(f"/f/participants/{zelda_id}/erase").status_code == 302
    kept = repr(versions(db, n1, "evaluation")) + repr(store.state_items(db, f"i{item}"))
    assert "Zelda Quintavalle" not in kept and "Più incontri in presenza" in kept


def test_the_facilitators_wording_is_text_in_charts_and_tables(app):
    hostile = '<script>alert("x")</script> & «citt\u00e0»'
    data = {"schema": 1, "title": hostile, "criteria": [hostile, "B"], "critical": [], "indicators": [hostile],
            "questions": [hostile], "anonymous": False,
            "network": {"n": 1, "r": [0] * 10 + [1], "c": [1, 0], "k": [], "e": [[0, 0, 0, 0, 1]]},
            "overall": {"n": 1, "r": [0] * 10 + [1], "c": [1, 0], "k": [], "e": [[0, 0, 0, 0, 1]]},
            "texts": {"use": [], "comments": [{"text": hostile, "who": hostile}], "process": [[{"text": hostile}]]},
            "answers": []}
    artifact = {"id": None, "exercise_type": "evaluation", "title": hostile, "data": data, "network_id": None}
    for fmt in ("html", "print"):
        out = render(app, artifact, fmt, names=True)
        assert "<script>" not in out and "&lt;script&gt;" in out, fmt
    markdown = render(app, artifact, "markdown", names=True)
    assert "| <script>alert(\"x\")</script> & «città» | 1 | 1 |" in markdown  # as typed, on one line, as every Markdown export


def test_the_programme_dashboard_adds_up_satisfaction_and_shows_efficacy_since_t0(app, db, seeded, login, three_meetings):
    """Eight people in the three questionnaires (scores 9, 10, 6 and 3; 9, 9; 10, 8): five of them
    would recommend it. The second network's one person is a group too small to show alone."""
    n1, n2 = seeded["networks"][:2]
    http = app.test_client()
    login(http)
    page = http.get("/f/reports").get_data(as_text=True)
    assert "Soddisfazione" in page and "Efficacia dal T0" in page
    recommend = http.get("/f/reports/satisfaction/recommend.csv").get_data(as_text=True).lstrip("\ufeff")
    counts = [line.split(",") for line in recommend.splitlines()[1:]]
    assert {int(score): int(people) for score, people in counts} == {
        **{s: 0 for s in range(11)}, 3: 1, 6: 1, 8: 1, 9: 3, 10: 2
    }
    indicators = http.get("/f/reports/efficacy/indicators.csv").get_data(as_text=True)
    # The first network: T0 (2, 2, 3 -> 2.33) and now (the named questionnaire: 4 and 5 -> 4.5).
    first = store.network(db, n1)["name"]
    row = next(line for line in indicators.splitlines() if line.startswith(f"{first},Coprogettazione"))
    assert row.split(",")[2:] == ["2.33", "4.5", "2.17"]
    # One person of the second network, anonymous: no figures, only how many answered.
    alone = http.get(f"/f/reports?network={n2}").get_data(as_text=True)
    assert "Meno di 3 persone hanno risposto in forma anonima" in alone
    assert http.get(f"/f/reports/satisfaction/recommend.csv?network={n2}").status_code == 404
