"""Admissions: a facilitator locks a meeting, or admits each new person by hand, live."""

from facilitation import store

from .conftest import control, received


def join(app, seeded, name):
    http = app.test_client()
    response = http.post(f"/j/{seeded['code']}", data={"name": name, "network": str(seeded["networks"][0])})
    return http, response


def test_a_locked_meeting_admits_nobody_new(app, sockets, seeded, db):
    fac = sockets.facilitator()
    control(fac, "start")
    control(fac, "admission", mode="locked")
    _, response = join(app, seeded, "Late")
    assert response.status_code == 400
    assert not store.participants_with_presence(db, seeded["meeting"])
    control(fac, "admission", mode="open")
    assert join(app, seeded, "On time")[1].status_code == 302


def test_admission_by_hand_waits_then_admits_or_refuses_live(app, sockets, seeded, db):
    fac = sockets.facilitator()
    control(fac, "start")
    ack = control(fac, "admission", mode="manual")
    assert received(fac, "meeting")[-1]["args"][0]["meeting"]["admission"] == "manual"

    ada_http, response = join(app, seeded, "Ada")
    assert response.status_code == 302
    waiting_page = ada_http.get(f"/j/{seeded['code']}")
    assert b'id="waiting"' in waiting_page.data and b'http-equiv="refresh"' in waiting_page.data
    told = received(fac, "admission")
    assert [p["name"] for p in told[-1]["args"][0]["waiting"]] == ["Ada"], "the console learns at once"
    # Waiting people cannot open the live channel.
    waiting_socket = app.extensions["socketio"].test_client(
        app, flask_test_client=ada_http, auth={"meeting": seeded["meeting"], "role": "participant"})
    assert not waiting_socket.is_connected()

    bo_http, _ = join(app, seeded, "Bo")
    waiting = store.waiting_participants(db, seeded["meeting"])
    ada, bo = (next(p["id"] for p in waiting if p["name"] == n) for n in ("Ada", "Bo"))
    assert ack["ok"]
    control(fac, "admit", participant=ada, admit=True)
    control(fac, "admit", participant=bo, admit=False)
    last = received(fac, "meeting")[-1]["args"][0]
    assert last["waiting"] == []
    assert b'id="participant"' in ada_http.get(f"/j/{seeded['code']}").data
    assert ada_http.get(f"/j/{seeded['code']}").status_code == 200
    assert bo_http.get(f"/j/{seeded['code']}").status_code == 403
    admitted = app.extensions["socketio"].test_client(
        app, flask_test_client=ada_http, auth={"meeting": seeded["meeting"], "role": "participant"})
    assert admitted.is_connected()
    refused = app.extensions["socketio"].test_client(
        app, flask_test_client=bo_http, auth={"meeting": seeded["meeting"], "role": "participant"})
    assert not refused.is_connected()
    # Deciding twice, or about someone not waiting, is an error and changes nothing.
    again = fac.emit("control", {"cmd": "admit", "participant": bo, "admit": True}, callback=True)
    assert again["ok"] is False and again["error"]["code"] == "not_found"
    admitted.disconnect()


def test_participants_cannot_admit(app, sockets, seeded):
    fac = sockets.facilitator()
    control(fac, "start")
    ada = sockets.participant("Ada")
    ack = ada.emit("control", {"cmd": "admit", "participant": 1, "admit": True}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"


def test_the_projector_is_not_told_who_waits(app, sockets, seeded):
    fac = sockets.facilitator()
    projector = sockets.facilitator(role="projector")
    control(fac, "start")
    control(fac, "admission", mode="manual")
    received(projector)
    join(app, seeded, "Private Person")
    assert received(fac, "admission") and not received(projector, "admission")
    assert all("waiting" not in m["args"][0] for m in received(projector, "meeting"))


def test_a_meeting_can_be_locked_before_it_starts(app, sockets, seeded, db):
    fac = sockets.facilitator()
    control(fac, "admission", mode="locked")
    assert store.meeting(db, seeded["meeting"])["state"] == "draft"
    assert join(app, seeded, "Early")[1].status_code == 400


def test_the_projector_snapshot_counts_people_without_naming_them(app, sockets, seeded):
    http, _ = join(app, seeded, "Private Person")
    sockets.participant(http=http)
    projector = sockets.facilitator(role="projector")
    people = received(projector, "snapshot")[-1]["args"][0]["participants"]
    assert people == [{"id": people[0]["id"], "online": 1}]
    console = sockets.facilitator()
    assert received(console, "snapshot")[-1]["args"][0]["participants"][0]["name"] == "Private Person"
