"""What the largest squad canvas costs: the comparison page, the workspace snapshot, the import.

Two canvases: the largest import the report found before there were limits (500 KB, 16,000
objectives), stored directly as two versions since the import now refuses it; and the largest
canvas the limits allow (``MAX_ITEMS``, every text at its longest length). For each: the
comparison page of its two versions (server time, median of a few renders), the first
connection to the network's workspace (which seeds the live state from the latest version)
and a later one (the snapshot alone), with the snapshot's size; and the import of the file.

    python -m bench.canvas_size
"""

from __future__ import annotations

import io
import json
import statistics
import tempfile
import time
from pathlib import Path

RENDERS = 5


def reported_worst() -> dict:
    """The report's import: 80 strategies of 200 objectives each (16,000), about 500 KB."""
    from facilitation_squad.canvas import SCHEMA

    return {"schema": SCHEMA, "goal": "Obiettivo", "needs": "",
            "strategies": [{"id": f"s{s}", "title": f"Strategia {s}",
                            "objectives": [{"id": f"s{s}o{o}", "text": f"obiettivo {o}"} for o in range(200)]}
                           for s in range(80)],
            "roles": [], "interactions": []}


def largest_allowed() -> dict:
    """Every limit reached, every text as long as it may be."""
    from facilitation_squad.canvas import KINDS, MAX_ITEMS, SCHEMA

    def text(kind, field):
        return ("parola " * 400)[:KINDS[kind][1][field]].strip()

    strategies, roles = MAX_ITEMS["strategy"], MAX_ITEMS["role"]
    per = MAX_ITEMS["objective"] // strategies
    return {
        "schema": SCHEMA, "goal": text("goal", "text"), "needs": text("needs", "text"),
        "strategies": [{"id": f"s{s}", "title": text("strategy", "title"),
                        "objectives": [{"id": f"s{s}o{o}", "text": text("objective", "text")} for o in range(per)]}
                       for s in range(strategies)],
        "roles": [{"id": f"r{r}", "title": text("role", "title"), "organisation": text("role", "organisation"),
                   "profession": text("role", "profession"), "manages": [f"s{r % strategies}"]} for r in range(roles)],
        "interactions": [{"id": f"i{i}", "source": f"r{i % roles}", "target": f"r{(i * 7 + 1) % roles}",
                          "what": text("interaction", "what"), "channel": text("interaction", "channel"),
                          "frequency": text("interaction", "frequency")} for i in range(MAX_ITEMS["interaction"])],
    }


def changed(canvas: dict) -> dict:
    """The same canvas with a text changed in every item: the comparison lists everything."""
    later = json.loads(json.dumps(canvas))
    for s in later["strategies"]:
        s["title"] += "!"
        for o in s["objectives"]:
            o["text"] = o["text"][:-1] + "?"
    for r in later["roles"]:
        r["title"] = r["title"][:-1] + "?"
    for i in later["interactions"]:
        i["what"] = i["what"][:-1] + "?"
    return later


def median_ms(action, times: int = RENDERS) -> float:
    action()
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 1)


def measure(app, db, name: str, canvas: dict) -> dict:
    from facilitation import store
    from facilitation.api.testing import add_version
    from facilitation.db import transaction
    from facilitation_squad.canvas import SCHEMA

    with transaction(db):
        network = store.save_network(db, {"name": name})
        for doc in (canvas, changed(canvas)):
            add_version(db, network, {"schema": SCHEMA, "canvas": doc, "reason": "saved", "authors": ["Bench"]}, "S", exercise_type="squad")
        token = store.issue_network_link(db, network)
    body = json.dumps({"schema": SCHEMA, "canvas": canvas}).encode()
    http = app.test_client()
    http.get(f"/n/{token}")
    compare = f"/n/{token}/squad/compare?a=1&b=2"
    page = http.get(compare)
    compare_ms = median_ms(lambda: http.get(compare))
    socketio = app.extensions["socketio"]

    def connect():
        client = socketio.test_client(app, flask_test_client=http, auth={"role": "network", "link": token})
        snapshot = next(m["args"][0] for m in client.get_received() if m["name"] == "snapshot")
        client.disconnect()
        return snapshot

    start = time.perf_counter()
    snapshot = connect()
    first_ms = round((time.perf_counter() - start) * 1000, 1)
    later_ms = median_ms(connect, 3)
    start = time.perf_counter()
    imported = http.post(f"/n/{token}/squad/import", data={"file": (io.BytesIO(body), "squad.json")},
                         content_type="multipart/form-data")
    import_ms = round((time.perf_counter() - start) * 1000, 1)
    objectives = sum(len(s["objectives"]) for s in canvas["strategies"])
    return {"canvas": name, "file_kb": round(len(body) / 1024), "objectives": objectives,
            "items": len(canvas["strategies"]) + objectives + len(canvas["roles"]) + len(canvas["interactions"]),
            "compare_ms": compare_ms, "compare_kb": round(len(page.data) / 1024),
            "workspace_first_ms": first_ms, "workspace_ms": later_ms,
            "snapshot_kb": round(len(json.dumps(snapshot, ensure_ascii=False).encode()) / 1024),
            "import": "accepted" if b"flash-ok" in http.get(imported.headers["Location"]).data else "refused",
            "import_ms": import_ms}


def main() -> list[dict]:
    import os

    from facilitation import create_app
    from facilitation.db import borrowed, migrate

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["FACILITATION_INSTANCE"] = tmp
        app = create_app({"SECRET_KEY": "bench", "DATABASE": str(Path(tmp) / "bench.db"), "WTF_CSRF_ENABLED": False})
        with borrowed(app) as db:
            migrate(db, app.extensions["facilitation.registry"])
            rows = [measure(app, db, "reported worst (no limits)", reported_worst()),
                    measure(app, db, "largest allowed (limits)", largest_allowed())]
        app.extensions["facilitation.pool"].close()
    keys = list(rows[0])
    print(" | ".join(keys))
    for row in rows:
        print(" | ".join(str(row[k]) for k in keys))
    return rows


if __name__ == "__main__":
    main()
