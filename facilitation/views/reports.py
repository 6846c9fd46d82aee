"""Report pages: the lab e-book (web, chapter by chapter, and PDF), the programme dashboard with
its CSVs, the network dossier (facilitators and the network's link), PDF jobs and their progress,
raw-data exports of a meeting and of a network's archive."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from .. import store
from ..access import Access, network_route
from ..auth import login_required
from ..db import get_db
from ..reports import dashboard, dossier, ebook, exports, filters, jobs
from . import or_404

bp = Blueprint("reports", __name__)


@bp.app_template_filter("number")
def number_filter(value):
    """A figure in the reader's language (a decimal comma in Italian)."""
    return dashboard.number(value)


@bp.app_template_global()
def today() -> str:
    return format_date(date.today(), "long")


@bp.app_template_global()
def job_state(state: str) -> str:
    return {"queued": _("waiting"), "running": _("being built"), "done": _("ready"),
            "failed": _("failed")}.get(state, state)


def _lang() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def _attachment(body, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# the lab e-book ---------------------------------------------------------------------------------

@bp.get("/f/labs/<int:lab_id>/ebook")
@login_required
def ebook_page(lab_id):
    db = get_db()
    lab = or_404(store.lab(db, lab_id))
    options = ebook.options_from(request.args)
    context = ebook.build(db, lab_id, options, "html", chapters=False)
    return render_template("reports/ebook.html", **context, all_meetings=store.held_meetings(db, lab_id=lab["id"]),
                           parts=ebook.PARTS, jobs=store.report_jobs_of(db, "ebook", lab_id))


@bp.get("/f/labs/<int:lab_id>/ebook/<int:meeting_id>")
@login_required
def ebook_chapter(lab_id, meeting_id):
    db = get_db()
    or_404(store.lab(db, lab_id))
    options = ebook.options_from(request.args)
    context = ebook.build(db, lab_id, options, "html", only=meeting_id)
    if not context["chapters"]:
        abort(404)
    ids = [m["id"] for m in context["meetings"]]
    here = ids.index(meeting_id)
    return render_template("reports/ebook_chapter.html", **context, chapter=context["chapters"][0],
                           previous=context["meetings"][here - 1] if here > 0 else None,
                           next=context["meetings"][here + 1] if here + 1 < len(ids) else None)


@bp.post("/f/labs/<int:lab_id>/ebook/pdf")
@login_required
def ebook_pdf(lab_id):
    db = get_db()
    or_404(store.lab(db, lab_id))
    options = ebook.options_from(request.form, chosen_before=True)
    options.lang = _lang()
    job_id = jobs.request(db, "ebook", lab_id, options.as_dict(), f"facilitator:{session['facilitator_id']}")
    return redirect(url_for("reports.job_page", job_id=job_id))


def _ebook_job(job_id) -> dict:
    job = or_404(store.report_job(get_db(), job_id))
    if job["kind"] != "ebook":
        abort(404)
    return job


@bp.get("/f/reports/jobs/<int:job_id>")
@login_required
def job_page(job_id):
    job = _ebook_job(job_id)
    lab = store.lab(get_db(), job["subject_id"])
    return render_template("reports/job.html", job=job, subject=lab["title"] if lab else "",
                           status_url=url_for("reports.job_status", job_id=job_id),
                           download_url=url_for("reports.job_download", job_id=job_id),
                           back_url=url_for("reports.ebook_page", lab_id=job["subject_id"]))


@bp.get("/f/reports/jobs/<int:job_id>.json")
@login_required
def job_status(job_id):
    return jsonify(jobs.status(_ebook_job(job_id)))


@bp.get("/f/reports/jobs/<int:job_id>/download")
@login_required
def job_download(job_id):
    job = _ebook_job(job_id)
    path = or_404(jobs.file_of(current_app, job))
    return send_file(path, mimetype="application/pdf", as_attachment=True,
                     download_name=f"ebook-lab-{job['subject_id']}.pdf")


# the programme dashboard ----------------------------------------------------------------------

@bp.get("/f/reports")
@login_required
def dashboard_page():
    db = get_db()
    chosen, wrong = filters.parse(request.args, db)
    found = dashboard.sections(db, chosen)
    drawn = [(s, [(f, dashboard.drawn(f)) for f in s.figures]) for s in found]
    return render_template("reports/dashboard.html", sections=drawn, filters=chosen, wrong=wrong,
                           labs=store.labs(db), networks=store.networks(db), query=chosen.query())


@bp.get("/f/reports/<section>/<figure>.csv")
@login_required
def figure_csv(section, figure):
    db = get_db()
    chosen, _wrong = filters.parse(request.args, db)
    found = or_404(dashboard.find(dashboard.sections(db, chosen), section, figure))
    return _attachment(dashboard.csv_text(found), "text/csv; charset=utf-8", f"{section}-{figure}.csv")


# raw data of a meeting ------------------------------------------------------------------------

def _meeting_tables(meeting_id):
    db = get_db()
    or_404(store.meeting(db, meeting_id))
    pseudonymise = request.args.get("pseudonymise") == "1"
    return exports.meeting_data(db, meeting_id, pseudonymise), pseudonymise


@bp.get("/f/meetings/<int:meeting_id>/export.zip")
@login_required
def meeting_export_zip(meeting_id):
    tables, pseudo = _meeting_tables(meeting_id)
    stem = f"meeting-{meeting_id}" + ("-pseudonymised" if pseudo else "")
    return _attachment(exports.as_zip(tables, exports.dictionary_meeting(), stem), "application/zip", f"{stem}.zip")


@bp.get("/f/meetings/<int:meeting_id>/export.json")
@login_required
def meeting_export_json(meeting_id):
    tables, pseudo = _meeting_tables(meeting_id)
    stem = f"meeting-{meeting_id}" + ("-pseudonymised" if pseudo else "")
    return _attachment(exports.as_json(tables, exports.dictionary_meeting()), "application/json", f"{stem}.json")


# a network: its dossier, its PDF, its archive's exports (facilitators and its link) ---------------

@network_route(bp, "/dossier")
def dossier_page(access: Access):
    db = get_db()
    names = access.viewer == "facilitator" and request.args.get("names") == "1"
    context = dossier.build(db, access.network_id, names=names, fmt="html", viewer=access.viewer, access=access)
    return render_template("reports/dossier.html", **context, access=access,
                           jobs=store.report_jobs_of(db, "dossier", access.network_id))


@network_route(bp, "/dossier/pdf", methods=("POST",))
def dossier_pdf(access: Access):
    names = access.viewer == "facilitator" and request.form.get("names") == "1"
    who = f"facilitator:{session['facilitator_id']}" if access.viewer == "facilitator" else \
        f"network:{access.network_id}"
    job_id = jobs.request(get_db(), "dossier", access.network_id, {"names": names, "lang": _lang()}, who)
    return redirect(access.url("report_job", job_id=job_id))


def _dossier_job(access: Access, job_id) -> dict:
    job = or_404(store.report_job(get_db(), job_id))
    if job["kind"] != "dossier" or job["subject_id"] != access.network_id:
        abort(404)
    return job


@network_route(bp, "/reports/<int:job_id>")
def report_job(access: Access, job_id):
    job = _dossier_job(access, job_id)
    network = store.network(get_db(), access.network_id)
    return render_template("reports/job.html", job=job, subject=network["name"],
                           status_url=access.url("report_status", job_id=job_id),
                           download_url=access.url("report_download", job_id=job_id),
                           back_url=access.url("dossier_page"))


@network_route(bp, "/reports/<int:job_id>.json")
def report_status(access: Access, job_id):
    return jsonify(jobs.status(_dossier_job(access, job_id)))


@network_route(bp, "/reports/<int:job_id>/download")
def report_download(access: Access, job_id):
    job = _dossier_job(access, job_id)
    path = or_404(jobs.file_of(current_app, job))
    return send_file(path, mimetype="application/pdf", as_attachment=True,
                     download_name=f"dossier-network-{access.network_id}.pdf")


@network_route(bp, "/export.zip")
def network_export_zip(access: Access):
    tables = exports.network_data(get_db(), access.network_id)
    stem = f"network-{access.network_id}"
    return _attachment(exports.as_zip(tables, exports.dictionary_network(), stem), "application/zip", f"{stem}.zip")


@network_route(bp, "/export.json")
def network_export_json(access: Access):
    tables = exports.network_data(get_db(), access.network_id)
    return _attachment(exports.as_json(tables, exports.dictionary_network()), "application/json",
                       f"network-{access.network_id}.json")
