"""PDFs built off the live server: a job per request, built by a separate process.

A server process never lays out a PDF: WeasyPrint is CPU-bound Python, and a thread would
still hold the interpreter's lock and stall an eventlet or gevent server's every connection.
``request`` stores a job (``report_jobs``) and starts ``facilitation build-reports``, a process
of its own at a lower CPU priority (nice 10), which takes queued jobs one at a time (at most
``REPORT_BUILDERS`` at once across the server), writes their progress as it goes, and exits when
none is left. Pages read the progress (``status``) from the database, so it works whichever
server process a reader reaches. A builder that dies leaves its job without heartbeat: the
next builder marks it failed.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

from flask import current_app, g, render_template
from flask_babel import force_locale

from .. import store
from ..db import borrowed, transaction
from . import dossier, ebook, pdf

log = logging.getLogger("facilitation.reports")
STALE_SECONDS = 600  # a running job without news for this long has lost its builder
KEEP = 5  # built PDFs kept per lab or network: older ones are deleted when a new one is ready
PASSED_ON = ("DATABASE", "PLUGINS", "PRODUCTION", "BABEL_DEFAULT_LOCALE", "BABEL_DEFAULT_TIMEZONE", "PUBLIC_URL",
             "SQLITE_SYNCHRONOUS", "REPORT_BUILDERS", "LANGUAGES")
_children: list[subprocess.Popen] = []


def folder(app) -> Path:
    path = Path(app.instance_path) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def request(db, kind: str, subject_id: int, options: dict, requested_by: str) -> int:
    """Queue a build and make sure a builder runs; returns the job's id."""
    with transaction(db):
        job_id = store.add_report_job(db, kind, subject_id, options, requested_by)
    start_builder(current_app)
    return job_id


def builder_env(app) -> dict:
    """The builder's configuration: the server's (as ``FACILITATION_*`` JSON values), with a
    secret key of its own (it signs nothing and opens no network link)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACILITATION_")}
    env["FACILITATION_INSTANCE"] = app.instance_path
    for key in PASSED_ON:
        if app.config.get(key) is not None:
            env[f"FACILITATION_{key}"] = json.dumps(app.config[key])
    env["FACILITATION_SECRET_KEY"] = json.dumps(secrets.token_hex(32))
    return env


def start_builder(app) -> None:
    """Start a builder process (it exits at once when enough builders already run)."""
    reap()
    log_file = open(folder(app) / "builder.log", "ab")  # noqa: SIM115 (the child keeps it)
    try:
        _children.append(subprocess.Popen(
            [sys.executable, "-m", "facilitation.cli", "build-reports"], env=builder_env(app),
            stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file, start_new_session=True, close_fds=True))
    finally:
        log_file.close()


def reap() -> None:
    """Collect the exit status of finished builders (no zombie processes)."""
    _children[:] = [p for p in _children if p.poll() is None]


def status(job: dict) -> dict:
    """What a page shows of a job (the JSON the progress bar polls)."""
    reap()
    return {"id": job["id"], "state": job["state"], "progress": job["progress"], "step": job["step"],
            "pages": job["pages"], "size": job["size"], "error": bool(job["error"])}


# the builder process ---------------------------------------------------------------------------

def work(app) -> int:
    """Build queued jobs until none is left; returns how many were built."""
    try:
        os.nice(10)
    except OSError:
        pass
    built = 0
    with borrowed(app) as db:
        while True:
            with transaction(db):
                store.fail_stale_report_jobs(db, time.time() - STALE_SECONDS, "interrupted")
                job = store.claim_report_job(db, int(app.config["REPORT_BUILDERS"]), time.time())
            if job is None:
                return built
            build(app, db, job)
            built += 1


def build(app, db, job: dict) -> None:
    """Build one job's PDF, telling its progress; a failure is stored and logged."""
    def tell(progress: int, step: str) -> None:
        with transaction(db):
            store.report_progress(db, job["id"], progress, step, time.time())

    options = job["options"]
    target = folder(app) / f"{job['kind']}-{job['subject_id']}-{job['id']}-{secrets.token_hex(4)}.pdf"
    try:
        with app.test_request_context(base_url=app.config.get("PUBLIC_URL") or "http://localhost/"), \
                force_locale(options.get("lang") or app.config["BABEL_DEFAULT_LOCALE"]):
            g.db = db  # the plugins' renderings read through the builder's connection
            try:
                tell(5, "collect")
                html = document_html(db, job, lambda done, total: tell(5 + int(55 * done / max(total, 1)),
                                                                        "chapters"))
                tell(60, "layout")
                pages = pdf.write(html, target, lambda step: tell(90, step))
            finally:
                g.pop("db", None)
        with transaction(db):
            store.finish_report_job(db, job["id"], target.name, target.stat().st_size, pages)
            older = store.older_report_files(db, job["kind"], job["subject_id"], KEEP)
            for old_id, _file in older:
                store.forget_report_file(db, old_id)
        for _old_id, name in older:  # the files once their rows no longer name them
            if "/" not in name:
                (folder(app) / name).unlink(missing_ok=True)
    except Exception as exc:
        log.exception("report job %s failed", job["id"])
        with transaction(db):
            store.fail_report_job(db, job["id"], f"{type(exc).__name__}: {exc}"[:500])


def document_html(db, job: dict, progress) -> str:
    """The printable HTML of a job's document."""
    options = job["options"]
    if job["kind"] == "ebook":
        context = ebook.build(db, job["subject_id"], ebook.Options.from_dict(options), "print", progress)
        return render_template("reports/ebook_print.html", **context)
    from ..access import Access

    viewer = "network" if job["requested_by"].startswith("network:") else "facilitator"
    context = dossier.build(db, job["subject_id"], names=bool(options.get("names")), fmt="print", viewer=viewer,
                            access=Access(job["subject_id"], None), progress=progress)
    return render_template("reports/dossier_print.html", **context)


def file_of(app, job: dict) -> Path | None:
    """The PDF of a finished job, if it is still there."""
    if job["state"] != "done" or not job["file"] or "/" in job["file"]:
        return None
    path = folder(app) / job["file"]
    return path if path.is_file() else None
