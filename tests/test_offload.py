"""Password checks go through the serving process' runner (a real OS thread under
eventlet or gevent), so a facilitator logging in does not stop a live meeting."""

import sqlite3

import pytest

from facilitation import offload
from facilitation.api.testing import PASSWORD


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


def test_a_new_password_is_hashed_before_the_write_lock_is_taken(app, seeded, login, monkeypatch, db):
    """Hashing takes a few hundred milliseconds by design and the runner lets the event loop go on
    meanwhile: holding the database's write lock then would make every live vote of the process
    wait for it (and a busy machine's login time out behind it)."""
    locked_while_hashing = []

    def run(fn, *args):
        probe = sqlite3.connect(app.config["DATABASE"], timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")  # free when no one holds the write lock
            probe.execute("ROLLBACK")
            locked_while_hashing.append(False)
        except sqlite3.OperationalError:
            locked_while_hashing.append(True)
        finally:
            probe.close()
        return fn(*args)

    http = app.test_client()
    login(http)
    monkeypatch.setattr(offload, "_runner", run)
    page = http.get("/f/account").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    new = "a new and longer passphrase"
    answer = http.post("/f/account", data={"csrf_token": token, "current_password": PASSWORD,
                                           "new_password": new, "confirm_password": new})
    assert answer.status_code == 302
    assert len(locked_while_hashing) == 2 and not any(locked_while_hashing)  # the check, then the new hash
