"""Hostile clients at the transport, against the real server (``facilitation serve``, eventlet).

Raw Engine.IO / Socket.IO clients (websocket-client, and plain HTTP for long-polling) send
what a hostile program can: reserved event names, floods, malformed frames, connections
that never authenticate. Each test checks what the sender got, that bystanders keep being
served, and that the server logged no traceback. Floods come from their own loopback
addresses (127.0.0.2 and up), as an attacker's would, so the address penalty they earn
does not touch the bystanders'.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import sqlite3
import time
import urllib.error
import urllib.request

import pytest
import websocket

from facilitation.live.websocket import unmask

from .liveserver import FormClient, LiveServer, facilitator, join_participants, wait_until

DEADLINE = 3  # SOCKET_AUTH_DEADLINE of the test server
REFUSED = (websocket.WebSocketBadStatusException, websocket.WebSocketConnectionClosedException, ConnectionError)
PENALTY = 15  # SOCKET_PENALTY_SECONDS: long enough to be seen under CPU contention


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("inbound"), env={
        "FACILITATION_SOCKET_AUTH_DEADLINE": str(DEADLINE),
        "FACILITATION_SOCKET_PENALTY_SECONDS": str(PENALTY),
    })
    server.seed_info = server.seed(polls=1)
    server.start()
    fac = facilitator(server, server.seed_info)
    for cmd, extra in (("start", {}), ("open", {"item": server.seed_info["items"][0]})):
        assert fac.control(cmd, **extra)["ok"]
    server.fac = fac
    yield server
    fac.close()
    server.stop()
    print(server.log())  # shown by pytest only when a test failed


def no_traceback(server) -> None:
    assert "Traceback" not in server.log(), server.log()[-3000:]


class Raw:
    """A raw client over one websocket: Engine.IO and Socket.IO frames as text, nothing checked."""

    def __init__(self, server, cookie: str = "", source: str = "127.0.0.1"):
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=30, source_address=(source, 0))
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{server.port}/socket.io/?EIO=4&transport=websocket",
                                              socket=sock, cookie=cookie or None, timeout=30)
        assert self.ws.recv().startswith("0{"), "no Engine.IO OPEN packet"
        self.ids = itertools.count(1)
        self.events: list = []

    def connect(self, auth: dict) -> str:
        self.ws.send("40" + json.dumps(auth))
        return self.read(lambda f: f.startswith(("40", "44")))

    def read(self, wanted, timeout: float = 30):
        """Frames until ``wanted(frame)``; pings answered, events kept."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            frame = self.ws.recv()
            if frame == "2":
                self.ws.send("3")
            elif wanted(frame):
                return frame
            elif isinstance(frame, str) and frame.startswith("42"):
                self.events.append(json.loads(frame[2:]))
        raise AssertionError("no answer in time")

    def call(self, *args, raw: str | None = None):
        """Send an event asking for an ack (or ``raw`` after ``42<id>``); return the ack's argument."""
        n = next(self.ids)
        self.ws.send(f"42{n}" + (raw if raw is not None else json.dumps(list(args))))
        return json.loads(self.read(lambda f: isinstance(f, str) and f.startswith(f"43{n}["))[2 + len(str(n)):])[0]

    def closed_by_server(self, timeout: float = 30) -> bool:
        """Whether the server closes this connection within ``timeout`` (everything it sends is read)."""
        self.ws.settimeout(timeout)
        try:
            while True:
                frame = self.ws.recv()
                if frame == "" or frame is None:
                    return True
                if isinstance(frame, str) and frame.startswith("42"):
                    self.events.append(json.loads(frame[2:]))
        except (websocket.WebSocketConnectionClosedException, ConnectionError, OSError):
            return True
        except websocket.WebSocketTimeoutException:
            return False

    def close_code(self, timeout: float = 30) -> int | None:
        """The status code of the websocket close frame the server sends (None: closed without one)."""
        self.ws.settimeout(timeout)
        try:
            while True:
                opcode, frame = self.ws.recv_data_frame(True)
                if opcode == websocket.ABNF.OPCODE_CLOSE:
                    return int.from_bytes(frame.data[:2], "big") if len(frame.data) >= 2 else None
        except (websocket.WebSocketConnectionClosedException, ConnectionError, OSError):
            return None

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:  # already closed by the server
            pass


def expect_error(raw: Raw, frame, code="malformed") -> dict:
    opcode = websocket.ABNF.OPCODE_BINARY if isinstance(frame, bytes) else websocket.ABNF.OPCODE_TEXT
    raw.ws.send(frame, opcode=opcode)
    found = raw.read(lambda f: isinstance(f, str) and f.startswith('42["error"'))
    name, body = json.loads(found[2:])
    assert body["code"] == code and body["message"], body
    return body


def participant_cookie(server, name: str) -> str:
    http = FormClient(server.url)
    http.join(server.seed_info["code"], name, server.seed_info["networks"][0])
    return http.cookie_header()


def auth(server) -> dict:
    return {"meeting": server.seed_info["meeting"], "role": "participant"}


def vote(item, value, cid):
    return {"item": item, "type": "answer", "payload": {"value": value}, "cid": cid}


def presences(fac, name: str) -> list[bool]:
    with fac.lock:
        return [p["online"] for event, m in fac.events if event == "presence" for p in m["people"] if p["name"] == name]


def test_reserved_event_names_never_reach_the_lifecycle_handlers(server):
    item = server.seed_info["items"][0]
    raw = Raw(server, participant_cookie(server, "Riservata"))
    assert raw.connect(auth(server)).startswith("40{")
    assert wait_until(lambda: True in presences(server.fac, "Riservata")), "the console never saw her online"
    for args in (["disconnect"], ["connect", auth(server)], ["connect_error"], ["disconnecting"]):
        ack = raw.call(*args)
        assert ack["ok"] is False and ack["error"]["code"] == "reserved_event" and ack["error"]["message"], ack
    # The server still knows her socket: her vote counts, her attendance is open, nobody saw her leave.
    assert raw.call("action", vote(item, 1, "reserved-1"))["ok"] is True
    with server.fac.lock:
        pushes = len(server.fac.events)
    assert wait_until(lambda: len(server.fac.events) > pushes), "the console got no push after her vote"
    assert False not in presences(server.fac, "Riservata")
    with sqlite3.connect(server.db_path) as db:
        open_rows = db.execute("SELECT count(*) FROM attendance a JOIN participants p ON p.id = a.participant_id "
                               "WHERE p.name = 'Riservata' AND a.left_at IS NULL").fetchone()[0]
    assert open_rows == 1
    raw.close()  # a real disconnect is still seen as one
    assert wait_until(lambda: False in presences(server.fac, "Riservata"))
    no_traceback(server)


def test_malformed_frames_get_the_documented_error(server):
    item = server.seed_info["items"][0]
    raw = Raw(server, participant_cookie(server, "Malformata"), source="127.0.0.8")
    assert raw.connect(auth(server)).startswith("40{")
    nested = "[" * 1500 + "]" * 1500
    for frame in ("x", "", "9", "6", "4x", '42["action",', '42["action",' + nested + "]", "44{}", "431[true]",
                  b"\x00\x01binary"):
        expect_error(raw, frame)
    raw.close()
    # Frames that say which ack they wanted get the error as that ack (a fresh connection: past
    # SOCKET_MALFORMED_LIMIT, 10, malformed frames a connection is closed).
    raw = Raw(server, participant_cookie(server, "Malformata 2"), source="127.0.0.8")
    assert raw.connect(auth(server)).startswith("40{")
    for body in ("[]", "[1,{}]", '[["action"]]', '["' + "a" * 65 + '"]'):
        ack = raw.call(raw=body)
        assert ack["ok"] is False and ack["error"]["code"] == "malformed", (body, ack)
    # A binary placeholder pointing nowhere: refused, and its attachment skipped.
    n = next(raw.ids)
    raw.ws.send(f'451-{n}["action",{{"_placeholder":true,"num":7}}]')
    raw.ws.send(b"\xff" * 10, opcode=websocket.ABNF.OPCODE_BINARY)
    ack = json.loads(raw.read(lambda f: isinstance(f, str) and f.startswith(f"43{n}["))[2 + len(str(n)):])[0]
    assert ack["error"]["code"] == "malformed"
    # Still served after 5 malformed frames: a valid vote goes through.
    assert raw.call("action", vote(item, 2, "malformed-ok"))["ok"] is True
    for _ in range(12):  # then repeated malformed frames close the connection
        try:
            raw.ws.send("x")
        except (websocket.WebSocketConnectionClosedException, OSError):
            break
    assert raw.closed_by_server(), "the connection stayed open after repeated malformed frames"
    no_traceback(server)


def test_malformed_long_polling_posts_are_refused(server):
    base = f"{server.url}/socket.io/?EIO=4&transport=polling"
    with urllib.request.urlopen(base, timeout=30) as answer:
        sid = json.loads(answer.read().decode()[1:])["sid"]

    def post(body: bytes) -> int:
        try:
            with urllib.request.urlopen(urllib.request.Request(f"{base}&sid={sid}", data=body), timeout=30) as answer:
                return answer.status
        except urllib.error.HTTPError as exc:
            return exc.code

    assert post(b"\xff\xfe") == 400  # not UTF-8
    assert post(b"x") == 400  # not an Engine.IO packet
    assert post("\x1e".join(["6"] * 17).encode()) == 400  # more packets than Engine.IO decodes
    assert post(b"d=40") == 400  # JSONP is not used
    assert post(b"6") == 400  # a NOOP: Engine.IO would close and wait for a poll forever
    assert post(b"3") == 200  # a PONG is fine
    no_traceback(server)


def test_a_flooding_connection_is_closed_while_a_bystander_is_served(server):
    item = server.seed_info["items"][0]
    [bystander] = join_participants(server, server.seed_info, 1, prefix="Passante")
    flooder = Raw(server, participant_cookie(server, "Inondatore"), source="127.0.0.2")
    assert flooder.connect(auth(server)).startswith("40{")
    frame = '42["x","' + "A" * 1000 + '"]'
    sent = 0
    try:
        for _ in range(5000):  # 5 MB: far past the budget of 100 frames and 512 KB
            flooder.ws.send(frame)
            sent += 1
    except (websocket.WebSocketConnectionClosedException, OSError):
        pass
    assert flooder.closed_by_server(), f"still open after {sent} frames"
    # Its address waits before it may connect again (reset at accept, or 429); other addresses do not.
    with pytest.raises(REFUSED):
        Raw(server, source="127.0.0.2")
    other = Raw(server, source="127.0.0.3")
    other.close()
    ack = bystander.vote(item, 3)
    assert ack["ok"] is True, ack
    assert wait_until(lambda: _connects(server, "127.0.0.2"), timeout=PENALTY + 20), "the penalty never ended"
    bystander.close()
    no_traceback(server)


def _connects(server, source: str) -> bool:
    try:
        Raw(server, source=source).close()
        return True
    except REFUSED:
        time.sleep(0.2)
        return False


def test_a_connection_that_never_authenticates_is_closed_after_the_deadline(server):
    started = time.monotonic()
    idle = Raw(server, source="127.0.0.4")  # no cookie, no Socket.IO connect
    assert idle.closed_by_server(timeout=DEADLINE + 30), "an idle anonymous connection stayed open"
    assert time.monotonic() - started >= DEADLINE - 0.5  # not before its deadline
    # A connection that leaves the namespace but stays open is back to the deadline.
    left = Raw(server, participant_cookie(server, "Uscita"), source="127.0.0.4")
    assert left.connect(auth(server)).startswith("40{")
    left.ws.send("41")
    assert left.closed_by_server(timeout=DEADLINE + 30), "an open connection outside the namespace stayed open"
    # Before authenticating, a connection may send little: 20 KB close it at once.
    greedy = Raw(server, source="127.0.0.5")
    greedy.ws.send('42["x","' + "A" * 20_000 + '"]')
    assert greedy.closed_by_server(timeout=DEADLINE + 30)
    no_traceback(server)


def test_the_websocket_layer_bounds_messages_pings_and_drafts(server):
    # A message in more fragments than a browser ever sends: 65 (nothing left unread, so the
    # server's close frame is not lost to a reset).
    raw = Raw(server, participant_cookie(server, "Frammenti"), source="127.0.0.6")
    raw.connect(auth(server))
    raw.ws.send_frame(websocket.ABNF.create_frame("42", websocket.ABNF.OPCODE_TEXT, fin=0))
    for _ in range(64):
        raw.ws.send_frame(websocket.ABNF.create_frame("A", websocket.ABNF.OPCODE_CONT, fin=0))
    assert raw.close_code() == 1009  # "message too big", from the websocket layer
    # Pings beyond a few: each waits for its pong, until the server answers with a close instead.
    pinger = Raw(server, participant_cookie(server, "Ping"), source="127.0.0.7")
    pinger.connect(auth(server))
    code = None
    for _ in range(200):
        pinger.ws.ping("x")
        opcode, frame = pinger.ws.recv_data_frame(True)
        while opcode not in (websocket.ABNF.OPCODE_PONG, websocket.ABNF.OPCODE_CLOSE):
            opcode, frame = pinger.ws.recv_data_frame(True)
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            code = int.from_bytes(frame.data[:2], "big")
            break
    assert code == 1008  # "policy violation"
    # The 2010 draft handshake (no Sec-WebSocket-Version): refused.
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                     "Upgrade: WebSocket\r\nConnection: Upgrade\r\n"
                     f"Origin: http://127.0.0.1:{server.port}\r\n\r\n".encode())
        status = sock.recv(4096).split(b"\r\n", 1)[0]
    assert b" 400 " in status, status
    no_traceback(server)


def test_under_gevent_an_oversize_message_is_refused_while_it_arrives(tmp_path):
    """simple-websocket gets the message limit Engine.IO does not give it: close 1009 (message
    too big) from the websocket layer as the limit is passed, instead of a message of any size
    buffered whole first."""
    gevent_server = LiveServer(tmp_path / "gevent", env={"FACILITATION_ASYNC_MODE": "gevent"})
    gevent_server.seed_info = gevent_server.seed(polls=1)
    gevent_server.start()
    try:
        raw = Raw(gevent_server, participant_cookie(gevent_server, "Grande"))
        assert raw.connect(auth(gevent_server)).startswith("40{")
        # 72 KB in 8 KB fragments, then nothing: the close comes with nothing left unread.
        raw.ws.send_frame(websocket.ABNF.create_frame('42["x","' + "A" * 8000, websocket.ABNF.OPCODE_TEXT, fin=0))
        for _ in range(8):
            raw.ws.send_frame(websocket.ABNF.create_frame("A" * 8192, websocket.ABNF.OPCODE_CONT, fin=0))
        assert raw.close_code() == 1009
        no_traceback(gevent_server)
    finally:
        gevent_server.stop()


def test_unmasking_matches_rfc_6455():
    data = os.urandom(1000)
    key = os.urandom(4)
    for offset in range(4):
        expected = bytes(b ^ key[(offset + i) % 4] for i, b in enumerate(data))
        assert unmask(data, tuple(key), offset=offset) == expected
    assert unmask(data, key, length=10) == bytes(b ^ key[i % 4] for i, b in enumerate(data[:10]))


def test_reserved_and_malformed_through_the_test_client(app, sockets, seeded):
    """The same door for Flask-SocketIO's test client: a reserved name never disconnects."""
    ada = sockets.participant("Ada")
    engine = app.extensions["facilitation.engine"]
    before = set(engine.connections)
    ack = ada.emit("disconnect", callback=True)
    assert ack["error"]["code"] == "reserved_event"
    assert "riservato" in ack["error"]["message"]  # in the person's language, Italian by default
    assert set(engine.connections) == before and ada.is_connected()
    ack = ada.emit("connect", {"meeting": seeded["meeting"]}, callback=True)
    assert ack["error"]["code"] == "reserved_event"
    assert set(engine.connections) == before


def test_a_penalised_address_gets_429_before_engineio(app):
    """Behind a proxy (or under gunicorn) the listener cannot tell addresses apart: the penalty
    is answered at the first line of the Engine.IO request instead."""
    gate = app.extensions["facilitation.inbound"]
    gate._penalty["203.0.113.9"] = time.monotonic() + 60
    answers = []

    def start_response(status, headers):
        answers.append((status, dict(headers)))

    def request(address, query="EIO=4&transport=websocket"):
        environ = {"REQUEST_METHOD": "GET", "QUERY_STRING": query, "REMOTE_ADDR": address, "PATH_INFO": "/socket.io/"}
        return gate.handle_request(environ, start_response)

    assert request("203.0.113.9") == [b"Too many requests."]
    status, headers = answers[-1]
    assert status.startswith("429") and 0 < int(headers["Retry-After"]) <= 60
    request("203.0.113.10")  # another address reaches Engine.IO
    assert not answers[-1][0].startswith("429")


def test_a_control_is_acknowledged_before_it_is_broadcast(server):
    """persist -> ack -> broadcast: the sender's ack never waits for the broadcast to the room."""
    raw = Raw(server, cookie=server.fac.http.cookie_header())
    try:
        assert raw.connect({"meeting": server.seed_info["meeting"], "role": "console"}).startswith("40")
        raw.ws.send('427["control",{"cmd":"timer","seconds":120,"cid":"ack-first"}]')
        order = []
        raw.read(lambda f: isinstance(f, str) and (
            order.append("ack" if f.startswith("437[") else "meeting" if f.startswith('42["meeting"') else "other")
            or "ack" in order and "meeting" in order))
        assert order.index("ack") < order.index("meeting"), order
    finally:
        raw.close()
    no_traceback(server)
