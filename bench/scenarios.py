"""What the simulated participants do, one class per kind of load.

A scenario seeds a meeting, tells the facilitator what to open, and gives the
client processes a schedule of actions and the pushes to wait for. The client
processes know nothing of exercises: a new kind of load (co-editing a squad
canvas in network teams) is a new class here with the same four methods.
"""

from __future__ import annotations

import random
from pathlib import Path

NETWORKS = 35  # as many as the programme's territorial networks
FACILITATOR = ("bench@facilitation.example", "Bench facilitator", "bench password 1234")


def seed_core(database: Path, secret: str):
    """The app on ``database`` (migrated), a facilitator, the networks and a lab."""
    from facilitation import create_app, store
    from facilitation.auth import create_facilitator
    from facilitation.db import borrowed, migrate, transaction

    app = create_app({"DATABASE": str(database), "SECRET_KEY": secret})
    with borrowed(app) as db:
        migrate(db, app.extensions["facilitation.registry"])
        with transaction(db):
            create_facilitator(db, *FACILITATOR)
            networks = [
                store.save_network(db, {"name": f"Rete {n:02d}", "lead_body": f"Comune {n:02d}"})
                for n in range(1, NETWORKS + 1)
            ]
            lab = store.save_lab(db, {"title": "Convegno finale"}, networks)
    return app, networks, lab


class PollBurst:
    """Everyone answers one single-choice poll whose results are live for all."""

    name = "poll"
    listen = ["results"]

    def __init__(self, participants: int, votes: int, window: float, seed: int = 7):
        self.participants, self.votes, self.window = participants, votes, window
        self.random = random.Random(seed)

    def seed(self, database: Path, secret: str) -> dict:
        from facilitation import store
        from facilitation.db import borrowed, transaction

        app, networks, lab = seed_core(database, secret)
        with borrowed(app) as db, transaction(db):
            meeting = store.create_meeting(db, lab, {"title": "Plenaria"})
            item = store.add_item(
                db,
                meeting,
                "poll",
                {
                    "title": "Quale strategia prima?",
                    "kind": "single",
                    "options": ["A", "B", "C", "D"],
                    "hide_results": False,
                },
            )
            code = store.meeting(db, meeting)["join_code"]
        app.extensions["facilitation.pool"].close()
        self.item = item
        return {
            "meeting": meeting,
            "code": code,
            "item": item,
            "networks": [networks[i % len(networks)] for i in range(self.participants)],
        }

    def controls(self, seeded: dict) -> list[dict]:
        return [{"cmd": "start"}, {"cmd": "open", "item": seeded["item"]}]

    def groups(self) -> list[str]:
        """Who must receive whose actions: here, everyone everyone's."""
        return ["all"] * self.participants

    def schedule(self, seeded: dict) -> list[tuple[int, float, dict]]:
        voters = self.random.sample(range(self.participants), min(self.votes, self.participants))
        return sorted(
            (
                (
                    i,
                    self.random.uniform(0, self.window),
                    {
                        "item": seeded["item"],
                        "type": "answer",
                        "payload": {"value": self.random.randrange(4)},
                        "cid": f"bench-{i}",
                    },
                )
                for i in voters
            ),
            key=lambda entry: entry[1],
        )

    def persisted(self, database: Path, bare: bool) -> int:
        import sqlite3

        with sqlite3.connect(database) as conn:
            if bare:
                return conn.execute("SELECT count(*) FROM votes").fetchone()[0]
            return conn.execute("SELECT count(*) FROM events WHERE type = 'answer'").fetchone()[0]


SCENARIOS = {"poll": PollBurst}
