"""Crash safety and flaky clients on the real server: SIGKILL in the middle of a vote burst,
restart, check the acks; clients dropping and coming back end with everyone's state."""

import random
import threading

import pytest

from .liveserver import LiveServer, facilitator, join_participants
from .scenarios import Tally, check_acks, crash_round, start_poll


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("crash"))
    server.seed_info = server.seed(polls=1)
    server.start()
    fac = facilitator(server, server.seed_info)
    start_poll(fac, server.seed_info["items"][0])
    assert fac.control("open", item=server.seed_info["squad"])["ok"]
    assert fac.control("goto", item=server.seed_info["items"][0])["ok"]
    server.fac = fac
    yield server
    fac.close()
    server.stop()


def test_sigkill_during_a_vote_burst_loses_no_ack_and_doubles_nothing(server):
    seed = server.seed_info
    clients = join_participants(server, seed, 4)
    total = Tally()
    try:
        for _ in range(2):
            total.add(crash_round(server, seed, clients, server.fac, votes=8))
    finally:
        for c in clients:
            c.close()
    assert total.problems == []
    assert total.acked == 2 * 4 * 8 and total.not_sent == 0
    assert (total.lost, total.doubled) == (0, 0)
    assert total.stored == total.acked


def test_sigkill_during_a_canvas_editing_burst_loses_no_edit_and_doubles_nothing(server):
    seed = server.seed_info
    clients = join_participants(server, seed, 4, prefix="Editor")
    try:
        tally = crash_round(server, seed, clients, server.fac, votes=8, canvas=True)
    finally:
        for c in clients:
            c.close()
    assert tally.problems == []
    assert tally.acked == 4 * 8 and (tally.lost, tally.doubled) == (0, 0) and tally.stored == tally.acked


def test_clients_dropping_and_coming_back_while_voting_end_with_the_same_state(server):
    seed = server.seed_info
    item = seed["items"][0]
    clients = join_participants(server, seed, 4, prefix="Flaky")
    acks = {c: [] for c in clients}

    def vote_and_drop(client):
        rng = random.Random()
        for _ in range(8):
            ack = client.vote(item, rng.randrange(4))
            assert ack.get("ok"), ack
            acks[client].append((ack["cid"], ack["seq"], ack["reply"]["answer"]))
            if rng.random() < 0.5:
                client.sio.disconnect()
                client.connect()

    threads = [threading.Thread(target=vote_and_drop, args=(c,)) for c in clients]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        tally = check_acks(server.db_path, acks, item)
        assert (tally.lost, tally.doubled, tally.problems) == (0, 0, [])
        views = [c.sio.call("sync", {"since": 0}, timeout=5)["snapshot"]["item"]["view"]["results"]
                 for c in clients]
        assert all(v == views[0] for v in views), views
        console = server.fac.sio.call("sync", {"since": 0}, timeout=5)["snapshot"]["item"]["view"]["results"]
        assert console["counts"] == views[0]["counts"]
    finally:
        for c in clients:
            c.close()
