"""What the squad's network figures cost, to decide where they are computed.

The figures (networkx: betweenness, articulation points, reciprocity, density) come with the
team's view and with every broadcast of a change of the map's structure, computed inside the
action (a pure function of the canvas). Measured here, at a canvas of a typical size and at the
canvas limits (``MAX_ITEMS``, every text at its longest):

- ``figures``: ``analysis.figures`` alone (median of 20);
- ``structural``, ``edit``: a whole action through the pipeline, on a network workspace seeded with
  the canvas (Flask-SocketIO test client, server time: validate, apply, write, ack, broadcast;
  median of 15): ``structural`` says that a role manages a strategy, or no longer does (a change of
  the canvas's structure: the figures are computed and broadcast; at the limits no item can be
  added), ``edit`` changes an interaction's text (no figures);
- ``map``: the server-side SVG of the map (``svgmap.render``, median of 5).

    python -m bench.squad_figures
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from .canvas_size import largest_allowed


def typical() -> dict:
    """What a network writes: 5 strategies, 12 roles, 25 interactions."""
    from facilitation_squad.canvas import SCHEMA

    roles = [{"id": f"r{n}", "title": f"Ruolo {n}", "organisation": "Ente", "profession": "", "manages": [f"s{n % 5}"]}
             for n in range(12)]
    return {"schema": SCHEMA, "goal": "Obiettivo", "needs": "",
            "strategies": [{"id": f"s{n}", "title": f"Strategia {n}", "objectives": [{"id": f"o{n}", "text": "x"}]}
                           for n in range(5)],
            "roles": roles,
            "interactions": [{"id": f"i{n}", "source": f"r{n % 12}", "target": f"r{(n * 5 + 1) % 12}",
                              "what": "segnalazioni", "channel": "email", "frequency": "mensile"} for n in range(25)]}


def median_ms(action, times: int) -> float:
    action()
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 2)


def measure(app, db, name: str, canvas: dict) -> dict:
    from facilitation import store
    from facilitation.api.testing import add_version
    from facilitation.db import transaction
    from facilitation_squad import analysis, svgmap
    from facilitation_squad.canvas import SCHEMA

    with transaction(db):
        network = store.save_network(db, {"name": name})
        add_version(db, network, {"schema": SCHEMA, "canvas": canvas, "reason": "saved", "authors": ["Bench"]}, "S",
                    exercise_type="squad")
        token = store.issue_network_link(db, network)
    http = app.test_client()
    http.get(f"/n/{token}")
    client = app.extensions["socketio"].test_client(app, flask_test_client=http, auth={"role": "network", "link": token})
    client.get_received()
    counter = iter(range(10**6))
    roles = [r["id"] for r in canvas["roles"]]

    def action(type_, payload):
        def run():
            ack = client.emit("action", {"workspace": "squad", "type": type_, "payload": payload()}, callback=True)
            assert ack["ok"], ack
            client.get_received()
        return run

    first = canvas["interactions"][0]["id"]
    strategy = canvas["strategies"][-1]["id"]
    row = {"canvas": name, "roles": len(canvas["roles"]), "interactions": len(canvas["interactions"]),
           "figures_ms": median_ms(lambda: analysis.figures(canvas), 20)}
    row["structural_ms"] = median_ms(action("manage", lambda: {"role": roles[0], "strategy": strategy,
                                                               "on": next(counter) % 2 == 0}), 15)
    row["edit_ms"] = median_ms(action("edit", lambda: {"kind": "interaction", "id": first, "field": "what",
                                                       "value": f"testo {next(counter)}", "base": 0}), 15)
    row["map_ms"] = median_ms(lambda: svgmap.render(canvas), 5)
    client.disconnect()
    return row


def main() -> list[dict]:
    import os

    from facilitation import create_app
    from facilitation.db import borrowed, migrate

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["FACILITATION_INSTANCE"] = tmp
        app = create_app({"SECRET_KEY": "bench", "DATABASE": str(Path(tmp) / "bench.db"), "WTF_CSRF_ENABLED": False,
                          "SOCKET_RATE_PER_ADDRESS": [100000, 100000]})
        with borrowed(app) as db:
            migrate(db, app.extensions["facilitation.registry"])
            rows = [measure(app, db, "typical", typical()), measure(app, db, "largest allowed (limits)", largest_allowed())]
        app.extensions["facilitation.pool"].close()
    keys = list(rows[0])
    print(" | ".join(keys))
    for row in rows:
        print(" | ".join(str(row[k]) for k in keys))
    return rows


if __name__ == "__main__":
    main()
