"""Real-browser fixtures: the real server in a subprocess, Playwright driving Debian chromium.

Every test in ``tests/browser/`` is marked ``browser`` and runs in ``make test``;
it never skips: without chromium it fails and says why.

Fixtures (write new browser tests on top of these):

``live_server``
    A fresh ``facilitation serve`` on a free port with its own instance folder
    in a temp dir, after ``facilitation migrate`` and ``facilitation seed-demo``
    (a demo lab, five networks, a draft meeting of four polls). Attributes:
    ``url``, ``email``, ``password`` (demo facilitator), ``code`` and
    ``meeting_id`` (demo meeting), ``db_path``, ``log()``; ``stop()`` and
    ``kill()``. Stopped at teardown; its log is shown when the test fails.
``browser``
    One headless chromium for the whole session.
``new_page(viewport=None)``
    A page in a NEW browser context (own cookies: one person each). Console
    errors, page errors, 5xx responses and resources that failed to load are
    collected in ``page.errors``; the test fails at teardown if any occurred
    (a CSP violation is a console error too).
``facilitator_page``
    A page of its own context, already logged in as the demo facilitator.
``participant(name, network=None, viewport=None)``
    A page of a new context that followed the demo join link, signed in as
    ``name`` of ``network`` (its visible name; default the first network) and
    connected to the live page.
``shot(page, name)``
    Saves a full-page screenshot to ``test-artifacts/<test name>-<name>.png``
    and returns its path.

Waits: the CSP forbids eval, so ``page.wait_for_function("...")`` fails; wait with
selectors (``body[data-connection=connected]``) or ``playwright.sync_api.expect``.

Helpers: ``login(page, server)``; ``join(page, server, name, network=None)``
(fills the join form at the current page); ``start_meeting(page, server)`` (a
facilitator's page starts the demo meeting from its page and waits for the
connected console); ``connected(page)`` (waits for the live connection).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous: the suite shares two cores with other work; a wait ends as soon as its condition holds.
TIMEOUT_MS = 20_000


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Debian chromium is not installed: `make test` installs it (apt-get install chromium)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


# Chromium logs every failed load to the console too; responses are checked below. A websocket
# that cannot open (the server down for a restart, a cut network) is logged the same way: the
# page's own status line says it, and the tests check that.
_RESOURCE = ("Failed to load resource", "WebSocket connection to ")


def _failed(response) -> bool:
    """A server error, or a script, style, image or XHR that did not load. A page
    answered 4xx is the app's answer (a form with errors) and the test checks it. Engine.IO
    answers 400 to a long-poll of a session the server has just closed (a revoked link, an
    erased person): the client takes it as the end of that session, as the protocol says."""
    if response.status == 400 and "/socket.io/" in response.url and "transport=polling" in response.url:
        return False
    return response.status >= 500 or (response.status >= 400 and response.request.resource_type != "document")


@pytest.fixture
def new_page(browser, request):
    contexts = []

    def watch(page):
        if hasattr(page, "errors"):
            return
        page.errors = []
        page.on(
            "console", lambda m: m.type == "error" and not m.text.startswith(_RESOURCE) and page.errors.append(m.text)
        )
        page.on("pageerror", lambda e: page.errors.append(f"page error: {e}"))
        page.on("response", lambda r: _failed(r) and page.errors.append(f"HTTP {r.status}: {r.url}"))

    def make(viewport=None):
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 860}, locale="it-IT")
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", watch)
        contexts.append(context)
        page = context.new_page()
        watch(page)
        return page

    yield make
    errors = [e for c in contexts for p in c.pages for e in getattr(p, "errors", [])]
    for context in contexts:
        context.close()
    assert not errors, errors


@pytest.fixture
def shot(request):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def login(page, server) -> None:
    page.goto(f"{server.url}/f/login")
    page.fill("#email", server.email)
    page.fill("#password", server.password)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{server.url}/f/")


@pytest.fixture
def facilitator_page(new_page, live_server):
    page = new_page()
    login(page, live_server)
    return page


def join(page, server, name: str, network: str | None = None) -> None:
    """Fill the join form shown at the current page and wait for the live page."""
    page.fill("#name", name)
    page.fill("#organisation", "Cooperativa Esempio")
    if network:
        page.select_option("#network", label=network)
    else:
        page.select_option("#network", index=1)
    page.click("main form button[type=submit]")
    page.wait_for_selector("#participant")
    connected(page)


def connected(page) -> None:
    page.wait_for_selector("body[data-connection=connected]")


@pytest.fixture
def participant(new_page, live_server):
    def make(name: str, network: str | None = None, viewport=None):
        page = new_page(viewport=viewport)
        page.goto(f"{live_server.url}/j/{live_server.code}")
        join(page, live_server, name, network)
        return page

    return make


def start_meeting(page, server) -> None:
    page.goto(f"{server.url}/f/meetings/{server.meeting_id}")
    page.click("#start-meeting")
    page.wait_for_url(f"**/f/meetings/{server.meeting_id}/console")
    connected(page)
