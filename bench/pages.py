"""Page speed with a realistic archive: 100,000 stored events, labs, meetings, participants, artifacts.

Every GET page of the facilitator, archive and report areas is rendered with
the Flask test client (server time only: no network), the median of a few
renders after a warm-up; and the participant's live page is weighed: its HTML
plus every script and stylesheet it links, as a browser would fetch them.

    python -m bench.pages
"""

from __future__ import annotations

import gzip
import json
import random
import re
import statistics
import tempfile
import time
from pathlib import Path

EVENTS = 100_000
NETWORKS, LABS, MEETINGS_PER_LAB, ITEMS_PER_MEETING, PEOPLE_PER_MEETING = 35, 8, 5, 5, 60
RENDERS = 5
SQUAD_VERSIONS = 12
TARGET_MS, WEIGHT_KB = 200, 300
PASSWORD = "bench password 1234"


def seed(app) -> dict:
    from facilitation import store
    from facilitation.auth import create_facilitator
    from facilitation.db import borrowed, dumps, migrate, transaction

    rnd = random.Random(3)
    with borrowed(app) as db:
        migrate(db, app.extensions["facilitation.registry"])
        with transaction(db):
            create_facilitator(db, "bench@facilitation.example", "Bench", PASSWORD)
            networks = [
                store.save_network(db, {"name": f"Rete {n:02d}", "lead_body": f"Comune {n:02d}"})
                for n in range(NETWORKS)
            ]
            meetings, items = [], []
            for lab_no in range(LABS):
                lab = store.save_lab(db, {"title": f"Laboratorio {lab_no}", "theme": "coprogettazione"}, networks)
                for m in range(MEETINGS_PER_LAB):
                    meeting = store.create_meeting(
                        db, lab, {"title": f"Incontro {m}", "starts_at": f"2026-0{m + 1}-10"}
                    )
                    meetings.append((lab, meeting))
                    for k in range(ITEMS_PER_MEETING):
                        items.append(
                            (
                                lab,
                                meeting,
                                store.add_item(
                                    db,
                                    meeting,
                                    "poll",
                                    {"title": f"Domanda {k}", "kind": "single", "options": ["A", "B", "C"]},
                                ),
                            )
                        )
            people = []
            for _, meeting in meetings:
                for p in range(PEOPLE_PER_MEETING):
                    network = networks[p % NETWORKS]
                    pid = (
                        db["participants"]
                        .insert(
                            {
                                "meeting_id": meeting,
                                "name": f"Persona {p}",
                                "network_id": network,
                                "team": f"n{network}",
                                "token_hash": f"{meeting}-{p}",
                            }
                        )
                        .last_pk
                    )
                    people.append((meeting, pid, network))
                    db.execute(
                        "INSERT INTO attendance (participant_id, meeting_id, sid, joined_at, left_at)"
                        " VALUES (?,?,?,?,?)",
                        [pid, meeting, f"s{pid}", time.time(), time.time()],
                    )
            by_meeting: dict[int, list] = {}
            for meeting, pid, network in people:
                by_meeting.setdefault(meeting, []).append((pid, network))
            seqs: dict[int, int] = {}
            rows = []
            for n in range(EVENTS):
                _, meeting, item = items[n % len(items)]
                pid, network = rnd.choice(by_meeting[meeting])
                seqs[meeting] = seqs.get(meeting, 0) + 1
                rows.append(
                    (
                        f"m{meeting}",
                        seqs[meeting],
                        meeting,
                        item,
                        f"participant:{pid}",
                        network,
                        "answer",
                        dumps({"value": rnd.randrange(3)}),
                        f"c{n}",
                        f"m{meeting}:p,m{meeting}:f",
                        time.time(),
                    )
                )
            db.conn.executemany(
                "INSERT INTO events (stream, seq, meeting_id, item_id, actor, network_id, type, payload, client_id,"
                " audience, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                rows,
            )
            for meeting, seq in seqs.items():
                db.execute("INSERT INTO streams (key, seq) VALUES (?, ?)", [f"m{meeting}", seq])
            for lab, meeting, item in items:
                db.execute("UPDATE agenda_items SET status = 'locked' WHERE id = ?", [item])
                for network in networks:
                    counts = [rnd.randrange(5) for _ in range(3)]
                    store.add_artifact(
                        db,
                        network_id=network,
                        lab_id=lab,
                        meeting_id=meeting,
                        item_id=item,
                        exercise_type="poll",
                        title="Domanda",
                        data={
                            "kind": "single",
                            "question": "Domanda",
                            "options": ["A", "B", "C"],
                            "scale_low": "",
                            "scale_high": "",
                            "overall": {"counts": counts, "total": sum(counts)},
                            "network": {"counts": counts, "total": sum(counts)},
                        },
                    )
            db.execute("UPDATE meetings SET state = 'ended'")
            live_lab, live_meeting = meetings[-1]
            db.execute(
                "UPDATE meetings SET state = 'live', current_item_id = ? WHERE id = ?", [items[-1][2], live_meeting]
            )
            db.execute("UPDATE agenda_items SET status = 'open' WHERE id = ?", [items[-1][2]])
            code = store.meeting(db, live_meeting)["join_code"]
            versions = _squad_versions(db, networks[0], rnd)
            token = store.issue_network_link(db, networks[0])
            artifacts = db.execute("SELECT count(*) FROM artifacts").fetchone()[0]
    return {
        "meeting_id": live_meeting,
        "lab_id": live_lab,
        "network_id": networks[0],
        "item_id": items[-1][2],
        "code": code,
        "token": token,
        "number": versions,
        "events": EVENTS,
        "artifacts": artifacts,
        "participants": len(people),
    }


def _squad_versions(db, network_id, rnd, count: int = SQUAD_VERSIONS) -> int:
    """A network's squad canvas saved ``count`` times, at the size of a large team's:
    8 strategies of 3 objectives, 20 roles, 40 interactions, a few changes each time."""
    from facilitation.api.testing import add_version
    from facilitation_squad.canvas import SCHEMA

    strategies = [
        {"id": f"s{n}", "title": f"Strategia {n}", "objectives": [{"id": f"o{n}{k}", "text": f"Obiettivo {n}.{k}"}
                                                                   for k in range(3)]}
        for n in range(8)
    ]
    roles = [{"id": f"r{n}", "title": f"Ruolo {n}", "organisation": f"Ente {n % 7}", "profession": "educatore",
              "manages": [f"s{n % 8}"]} for n in range(20)]
    for number in range(1, count + 1):
        interactions = [
            {"id": f"i{n}", "source": f"r{n % 20}", "target": f"r{(n * 7 + number) % 20}", "what": f"casi {n}",
             "channel": "incontro", "frequency": "mensile"}
            for n in range(40) if n % 20 != (n * 7 + number) % 20
        ]
        canvas = {"schema": SCHEMA, "goal": f"Una comunità che accoglie (revisione {number})",
                  "needs": "Famiglie isolate", "strategies": strategies, "roles": roles,
                  "interactions": interactions}
        strategies[rnd.randrange(8)]["objectives"][0]["text"] += " (rivisto)"
        add_version(db, network_id, {"schema": SCHEMA, "canvas": canvas, "reason": "saved", "authors": ["Ada"]},
                    "Squadra territoriale", exercise_type="squad")
    return count


def _pages(app, ids: dict) -> list[str]:
    """Every GET page of the app with its ids filled in, except static files and the socket endpoint."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint.endswith("static") or rule.endpoint == "static":
            continue
        if rule.rule.startswith("/socket.io"):
            continue
        values = {}
        for arg in rule.arguments:
            if arg in ids:
                values[arg] = ids[arg]
            elif arg == "code":
                values[arg] = ids["code"]
        if set(values) != set(rule.arguments):
            continue
        with app.test_request_context():
            from flask import url_for

            urls.append(url_for(rule.endpoint, **values))
    return sorted(set(urls))


def measure_pages(app, ids: dict) -> list[dict]:
    client = app.test_client()
    answer = client.post("/f/login", data={"email": "bench@facilitation.example", "password": PASSWORD})
    assert answer.status_code == 302, answer.status_code
    out = []
    for url in _pages(app, ids):
        if url.startswith("/j/"):
            continue  # the participant page is weighed below, with its own cookie
        client.get(url)
        times, status = [], None
        for _ in range(RENDERS):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t0)
            status = response.status_code
        out.append(
            {"url": url, "status": status, "ms": round(statistics.median(times) * 1000, 1), "bytes": len(response.data)}
        )
    return out


def weigh_participant_page(app, ids: dict) -> dict:
    client = app.test_client()
    join = client.get(f"/j/{ids['code']}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', join.get_data(as_text=True))
    form = {"name": "Ada", "organisation": "Org", "network": str(ids["network_id"])}
    if token:
        form["csrf_token"] = token.group(1)
    assert client.post(f"/j/{ids['code']}", data=form).status_code == 302
    page = client.get(f"/j/{ids['code']}")
    html = page.data
    assets = re.findall(rb'<script[^>]+src="([^"]+)"', html) + re.findall(rb'<link[^>]+href="([^"]+\.css[^"]*)"', html)
    files = [{"url": "page", "bytes": len(html), "gzip": len(gzip.compress(html))}]
    for asset in assets:
        body = client.get(asset.decode()).data
        files.append({"url": asset.decode(), "bytes": len(body), "gzip": len(gzip.compress(body))})
    total = sum(f["bytes"] for f in files)
    return {
        "files": files,
        "total_kb": round(total / 1024, 1),
        "total_gzip_kb": round(sum(f["gzip"] for f in files) / 1024, 1),
    }


def main() -> dict:
    from facilitation import create_app

    with tempfile.TemporaryDirectory(prefix="facilitation-pages-") as tmp:
        app = create_app({"DATABASE": str(Path(tmp) / "pages.db"), "SECRET_KEY": "pages", "WTF_CSRF_ENABLED": False})
        t0 = time.perf_counter()
        ids = seed(app)
        seeded_s = time.perf_counter() - t0
        pages = measure_pages(app, ids)
        weight = weigh_participant_page(app, ids)
        app.extensions["facilitation.pool"].close()
    slowest = max((p["ms"] for p in pages), default=0)
    print(
        f"\npages with {ids['events']} events, {ids['artifacts']} artifacts, {ids['participants']} participants "
        f"(seeded in {seeded_s:.0f} s); server time, median of {RENDERS}:"
    )
    for p in sorted(pages, key=lambda p: -p["ms"]):
        flag = "" if p["ms"] < TARGET_MS else "  OVER TARGET"
        print(f"  {p['ms']:8.1f} ms  {p['status']}  {p['bytes'] / 1024:7.1f} KB  {p['url']}{flag}")
    print(
        f"participant page: {weight['total_kb']} KB ({weight['total_gzip_kb']} KB gzipped) in "
        f"{len(weight['files'])} files; target < {WEIGHT_KB} KB"
    )
    return {
        "seed": ids,
        "pages": pages,
        "slowest_ms": slowest,
        "pages_target_met": slowest < TARGET_MS,
        "participant_page": weight,
        "weight_target_met": weight["total_kb"] < WEIGHT_KB,
    }


if __name__ == "__main__":
    print(json.dumps(main()["participant_page"], indent=1))
