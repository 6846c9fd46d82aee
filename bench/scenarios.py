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

    # The event types of the scenario's actions, as the server stores them (a bare server
    # stores every action as a row of ``votes``).
    stored_types: tuple[str, ...] = ("answer",)

    def persisted(self, database: Path, bare: bool) -> int:
        import sqlite3

        with sqlite3.connect(database) as conn:
            if bare:
                return conn.execute("SELECT count(*) FROM votes").fetchone()[0]
            marks = ", ".join("?" * len(self.stored_types))
            return conn.execute(f"SELECT count(*) FROM events WHERE type IN ({marks})",
                                list(self.stored_types)).fetchone()[0]


class CanvasCoEdit(PollBurst):
    """Network teams co-edit their squad canvas: each person adds a strategy, then edits the
    team's change goal. Every edit is broadcast to the person's team (and facilitators) only."""

    name = "canvas"
    stored_types = ("add", "edit")
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


class HostilePoll(PollBurst):
    """The poll burst while anonymous connections flood the server (``bench/flood.py``); each
    case of ``--floods`` sets how many flooders and how large their frames are."""

    name = "hostile"


class EbookDuringPoll(PollBurst):
    """The poll burst while the facilitator has the e-book of a 10-meeting lab built: the PDF is
    asked for through the real page just before the burst, and its builder (a process of its own,
    at a lower priority) lays it out while the votes arrive. Compare its acks with ``poll``'s."""

    name = "ebook"
    LAB_MEETINGS = 10
    PEOPLE = 24  # at each of the lab's meetings

    def seed(self, database: Path, secret: str) -> dict:
        import time

        from facilitation import create_app, store
        from facilitation.db import borrowed, transaction
        from facilitation.demo import POLLS, Person, hold

        seeded = super().seed(database, secret)
        app = create_app({"DATABASE": str(database), "SECRET_KEY": secret})
        with borrowed(app) as db:
            fid = store.facilitator_by_email(db, FACILITATOR[0])["id"]
            networks = [n["id"] for n in store.networks(db)]
            with transaction(db):
                lab = store.save_lab(db, {"title": "Laboratorio di dieci incontri", "theme": "Coprogettazione"},
                                     networks[:12], created_by=fid)
            start = time.time() - 90 * 86400
            for number in range(self.LAB_MEETINGS):
                at = start + number * 7 * 86400
                with transaction(db):
                    meeting = store.create_meeting(db, lab, {"title": f"Incontro {number + 1}"})
                    for config in POLLS:
                        store.add_item(db, meeting, "poll", {**config, "hide_results": False})
                people = [Person(f"Persona {number}-{i}", networks[i % 12], f"Ente {i % 7}", "mediator",
                                 [(at, at + 4 * 3600 - i * 60)]) for i in range(self.PEOPLE)]
                hold(app, db, meeting, fid, people, lambda item, i, p: _bench_answer(item, i), at, at + 4 * 3600)
        app.extensions["facilitation.pool"].close()
        self.lab, self.database = lab, database
        return {**seeded, "lab": lab}

    def progress_now(self, seeded: dict) -> None:
        """At the end of the burst: was the e-book still being built (so the whole burst ran beside it)?"""
        import sqlite3

        with sqlite3.connect(self.database) as conn:
            state, progress = conn.execute("SELECT state, progress FROM report_jobs ORDER BY id DESC").fetchone()
        self.progress_at_burst_end = f"{state} {progress}%"

    async def before_burst(self, url: str, seeded: dict) -> None:
        """The facilitator asks for the lab's e-book as a PDF, from its page."""
        import aiohttp

        from .run import CSRF

        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            async with http.get(f"{url}/f/login") as page:
                token = CSRF.search(await page.text()).group(1)
            await (await http.post(f"{url}/f/login", data={"csrf_token": token, "email": FACILITATOR[0],
                                                           "password": FACILITATOR[2]})).release()
            async with http.get(f"{url}/f/labs/{seeded['lab']}/ebook") as page:
                token = CSRF.search(await page.text()).group(1)
            async with http.post(f"{url}/f/labs/{seeded['lab']}/ebook/pdf", allow_redirects=False,
                                 data={"csrf_token": token, "names": "0"}) as answer:
                if answer.status != 302:
                    raise RuntimeError(f"the e-book was not asked for: HTTP {answer.status}")

    def persisted(self, database: Path, bare: bool) -> int:
        import sqlite3

        with sqlite3.connect(database) as conn:  # the burst's votes, not the lab's seeded answers
            return conn.execute("SELECT count(*) FROM events WHERE type = 'answer' AND item_id = ?",
                                [self.item]).fetchone()[0]

    def report(self, database: Path) -> dict:
        """How the e-book's build went beside the burst (its job, as the server stored it)."""
        import sqlite3
        import time

        deadline = time.monotonic() + 300  # the build goes on after the burst: wait for it to end
        with sqlite3.connect(database) as conn:
            while time.monotonic() < deadline:
                state, progress, pages, created, finished = conn.execute(
                    "SELECT state, progress, pages, created_at, finished_at FROM report_jobs ORDER BY id DESC"
                ).fetchone()
                if state in ("done", "failed"):
                    break
                time.sleep(1)
        return {"ebook_state": state, "ebook_pages": pages, "ebook_asked": created, "ebook_finished": finished,
                "ebook_progress_at_burst_end": getattr(self, "progress_at_burst_end", None)}


class BoardWrite(PollBurst):
    """The obstacle board in network teams (35): each person writes two notes; every member of
    the team sees the team's board come back as coalesced results (a push per team that changed,
    at most RESULTS_PER_SECOND a second), never another team's."""

    name = "board"
    stored_types = ("write",)
    # Ours pushes `results` to the team; the bare baseline sends each action to the team as an `event`.
    listen = ["results", "event"]
    notes_per_person = 2
    config = {"title": "Ostacoli", "scope": "team", "anonymous": False, "controlled": False, "team_clusters": True,
              "dots": 3, "stack": False,
              "columns": ["Ostacoli a una cultura di squadra", "Ostacoli alla corresponsabilità", "Aspetti da sviluppare"]}

    def seed(self, database: Path, secret: str) -> dict:
        from facilitation import store
        from facilitation.db import borrowed, transaction

        app, networks, lab = seed_core(database, secret)
        if "board" not in app.extensions["facilitation.registry"].exercises:
            raise RuntimeError("the obstacle board exercise is not installed")
        with borrowed(app) as db, transaction(db):
            meeting = store.create_meeting(db, lab, {"title": "Leggere gli ostacoli"})
            item = store.add_item(db, meeting, "board", self.config)
            code = store.meeting(db, meeting)["join_code"]
            self.prepare(db, item, networks)
        app.extensions["facilitation.pool"].close()
        self.networks = [networks[i % len(networks)] for i in range(self.participants)]
        return {"meeting": meeting, "code": code, "item": item, "networks": self.networks}

    def prepare(self, db, item: int, networks: list[int]) -> None:
        """The board's state before the burst (nothing: every board starts empty, in writing)."""

    def groups(self) -> list[str]:
        return [f"n{network}" for network in self.networks]

    def schedule(self, seeded: dict) -> list[tuple[int, float, dict]]:
        people = self.random.sample(range(self.participants), min(self.votes, self.participants))
        entries = []
        for i in people:
            for k in range(self.notes_per_person):
                entries.append((i, self.random.uniform(0, self.window), {
                    "item": seeded["item"], "type": "write", "cid": f"bench-w{i}-{k}",
                    "payload": {"column": self.random.randrange(3), "text": f"Ostacolo {k + 1} di {i}"}}))
        return sorted(entries, key=lambda entry: entry[1])


class BoardVote(BoardWrite):
    """Dot voting on the obstacle board in network teams: each team's board holds 8 notes and is in
    the voting phase; each person puts two dots. Nobody's dots reach the others before the results:
    what the members receive is the team's board pushed again (coalesced), without dots."""

    name = "board-vote"
    stored_types = ("vote",)
    seeded_notes = 8

    def prepare(self, db, item: int, networks: list[int]) -> None:
        from facilitation import store

        store.write_state(db, f"i{item}", {"phase": {"phase": "voting"}})
        for network in networks:
            space = f"i{item}:n{network}"
            notes = {f"n:n{k}": {"id": f"n{k}", "no": k, "col": k % 3, "text": f"Ostacolo {k}", "by": "facilitator:1",
                                 "name": None, "net": network, "held": False, "cl": None, "dots": 0, "at": 0.0}
                     for k in range(1, self.seeded_notes + 1)}
            store.write_state(db, space, {"@start": {"artifact": None}, **notes,
                                          "c": {"notes": self.seeded_notes, "clusters": 0, "live": self.seeded_notes,
                                                "live_clusters": 0}})

    def schedule(self, seeded: dict) -> list[tuple[int, float, dict]]:
        people = self.random.sample(range(self.participants), min(self.votes, self.participants))
        entries = []
        for i in people:
            for k, note in enumerate(self.random.sample(range(1, self.seeded_notes + 1), 2)):
                entries.append((i, self.random.uniform(0, self.window), {
                    "item": seeded["item"], "type": "vote", "cid": f"bench-v{i}-{k}",
                    "payload": {"note": f"n{note}", "add": True}}))
        return sorted(entries, key=lambda entry: entry[1])


class QuestionsBurst(PollBurst):
    """A conference asks and upvotes: the room already has published questions; each person
    upvotes one (a few questions draw most votes, as in a real room), and one in ten also asks a
    question of their own, published at once. Every change reaches everyone through coalesced
    ``results`` pushes (the top and the newest questions), as the poll's results do."""

    name = "questions"
    stored_types = ("vote", "ask")
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


def _bench_answer(item, index):
    kind = item["config"].get("kind")
    if kind == "single":
        return "answer", {"value": index % len(item["config"]["options"])}
    if kind == "multiple":
        return "answer", {"value": [index % len(item["config"]["options"])]}
    if kind == "scale":
        return "answer", {"value": 1 + index % 5}
    return "answer", {"value": ["fiducia", "ascolto", "rete"][index % 3]}


SCENARIOS = {"poll": PollBurst, "canvas": CanvasCoEdit, "hostile": HostilePoll, "ebook": EbookDuringPoll,
             "board": BoardWrite, "board-vote": BoardVote, "questions": QuestionsBurst}
