"""Crash safety on the real server: SIGKILL in the middle of a vote burst, restart, check the acks."""

import pytest

from .scenarios import Tally, crash_round, start_poll
from .serverproc import Server, facilitator, join_participants


@pytest.fixture
def server(tmp_path):
    server = Server(tmp_path)
    server.seed_info = server.seed(polls=1)
    server.start()
    yield server
    server.stop()


def test_sigkill_during_a_vote_burst_loses_no_ack_and_doubles_nothing(server):
    seed = server.seed_info
    fac = facilitator(server, seed)
    start_poll(fac, seed["items"][0])
    clients = join_participants(server, seed, 4)
    total = Tally()
    try:
        for _ in range(2):
            total.add(crash_round(server, seed, clients, fac, votes=10))
    finally:
        for c in [*clients, fac]:
            c.close()
    assert total.problems == []
    assert total.acked == 2 * 4 * 10 and total.not_sent == 0
    assert (total.lost, total.doubled) == (0, 0)
    assert total.stored == total.acked
