"""An exercise with a heavy participant view (questions) asks for participants' pushes at a
slower pace: the console and the projector get every push, the phones one a second, and
nothing a phone should see is lost, only gathered. The pace's clock is the test's own."""

import pytest

from facilitation.api.testing import act, control, received

OPEN = {"title": "Domande", "moderation": "open", "names": "choice", "per_person": 5, "top": 3}


@pytest.fixture
def seed_items():
    return [("questions", "questions", OPEN, "meeting"), ("poll", "poll",
            {"title": "Colore?", "kind": "single", "options": ["A", "B"], "hide_results": False}, "meeting")]


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def texts(client):
    """The questions in each results push a client got, oldest first."""
    return [[q["text"] for q in m["args"][0]["item"]["view"].get("questions", [])]
            for m in received(client, "results")]


def test_phones_get_questions_once_a_second_and_the_console_every_push(sockets, seeded, app):
    pushes = app.extensions["facilitation.engine"].pushes
    clock = pushes.clock = Clock()
    n1, n2 = seeded["networks"][:2]
    fac, screen = sockets.facilitator(), sockets.facilitator(role="projector")
    ada, bo = sockets.participant("Ada", n1), sockets.participant("Bo", n2)
    control(fac, "start")
    control(fac, "open", item=seeded["questions"])
    for c in (fac, screen, ada, bo):
        received(c)

    # The first question after a quiet spell reaches everyone at the next push.
    assert act(ada, seeded["questions"], "ask", {"text": "Primo?"})["ok"]
    pushes.flush()
    assert texts(fac) == texts(ada) == texts(bo) == [["Primo?"]] and len(received(screen, "results")) == 1

    # Within the second: the console and the projector get the next ones, the phones wait.
    clock.now += 0.25
    assert act(bo, seeded["questions"], "ask", {"text": "Secondo?"})["ok"]
    pushes.flush()
    assert texts(fac) == [["Primo?", "Secondo?"]] and len(received(screen, "results")) == 1
    assert texts(ada) == [] and texts(bo) == []
    clock.now += 0.25
    assert act(ada, seeded["questions"], "ask", {"text": "Terzo?"})["ok"]
    pushes.flush()
    assert len(texts(fac)) == 1 and texts(ada) == []

    # A second after their last push the phones get one push with everything since, without a new change.
    clock.now += 0.5
    pushes.flush()
    assert sorted(texts(ada)[0]) == ["Primo?", "Secondo?", "Terzo?"] and len(texts(bo)) == 1
    assert received(fac, "results") == []  # nothing new for the console: it had it all
    pushes.flush()
    assert received(ada, "results") == []  # nothing held any more


def test_a_poll_keeps_every_push_for_everyone(sockets, seeded, app):
    pushes = app.extensions["facilitation.engine"].pushes
    pushes.clock = Clock()  # frozen: a pace would hold the second push back
    n1, n2 = seeded["networks"][:2]
    fac = sockets.facilitator()
    ada, bo = sockets.participant("Ada", n1), sockets.participant("Bo", n2)
    control(fac, "start")
    control(fac, "open", item=seeded["poll"])
    for c in (fac, ada, bo):
        received(c)
    for who, choice in ((ada, 0), (bo, 1)):
        assert act(who, seeded["poll"], "answer", {"value": choice})["ok"]
        pushes.flush()
        assert len(received(bo, "results")) == 1 and len(received(fac, "results")) == 1


def members(client):
    """The names in each team_presence a client got, oldest first."""
    return [[m["name"] for m in msg["args"][0]["members"]] for msg in received(client, "team_presence")]


def test_a_team_hears_who_joins_once_a_second_and_the_console_at_every_push(sockets, seeded, app):
    pushes = app.extensions["facilitation.engine"].pushes
    clock = pushes.clock = Clock()
    n1, n2 = seeded["networks"][:2]
    fac = sockets.facilitator()
    ada = sockets.participant("Ada", n1)
    pushes.flush()
    clock.now += 5
    for c in (fac, ada):
        received(c)

    # The first arrival after a quiet spell: everyone concerned hears it at the next push.
    bo = sockets.participant("Bo", n1)
    pushes.flush()
    assert members(ada) == members(bo) == members(fac) == [["Ada", "Bo"]]

    # Within the second: the console hears each arrival, the team waits, and another team is not told.
    clock.now += 0.25
    cy = sockets.participant("Cy", n1)
    dee = sockets.participant("Dee", n2)
    pushes.flush()
    assert sorted(members(fac)) == [["Ada", "Bo", "Cy"], ["Dee"]]
    assert members(ada) == [] and members(bo) == [] and members(dee) == [["Dee"]]
    clock.now += 0.25
    bo.disconnect()
    pushes.flush()
    assert members(fac) == [["Ada", "Cy"]] and members(ada) == []

    # A second after the team's last list, one list with everything since, without a new change.
    clock.now += 0.5
    pushes.flush()
    assert members(ada) == members(cy) == [["Ada", "Cy"]] and members(dee) == []
    assert members(fac) == []
    pushes.flush()
    assert members(ada) == []


def test_teams_presence_goes_out_one_team_per_turn_of_the_loop(sockets, seeded, app, monkeypatch):
    """35 teams of 57 are 2,000 frames: written in one turn of the event loop they held every ack
    and every console's control for 100-150 ms. The loop turns between two teams' lists."""
    pushes = app.extensions["facilitation.engine"].pushes
    pushes.clock = Clock()
    n1, n2 = seeded["networks"][:2]
    sockets.participant("Ada", n1)
    sockets.participant("Dee", n2)
    done = []
    emit, sleep = pushes.socketio.emit, pushes.socketio.sleep
    monkeypatch.setattr(pushes.socketio, "emit", lambda event, data, to=None, **kw: (
        done.append((event, to)), emit(event, data, to=to, **kw)))
    monkeypatch.setattr(pushes.socketio, "sleep", lambda seconds=0: (done.append(("turn", None)), sleep(seconds)))
    pushes.flush()
    to_teams = [i for i, (event, to) in enumerate(done) if event == "team_presence" and ":t:" in str(to)]
    assert len(to_teams) == 2
    assert ("turn", None) in done[to_teams[0] + 1:to_teams[1]]
