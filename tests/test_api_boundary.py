"""One door for exercises: plugin and example code imports only ``facilitation.api`` (their tests
may use ``facilitation.api.testing`` too), and every name of that door is documented."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import facilitation.api
import facilitation.api.testing

ROOT = Path(__file__).resolve().parent.parent
PLUGINS_DOC = (ROOT / "docs" / "plugins.md").read_text()
CODE = sorted(p for folder in ("plugins", "examples") for p in (ROOT / folder).rglob("*.py"))


def core_imports(path: Path) -> list[str]:
    """Every module of ``facilitation`` a file imports."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "facilitation"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "facilitation":
            found += [node.module] if node.module != "facilitation" else [f"facilitation.{a.name}" for a in node.names]
    return found


def test_there_is_code_to_check():
    assert len(CODE) > 10 and any("facilitation_checkin" in str(p) for p in CODE)


@pytest.mark.parametrize("path", CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_exercises_import_only_the_api(path):
    allowed = {"facilitation.api"} | ({"facilitation.api.testing"} if "tests" in path.parts else set())
    wrong = [m for m in core_imports(path) if m not in allowed]
    assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}: use facilitation.api"


@pytest.mark.parametrize("name", sorted(set(facilitation.api.__all__) | set(facilitation.api.testing.__all__)))
def test_every_name_of_the_api_is_documented(name):
    assert f"`{name}" in PLUGINS_DOC, f"document facilitation.api's `{name}` in docs/plugins.md"


def test_the_live_engine_has_no_import_cycle():
    """Each module of facilitation/live imports only modules it does not depend back on."""
    live = ROOT / "facilitation" / "live"
    graph = {}
    for path in live.glob("*.py"):
        deps = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                deps |= {node.module} if node.module else {a.name for a in node.names}
        graph[path.stem] = {d for d in deps if (live / f"{d}.py").exists()}

    def reaches(start, goal, seen=()):
        return any(d == goal or (d not in seen and reaches(d, goal, (*seen, d))) for d in graph.get(start, ()))

    cycles = [m for m in graph if reaches(m, m)]
    assert not cycles, f"import cycles through {cycles}"


def test_sql_lives_in_the_data_layer():
    """Queries are written in store.py, artifacts.py, throttle.py, backup.py and migrations only."""
    data_layer = {"store.py", "artifacts.py", "throttle.py", "backup.py", "migrations.py", "db.py"}
    offenders = []
    for path in (ROOT / "facilitation").rglob("*.py"):
        if path.name in data_layer:
            continue
        text = path.read_text()
        if any(word in text for word in ("SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM")):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, offenders
