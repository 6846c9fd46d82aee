"""The docs keep up with the code: every hook, every socket handler, every emitted event."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from facilitation import hookspecs
from facilitation.live.sockets import LiveNamespace

ROOT = Path(__file__).resolve().parent.parent
PLUGINS_DOC = (ROOT / "docs" / "plugins.md").read_text()
PROTOCOL_DOC = (ROOT / "docs" / "protocol.md").read_text()
EMIT = re.compile(r"""\bemit\(\s*["']([\w.:-]+)["']""")


def hooks():
    return sorted(
        (name, f"{name}{inspect.signature(fn)}")
        for name, fn in vars(hookspecs).items()
        if callable(fn) and hasattr(fn, "facilitation_spec")
    )


def handlers():
    return sorted(name[3:] for name in dir(LiveNamespace) if name.startswith("on_"))


def emitted():
    found = set()
    for folder in ("facilitation", "plugins"):
        for path in (ROOT / folder).rglob("*.py"):
            found.update(EMIT.findall(path.read_text()))
    return sorted(found)


def test_there_is_something_to_check():
    assert len(hooks()) >= 5 and {"action", "control", "sync", "connect"} <= set(handlers())
    assert {"snapshot", "meeting", "results", "event", "presence"} <= set(emitted())


@pytest.mark.parametrize("name, signature", hooks())
def test_every_hook_is_documented_with_its_signature(name, signature):
    assert f"`{signature}`" in PLUGINS_DOC, f"document {signature} in docs/plugins.md"


@pytest.mark.parametrize("event", handlers())
def test_every_inbound_event_is_documented(event):
    assert f"### `{event}`" in PROTOCOL_DOC, f"document the `{event}` handler in docs/protocol.md"


@pytest.mark.parametrize("event", emitted())
def test_every_emitted_event_is_documented(event):
    assert f"### `{event}`" in PROTOCOL_DOC, f"document the `{event}` event in docs/protocol.md"
