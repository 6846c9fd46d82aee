"""The production entry point (``gunicorn -k eventlet -w 1 wsgi:app``) builds the app
the way ``facilitation serve`` does: patched first, password checks off the event loop,
full garbage collections left to quiet moments, the websocket layer tuned."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import gc, wsgi; from facilitation import offload; from facilitation.live import websocket; "
    "print(type(wsgi.app).__name__, wsgi.app.config['PRODUCTION'], wsgi.app.config['ASYNC_MODE'], "
    "offload._runner is not None, gc.get_threshold()[2] > 2**30, gc.get_freeze_count() > 0, "
    "websocket.TUNED == {wsgi.app.config['ASYNC_MODE']})"
)


def run_wsgi(tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("FACILITATION_")}
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**base, "FACILITATION_INSTANCE": str(tmp_path), **env})


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_wsgi_builds_a_production_app_for_the_async_server(tmp_path, mode):
    done = run_wsgi(tmp_path, FACILITATION_SECRET_KEY="s" * 64, FACILITATION_ASYNC_MODE=mode)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["Flask", "True", mode, "True", "True", "True", "True"]


def test_wsgi_refuses_to_start_without_a_secret(tmp_path):
    done = run_wsgi(tmp_path)
    assert done.returncode != 0 and "FACILITATION_SECRET_KEY is not set" in done.stderr


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_a_login_on_the_real_server_while_a_participant_is_connected(tmp_path, mode):
    """The password check runs on the async server's thread pool; the live side keeps going."""
    from .liveserver import FormClient, LiveClient, LiveServer

    server = LiveServer(tmp_path / "instance", env={"FACILITATION_ASYNC_MODE": mode})
    seed = server.seed(polls=1)
    server.start()
    try:
        assert f"({mode})" in server.log()
        http = FormClient(server.url)
        http.join(seed["code"], "Ada", seed["networks"][0])
        ada = LiveClient(server, http, seed["meeting"])
        ada.connect()
        FormClient(server.url).login(server.email, server.password)
        with pytest.raises(RuntimeError, match="login failed"):
            FormClient(server.url).login(server.email, "not the password")
        assert ada.send("sync", {})["ok"], "the participant's connection still answers"
        ada.close()
    finally:
        server.stop()
