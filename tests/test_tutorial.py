"""The tutorial of docs/plugins.md builds exactly examples/checkin, and what it builds installs
with pip into a fresh virtual environment and runs in a meeting, in Italian."""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "plugins.md"
EXAMPLE = ROOT / "examples" / "checkin"
BLOCK = re.compile(r"^```[\w-]* file=(\S+)\n(.*?)^```$", re.M | re.S)


def assemble(text: str) -> dict[str, str]:
    """Files of the tutorial: the code blocks marked ``file=<path>``, in order, one blank line apart."""
    files: dict[str, list[str]] = {}
    for path, body in BLOCK.findall(text):
        files.setdefault(path, []).append(body)
    return {path: "\n".join(bodies) for path, bodies in files.items()}


def test_the_tutorial_builds_exactly_the_example():
    files = assemble(DOC.read_text())
    shipped = {str(p.relative_to(EXAMPLE)) for p in EXAMPLE.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".mo"}
    assert set(files) == shipped, "every file of examples/checkin comes from the tutorial, and only those"
    for path, text in files.items():
        assert (EXAMPLE / path).read_text() == text, f"examples/checkin/{path} differs from the tutorial"


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory):
    """A new virtual environment where the tutorial's package is installed by pip; the core and
    its libraries come from this project's environment (a path file), as an installed
    facilitation would be."""
    where = tmp_path_factory.mktemp("tutorial")
    package = where / "facilitation-checkin"
    for path, text in assemble(DOC.read_text()).items():
        (package / path).parent.mkdir(parents=True, exist_ok=True)
        (package / path).write_text(text)
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    ours = sysconfig.get_paths()["purelib"]
    Path(site, "facilitation-core.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
    installed = subprocess.run([python, "-m", "pip", "install", "-qq", "--no-deps",
                                "--disable-pip-version-check", str(package)], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    return python, package, where


def test_the_tutorial_package_installs_and_is_listed(fresh_venv):
    python, package, where = fresh_venv
    listed = subprocess.run([python, "-m", "facilitation.cli", "plugins"], capture_output=True, text=True,
                            env={"FACILITATION_INSTANCE": str(where / "instance"), "PATH": "/usr/bin:/bin"})
    assert listed.returncode == 0, listed.stderr
    assert "checkin\tfacilitation_checkin" in listed.stdout
    assert "exercise checkin: Check-in in una parola (facilitation_checkin)" in listed.stdout
    shown = subprocess.run([python, "-c", "import facilitation_checkin; print(facilitation_checkin.__file__)"],
                           capture_output=True, text=True, cwd=where)
    assert str(where / "venv") in shown.stdout, "imported from the installed package, not from a checkout"


def test_the_tutorial_package_runs_in_a_meeting_in_italian(fresh_venv):
    python, package, where = fresh_venv
    script = textwrap.dedent("""
        import sys
        from facilitation.api import testing
        from facilitation import create_app
        from facilitation.db import borrowed, migrate

        app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE": sys.argv[1] + "/t.db",
                          "WTF_CSRF_ENABLED": False})
        with borrowed(app) as db:
            migrate(db, app.extensions["facilitation.registry"])
            seeded = testing.seed(db, [("checkin", "checkin", {"title": "Come arrivi?"}, "meeting")])
        http = app.test_client()
        http.post("/f/login", data={"email": "fac@example.org", "password": testing.PASSWORD})
        page = http.get(f"/f/meetings/{seeded['meeting']}").get_data(as_text=True)
        assert "Check-in in una parola" in page, "the plugin's own Italian catalog"
        socketio = app.extensions["socketio"]
        fac = socketio.test_client(app, flask_test_client=http, auth={"meeting": seeded["meeting"], "role": "console"})
        joiner = app.test_client()
        joiner.post(f"/j/{seeded['code']}", data={"name": "Ada", "network": str(seeded["networks"][0])})
        ada = socketio.test_client(app, flask_test_client=joiner,
                                   auth={"meeting": seeded["meeting"], "role": "participant"})
        testing.control(fac, "start")
        testing.control(fac, "open", item=seeded["checkin"])
        assert testing.act(ada, seeded["checkin"], "say", {"word": "curiosa"})["ok"]
        refused = testing.act(ada, seeded["checkin"], "say", {"word": "due parole"})
        assert refused["error"] == {"code": "one_word", "message": "Una parola sola, per favore."}, refused
        app.extensions["facilitation.engine"].flush()
        pushed = [m for m in testing.received(fac, "results")]
        assert pushed[-1]["args"][0]["item"]["view"]["words"] == [{"word": "curiosa", "count": 1}]
        testing.control(fac, "lock", item=seeded["checkin"])
        archive = http.get(f"/f/networks/{seeded['networks'][0]}/archive").get_data(as_text=True)
        assert "Come arrivi?" in archive
        print("ran")
    """)
    ran = subprocess.run([python, "-c", script, str(where)], capture_output=True, text=True, cwd=where,
                         env={"FACILITATION_INSTANCE": str(where / "instance"), "PATH": "/usr/bin:/bin"})
    assert ran.returncode == 0 and ran.stdout.strip().endswith("ran"), ran.stderr
