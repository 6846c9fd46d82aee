"""Password checks go through the serving process' runner (a real OS thread under
eventlet or gevent), so a facilitator logging in does not stop a live meeting."""

import pytest

from facilitation import offload


@pytest.fixture
def runner(monkeypatch):
    calls = []

    def run(fn, *args):
        calls.append(fn.__name__)
        return fn(*args)

    monkeypatch.setattr(offload, "_runner", run)
    return calls


def test_login_checks_the_password_through_the_runner(app, seeded, login, runner):
    http = app.test_client()
    assert login(http, password="wrong password").status_code == 401  # the form again, with an error
    assert login(http).status_code == 302
    assert runner == ["check_password_hash", "check_password_hash"]
    assert http.get("/f/").status_code == 200


def test_an_unknown_address_costs_the_same_check(app, seeded, login, runner):
    http = app.test_client()
    assert login(http, email="nobody@example.org").status_code == 401
    # (the first unknown address of the process also makes the stand-in hash, off the loop too)
    assert runner[-1:] == ["check_password_hash"] and set(runner) <= {"generate_password_hash", "check_password_hash"}
    assert runner.count("check_password_hash") == 1, "same work as for a known address: timing tells nothing"
    assert http.get("/f/").status_code == 302  # still not logged in


def test_direct_call_without_a_server_runner():
    assert offload._runner is None
    assert offload.call(sum, [1, 2]) == 3
