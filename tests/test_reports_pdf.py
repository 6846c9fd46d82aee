"""The lab e-book and the network dossier as PDFs: valid, tagged PDF/UA documents in Italian whose
text holds the expected sections and figures, and no participant's name when names are off;
their first pages rendered to PNG in test-artifacts/. And the build runs in a process of its own,
its progress readable while it runs."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from facilitation import store
from facilitation.api.testing import built_app
from facilitation.db import borrowed, transaction
from facilitation.reports import jobs

from . import reports_world

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture
def world(tmp_path, monkeypatch):
    with built_app(tmp_path, monkeypatch) as app:
        with borrowed(app) as db:
            made = reports_world.build(app, db)
        yield app, made


def build_now(app, kind, subject, options) -> Path:
    """Build a job's PDF in this process (what the builder process does for each job)."""
    with borrowed(app) as db:
        with transaction(db):
            job_id = store.add_report_job(db, kind, subject, {"lang": "it", **options}, "facilitator:1")
            job = store.claim_report_job(db, 1, time.time())
        jobs.build(app, db, job)
        job = store.report_job(db, job_id)
    assert job["state"] == "done", job["error"]
    return jobs.file_of(app, job)


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def first_pages_to_png(path: Path, name: str, pages: int = 3) -> list[Path]:
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", str(pages), str(path), str(ARTIFACTS / name)],
                   check=True)
    found = sorted(ARTIFACTS.glob(f"{name}-*.png"))
    assert found, "pdftoppm rendered nothing"
    return found


def assert_tagged_pdf_ua(path: Path) -> PdfReader:
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]), "a tagged PDF"
    assert "/StructTreeRoot" in root, "with a structure tree"
    assert root["/Lang"] == "it"
    assert "/Outlines" in root, "bookmarks from the headings"
    metadata = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfuaid:part(="1"|>1<)', metadata), "declared PDF/UA-1"
    assert reader.metadata.title
    return reader


def test_the_lab_ebook_is_a_tagged_pdf_with_its_sections_and_figures_and_no_names(world):
    app, made = world
    path = build_now(app, "ebook", made["labs"][0], {"names": False})
    reader = assert_tagged_pdf_ua(path)
    assert reader.metadata.title == "Mediazione interculturale"
    text = text_of(path)
    assert "l'e-book del laboratorio" in text.lower()
    for expected in ("Indice", "I temi del laboratorio", "La terza cultura",
                     "1. Leggere la rete", "2. Le strategie", "Programma", "Partecipazione", "Risultati",
                     "Quale strumento usate?", "Tavoli", "Il laboratorio in cifre", "Ore-partecipante"):
        assert expected in text, expected
    flat = " ".join(text.split())
    assert re.search(r"Ore-partecipante\s*8,5", flat), "the first meeting's participant-hours, in Italian"
    assert "Mai tenuto" not in text and "Coprogettare" not in text, "only this lab's held meetings"
    for name in reports_world.NAMES:
        assert name.split()[0] not in text, f"{name} appears with names off"
    # The contents give each chapter's page: "1. Leggere la rete .... 4".
    assert re.search(r"1\. Leggere la rete[ .]*\d+", text)
    assert len(reader.pages) >= 5
    first_pages_to_png(path, "pdf-ebook")


CANVAS = {
    "goal": "Una comunità che accoglie", "needs": "Famiglie isolate",
    "strategies": [{"id": "s1", "title": "Mediazione nelle scuole", "objectives": [{"id": "o1", "text": "Tre sportelli"}]}],
    "roles": [{"id": "r1", "title": "Mediatore culturale", "organisation": "Cooperativa Ponti", "profession": "mediatore",
               "manages": ["s1"]},
              {"id": "r2", "title": "Referente scolastico", "organisation": "Istituto comprensivo",
               "profession": "docente", "manages": []}],
    "interactions": [{"id": "i1", "source": "r1", "target": "r2", "what": "casi da seguire", "channel": "incontro",
                      "frequency": "mensile"}],
}


def test_a_canvas_goes_in_with_its_interaction_map_as_a_vector_drawing(world):
    from facilitation import artifacts
    from facilitation_squad.canvas import SCHEMA

    app, made = world
    m1, a = made["meetings"]["M1"], made["networks"]["A"]
    with borrowed(app) as db, transaction(db):
        item = store.add_item(db, m1, "squad", {"title": "La nostra squadra"})
        artifacts.add_artifact(db, network_id=a, lab_id=made["labs"][0], meeting_id=m1, item_id=item,
                               exercise_type="squad", title="La nostra squadra",
                               data={"schema": SCHEMA, "canvas": {"schema": SCHEMA, **CANVAS}, "reason": "closed",
                                     "authors": ["Ada Rossi"]})
    path = build_now(app, "ebook", made["labs"][0], {"names": False, "meetings": [m1], "parts": ["results"]})
    text = text_of(path)
    for expected in ("La nostra squadra", "Una comunità che accoglie", "Mediazione nelle scuole",
                     "Mappa delle interazioni"):
        assert expected in text, expected
    assert text.count("Referente scolastico") >= 2, "in the canvas and as a label of the map: text, not pixels"
    assert "Ada Rossi" not in text, "the canvas's authors are names"
    assert not any("/Image" in str(page.get("/Resources", {}).get("/XObject", {})) for page in PdfReader(path).pages)


def test_with_names_the_ebook_says_who_took_part(world):
    app, made = world
    text = text_of(build_now(app, "ebook", made["labs"][0], {"names": True, "parts": ["participation"]}))
    assert "Ada Rossi" in text and "Bruno Bianchi" in text and "Chi ha partecipato" in text
    assert "Dario Neri" not in text, "signed in but never connected: not a participant"
    assert "Quale strumento usate?" not in text, "results were left out"


def test_the_network_dossier_is_a_tagged_pdf_of_its_path_and_archive(world):
    app, made = world
    path = build_now(app, "dossier", made["networks"]["A"], {"names": False})
    assert_tagged_pdf_ua(path)
    text = text_of(path)
    assert "il dossier della rete" in text.lower()
    for expected in ("Ambito di Dalmine", "Partecipazione", "Incontri frequentati",
                     "L'archivio, laboratorio per laboratorio", "Mediazione interculturale", "Coprogettazione",
                     "Quale strumento usate?", "Una parola", "fiducia"):
        assert expected in text, expected
    assert "9,5" in text, "the network's participant-hours"
    for name in reports_world.NAMES:
        assert name not in text
    first_pages_to_png(path, "pdf-dossier", pages=2)


def test_a_pdf_is_built_by_a_process_of_its_own_and_its_progress_can_be_read(world):
    app, made = world
    client = app.test_client()
    client.post("/f/login", data={"email": "fac@example.org", "password": reports_world.PASSWORD})
    lab = made["labs"][1]
    response = client.post(f"/f/labs/{lab}/ebook/pdf", data={"names": "0", "chosen": "1", "part": ["agenda"]})
    assert response.status_code == 302
    page_url = response.headers["Location"]
    job_id = int(page_url.rsplit("/", 1)[1])
    assert client.get(page_url).status_code == 200
    seen = set()
    deadline = time.monotonic() + 180  # the builder starts a Python process and WeasyPrint: slow on a busy machine
    while time.monotonic() < deadline:
        status = client.get(f"/f/reports/jobs/{job_id}.json").get_json()
        seen.add(status["state"])
        if status["state"] in ("done", "failed"):
            break
        time.sleep(0.2)
    assert status["state"] == "done", (status, (Path(app.instance_path) / "reports" / "builder.log").read_text())
    assert status["progress"] == 100 and status["pages"] >= 2
    pdf = client.get(f"/f/reports/jobs/{job_id}/download")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    with borrowed(app) as db:
        assert store.report_job(db, job_id)["requested_by"] == "facilitator:1"
    jobs.reap()


def test_a_builder_that_died_leaves_a_failed_job_not_a_stuck_one(world):
    app, made = world
    with borrowed(app) as db:
        with transaction(db):
            dead = store.add_report_job(db, "ebook", made["labs"][0], {}, "facilitator:1")
            store.claim_report_job(db, 1, time.time() - jobs.STALE_SECONDS - 5)
            waiting = store.add_report_job(db, "ebook", made["labs"][1], {"parts": ["agenda"]}, "facilitator:1")
        assert jobs.work(app) == 1
        assert store.report_job(db, dead)["state"] == "failed"
        assert store.report_job(db, waiting)["state"] == "done"


def test_jobs_are_not_reachable_across_kinds_or_networks(world):
    app, made = world
    with borrowed(app) as db, transaction(db):
        ebook_job = store.add_report_job(db, "ebook", made["labs"][0], {}, "facilitator:1")
        dossier_job = store.add_report_job(db, "dossier", made["networks"]["A"], {}, "network:1")
    client = app.test_client()
    client.post("/f/login", data={"email": "fac@example.org", "password": reports_world.PASSWORD})
    assert client.get(f"/f/reports/jobs/{dossier_job}.json").status_code == 404
    assert client.get(f"/f/networks/{made['networks']['B']}/reports/{dossier_job}.json").status_code == 404
    assert client.get(f"/f/networks/{made['networks']['A']}/reports/{dossier_job}.json").status_code == 200
    assert client.get(f"/f/networks/{made['networks']['A']}/reports/{ebook_job}.json").status_code == 404
    assert client.get(f"/f/reports/jobs/{ebook_job}/download").status_code == 404, "not built yet"


def test_only_the_five_newest_pdfs_of_a_subject_are_kept(world):
    app, made = world
    lab = made["labs"][1]
    built = [build_now(app, "ebook", lab, {"parts": ["agenda"]}) for _ in range(jobs.KEEP + 1)]
    assert not built[0].exists() and all(p.exists() for p in built[1:])
    with borrowed(app) as db:
        first = store.report_jobs_of(db, "ebook", lab, limit=10)[-1]
    assert first["file"] is None and jobs.file_of(app, first) is None, "its download is a 404 now"
