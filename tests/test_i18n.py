"""Languages: every string has its Italian translation; Italian by default; a switch on every page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
# The core and each built-in plugin: a folder with a babel.cfg, and where its catalogs are.
CATALOG_ROOTS = {".": "facilitation/translations", "plugins/poll": "facilitation_poll/translations",
                 "plugins/squad": "facilitation_squad/translations", "plugins/board": "facilitation_board/translations",
                 "plugins/ranking": "facilitation_ranking/translations",
                 "plugins/evaluation": "facilitation_evaluation/translations",
                 "plugins/selfassessment": "facilitation_selfassessment/translations",
                 "plugins/questions": "facilitation_questions/translations",
                 "plugins/prompt": "facilitation_prompt/translations"}
CATALOGS = ROOT / "facilitation" / "translations"


def catalog(lang: str, root: str = "."):
    with open(ROOT / root / CATALOG_ROOTS[root] / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=lang)


def extract(root: str, where) -> list:
    """Every string of the code and templates of ``root`` now, extracted as `make messages` does."""
    pot = where / "messages.pot"
    subprocess.run(
        [Path(sys.executable).parent / "pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "_l",
         "-k", "lazy_gettext", "-o", str(pot), "."],
        cwd=ROOT / root,
        check=True,
    )
    with open(pot, "rb") as fh:
        return [m for m in read_po(fh) if m.id]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    return {root: extract(root, tmp_path_factory.mktemp("i18n")) for root in CATALOG_ROOTS}


def untranslated(messages, lang: str, root: str = ".") -> list:
    translations = catalog(lang, root)
    missing = []
    for message in messages:
        found = translations.get(message.id, context=message.context)
        strings = (
            found.string
            if found is not None and isinstance(found.string, tuple)
            else ((found.string,) if found is not None else ())
        )
        if found is None or found.fuzzy or not strings or not all(strings):
            missing.append((message.context, message.id))
    return missing


@pytest.mark.parametrize("root", sorted(CATALOG_ROOTS))
@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_string_is_translated(extracted, lang, root):
    """When this fails, run `make messages` and translate the new strings (each plugin has its own catalog)."""
    assert len(extracted[root]) > 10
    assert untranslated(extracted[root], lang, root) == []


@pytest.mark.parametrize("root", sorted(CATALOG_ROOTS))
@pytest.mark.parametrize("lang", ["it", "en"])
def test_translations_keep_their_placeholders(lang, root):
    problems = [(m.id, errors) for m, errors in catalog(lang, root).check() if errors]
    assert problems == []


def test_pages_are_italian_by_default_and_the_switch_changes_language(app, seeded, login):
    http = app.test_client()
    home = http.get("/").get_data(as_text=True)
    assert '<html lang="it"' in home and "Partecipa a un incontro" in home

    switched = http.post("/lang", data={"lang": "en", "next": f"/j/{seeded['code']}"})
    assert switched.headers["Location"] == f"/j/{seeded['code']}"
    join = http.get(switched.headers["Location"]).get_data(as_text=True)
    assert '<html lang="en"' in join and "Your name" in join and "Il tuo nome" not in join
    assert "Join a meeting" in http.get("/").get_data(as_text=True)

    http.post("/lang", data={"lang": "it", "next": "/"})
    assert "Partecipa a un incontro" in http.get("/").get_data(as_text=True)
    http.post("/lang", data={"lang": "xx", "next": "//evil.example/"})  # unknown: nothing changes
    assert "Partecipa a un incontro" in http.get("/").get_data(as_text=True)


def test_the_choice_survives_logging_in_and_reaches_browser_strings(app, seeded, login):
    http = app.test_client()
    http.post("/lang", data={"lang": "en", "next": "/"})
    login(http)
    console = http.get(f"/f/meetings/{seeded['meeting']}/console").get_data(as_text=True)
    assert "Projector view" in console and '"connecting": "Connecting\\u2026"' in console
    http.post("/lang", data={"lang": "it", "next": "/"})
    console = http.get(f"/f/meetings/{seeded['meeting']}/console").get_data(as_text=True)
    assert "Vista per il proiettore" in console and "Connessione in corso" in console


@pytest.mark.parametrize("path", ["/", "/f/login", "/f/", "/f/networks", "JOIN", "CONSOLE", "PROJECTOR"])
def test_every_page_has_the_language_switch(app, seeded, login, path):
    http = app.test_client()
    login(http)
    path = {
        "JOIN": f"/j/{seeded['code']}",
        "CONSOLE": f"/f/meetings/{seeded['meeting']}/console",
        "PROJECTOR": f"/f/meetings/{seeded['meeting']}/projector",
    }.get(path, path)
    page = http.get(path).get_data(as_text=True)
    assert 'class="lang-switch"' in page and '<option value="en"' in page
