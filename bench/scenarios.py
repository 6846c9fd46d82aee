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


class CanvasCoEdit(PollBurst):
    """Network teams co-edit their squad canvas: each person adds a strategy, then edits the
    team's change goal. Every edit is broadcast to the person's team (and facilitators) only."""

    name = "canvas"
    listen = ["event"]
    actions_per_person = 2

    def seed(self, database: Path, secret: str) -> dict:
        from facilitation import store
        from facilitation.db import borrowed, transaction

        app, networks, lab = seed_core(database, secret)
        if "squad" not in app.extensions["facilitation.registry"].exercises:
            raise RuntimeError("the squad canvas exercise is not installed")
        with borrowed(app) as db, transaction(db):
            meeting = store.create_meeting(db, lab, {"title": "Laboratorio squadre"})
            item = store.add_item(db, meeting, "squad", {"title": "La nostra squadra", "start": "blank"})
            code = store.meeting(db, meeting)["join_code"]
        app.extensions["facilitation.pool"].close()
        self.networks = [networks[i % len(networks)] for i in range(self.participants)]
        return {"meeting": meeting, "code": code, "item": item, "networks": self.networks}

    def groups(self) -> list[str]:
        return [f"n{network}" for network in self.networks]

    def schedule(self, seeded: dict) -> list[tuple[int, float, dict]]:
        people = self.random.sample(range(self.participants), min(self.votes, self.participants))
        entries = []
        for i in people:
            first = self.random.uniform(0, self.window / 2)
            entries.append(
                (
                    i,
                    first,
                    {
                        "item": seeded["item"],
                        "type": "add",
                        "cid": f"bench-a{i}",
                        "payload": {"kind": "strategy", "id": f"b{i}", "fields": {"title": f"Strategia {i}"}},
                    },
                )
            )
            entries.append(
                (
                    i,
                    first + self.random.uniform(0.5, self.window / 2),
                    {
                        "item": seeded["item"],
                        "type": "edit",
                        "cid": f"bench-e{i}",
                        "payload": {"kind": "goal", "field": "text", "value": f"Obiettivo {i}", "base": 0},
                    },
                )
            )
        return sorted(entries, key=lambda entry: entry[1])

    def persisted(self, database: Path, bare: bool) -> int:
        import sqlite3

        with sqlite3.connect(database) as conn:
            if bare:
                return conn.execute("SELECT count(*) FROM votes").fetchone()[0]
            return conn.execute("SELECT count(*) FROM events WHERE type IN ('add', 'edit')").fetchone()[0]


class QuestionsBurst(PollBurst):
    """A conference asks and upvotes: the room already has published questions; each person
    upvotes one (a few questions draw most votes, as in a real room), and one in ten also asks a
    question of their own, published at once. Every change reaches everyone through coalesced
    ``results`` pushes (the top and the newest questions), as the poll's results do."""

    name = "questions"
    listen = ["results"]
    seeded_questions = 30
    askers = 10  # one person in this many also asks

    def seed(self, database: Path, secret: str) -> dict:
        from facilitation import store
        from facilitation.db import borrowed, transaction
        from facilitation.exercise import Action, Actor, State

        app, networks, lab = seed_core(database, secret)
        exercise = app.extensions["facilitation.registry"].exercises.get("questions")
        if exercise is None:
            raise RuntimeError("the questions exercise is not installed")
        config = {"title": "Domande ai relatori", "moderation": "open", "names": "choice", "per_person": 5, "top": 5}
        with borrowed(app) as db, transaction(db):
            meeting = store.create_meeting(db, lab, {"title": "Convegno finale"})
            item = store.add_item(db, meeting, "questions", config)
            # The questions already asked, through the exercise's own rule (by people not in this run).
            state = State({}, config=config)
            for q in range(self.seeded_questions):
                asker = Actor("participant", 10**6 + q, f"Relatore {q}", networks[q % len(networks)])
                action = Action("ask", {"text": f"Domanda già in sala numero {q + 1}?", "anonymous": q % 3 == 0})
                state = state.with_changes(exercise.apply(state, action, asker).changes)
            store.write_state(db, f"i{item}", dict(state))
            code = store.meeting(db, meeting)["join_code"]
        app.extensions["facilitation.pool"].close()
        self.item = item
        return {
            "meeting": meeting,
            "code": code,
            "item": item,
            "networks": [networks[i % len(networks)] for i in range(self.participants)],
        }

    def schedule(self, seeded: dict) -> list[tuple[int, float, dict]]:
        people = self.random.sample(range(self.participants), min(self.votes, self.participants))
        # Popularity: question k drawn with weight 1/k.
        weights = [1 / k for k in range(1, self.seeded_questions + 1)]
        entries = []
        for i in people:
            question = self.random.choices(range(1, self.seeded_questions + 1), weights)[0]
            entries.append(
                (
                    i,
                    self.random.uniform(0, self.window),
                    {
                        "item": seeded["item"],
                        "type": "vote",
                        "cid": f"bench-v{i}",
                        "payload": {"question": question, "up": True},
                    },
                )
            )
            if i % self.askers == 0:
                entries.append(
                    (
                        i,
                        self.random.uniform(0, self.window),
                        {
                            "item": seeded["item"],
                            "type": "ask",
                            "cid": f"bench-q{i}",
                            "payload": {"text": f"Una domanda dal pubblico, persona {i}?", "anonymous": i % 2 == 0},
                        },
                    )
                )
        return sorted(entries, key=lambda entry: entry[1])

    def persisted(self, database: Path, bare: bool) -> int:
        import sqlite3

        with sqlite3.connect(database) as conn:
            if bare:
                return conn.execute("SELECT count(*) FROM votes").fetchone()[0]
            return conn.execute("SELECT count(*) FROM events WHERE type IN ('vote', 'ask')").fetchone()[0]


SCENARIOS = {"poll": PollBurst, "canvas": CanvasCoEdit, "questions": QuestionsBurst}
