"""The demo: a lab with five networks and a meeting of polls ready to start, and (``--history``) a
past lab whose meetings were held, so the reports have something to show.

Seeding is idempotent: a second run finds the demo and only prints how to use it.
The demo facilitator's password is generated once into the instance folder. Held meetings go
through the live engine like real ones (start, open, answers, lock, end), then get the join and
leave times of their people (``hold``): tests and benchmarks use the same path.
"""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

import click

from . import store
from .auth import create_facilitator
from .db import borrowed, migrate, transaction
from .exercise import Actor

DEMO_EMAIL = "demo@facilitation.example"
DEMO_LAB = "Coprogettazione e welfare di comunità"

NETWORKS = [
    ("Ambito di Dalmine", "Comune di Dalmine", "Provincia di Bergamo"),
    ("Garbagnate Milanese", "Comune di Garbagnate Milanese", "Città metropolitana di Milano"),
    ("Distretto Visconteo Sud Milano", "Comune di Rozzano", "Città metropolitana di Milano"),
    ("Bassa Bresciana Orientale", "Comune di Montichiari", "Provincia di Brescia"),
    ("Brescia", "Comune di Brescia", "Provincia di Brescia"),
]

POLLS = [
    {"title": "Come arrivate a questo laboratorio?", "kind": "single",
     "options": ["Con una rete già attiva", "Con una rete in costruzione", "Da soli, per ora"],
     "hide_results": True},
    {"title": "Quali aspetti vanno curati di più nella vostra rete?", "kind": "multiple",
     "options": ["Valutazione", "Cultura di squadra", "Ruolo attivo di ogni cittadino",
                 "Cura del coinvolgimento", "Corresponsabilità"], "hide_results": True},
    {"title": "Quanto collaborano oggi enti pubblici e terzo settore nel vostro territorio?", "kind": "scale",
     "scale_low": "Per niente", "scale_high": "Moltissimo", "hide_results": False},
    {"title": "Una parola per la comunità che volete costruire", "kind": "open", "hide_results": False},
]


def demo_password(app) -> str:
    path = Path(app.instance_path) / "demo_password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip()


def seed(app) -> dict:
    registry = app.extensions["facilitation.registry"]
    with borrowed(app) as db:
        migrate(db, registry)
        password = demo_password(app)
        with transaction(db):
            if not store.facilitator_by_email(db, DEMO_EMAIL):
                create_facilitator(db, DEMO_EMAIL, "Demo facilitator", password)
            network_ids = []
            for name, lead, territory in NETWORKS:
                found = store.network_named(db, name)
                network_ids.append(found["id"] if found else store.save_network(
                    db, {"name": name, "lead_body": lead, "territory": territory}))
            lab = store.lab_titled(db, DEMO_LAB)
            if lab:
                meeting = store.meetings_of_lab(db, lab["id"])[0]
            else:
                lab_id = store.save_lab(db, {"title": DEMO_LAB, "theme": "coprogettazione",
                                             "description": "Quattro incontri online, 9:30-13:30."}, network_ids)
                meeting_id = store.create_meeting(db, lab_id, {"title": "Incontro 1 - Leggere la rete",
                                                               "starts_at": "2026-12-01T09:30"})
                for config in POLLS:
                    if "poll" in registry.exercises:
                        store.add_item(db, meeting_id, "poll", config)
                if "squad" in registry.exercises:
                    store.add_item(db, meeting_id, "squad", {"title": "La nostra squadra territoriale",
                                                                 "start": "latest"})
                meeting = store.meeting(db, meeting_id)
    return {"email": DEMO_EMAIL, "password": password, "code": meeting["join_code"], "meeting_id": meeting["id"]}


def print_seed(info: dict, base_url: str) -> None:
    click.echo("")
    click.echo("  facilitation demo")
    click.echo(f"  facilitator login:  {base_url}/f/login")
    click.echo(f"      email:          {info['email']}")
    click.echo(f"      password:       {info['password']}")
    click.echo(f"  participant link:   {base_url}/j/{info['code']}")
    click.echo(f"  or type the code {store.format_code(info['code'])} at {base_url}/")
    click.echo("")


# held meetings --------------------------------------------------------------------------------

@dataclass
class Person:
    """Someone at a held meeting: who, and when their connections opened and closed (seconds since
    the epoch; ``None`` for a connection still open)."""

    name: str
    network_id: int
    organisation: str = ""
    profession: str = ""
    connections: list = field(default_factory=list)
    id: int | None = None


def hold(app, db, meeting_id: int, facilitator_id: int, people: list[Person], answers=None,
         started: float | None = None, ended: float | None = None) -> list[int]:
    """Hold a meeting as it happens live: the people sign in, the facilitator starts it, opens each
    item of its agenda, ``answers(item, index, person)`` gives each person's action (``(type,
    payload)`` or None), locks it (its results archived per network) and ends the meeting. Then
    the meeting gets its start and end times and the people their connections. Returns the
    participants' ids."""
    from .live.engine import Connection

    engine = app.extensions["facilitation.engine"]
    with transaction(db):
        for person in people:
            person.id = store.add_participant(db, meeting_id, person.name, person.organisation, person.network_id,
                                              profession=person.profession)[0]
    fac = Connection("seed", Actor("facilitator", facilitator_id), meeting_id, "console")
    with app.test_request_context():
        _control(engine, db, fac, {"cmd": "start"})
        for item in store.agenda(db, meeting_id):
            _control(engine, db, fac, {"cmd": "open", "item": item["id"]})
            for index, person in enumerate(people):
                sent = answers(item, index, person) if answers else None
                if sent is None:
                    continue
                found = store.participant(db, person.id)
                conn = Connection(f"seed-{person.id}", Actor("participant", person.id, person.name,
                                                             person.network_id, found["team"]), meeting_id,
                                  "participant")
                ack = engine.perform(db, conn, {"item": item["id"], "type": sent[0], "payload": sent[1]})
                if not ack.get("ok"):
                    raise RuntimeError(f"an answer of the seed was refused: {ack}")
            _control(engine, db, fac, {"cmd": "lock", "item": item["id"]})
        _control(engine, db, fac, {"cmd": "end"})
    with transaction(db):
        if started is not None:
            store.set_meeting_times(db, meeting_id, _iso(started), _iso(ended) if ended is not None else None)
        for person in people:
            for joined, left in person.connections:
                store.add_attendance(db, person.id, meeting_id, joined, left)
    return [p.id for p in people]


def _control(engine, db, conn, message) -> None:
    ack = engine.control(db, conn, message)
    if not ack.get("ok"):
        raise RuntimeError(f"a control of the seed was refused: {ack}")


def _iso(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


HISTORY_LAB = "Mediazione interculturale e terza cultura"
FIRST_NAMES = ["Alessia", "Bruno", "Chiara", "Davide", "Elena", "Fabio", "Giulia", "Hamid", "Irene", "Luca",
               "Marta", "Nadia", "Omar", "Paola", "Rita", "Samir", "Teresa", "Ugo", "Vera", "Zeno"]
ORGANISATIONS = ["Comune", "Cooperativa sociale Ponti", "Istituto comprensivo", "Associazione Mondo Insieme",
                 "Consultorio familiare", "Ufficio di piano"]
PROFESSIONS_CYCLE = ["plan_manager", "mediator", "teacher", "social_worker", "educator", "project_manager", ""]


def seed_history(app, meetings: int = 4, people: int = 12, title: str = HISTORY_LAB, rng_seed: int = 7) -> int:
    """A past lab of ``meetings`` held meetings (a week apart, 9:30-13:30), ``people`` people from
    the demo's networks at each, answering its four polls; returns the lab's id (an existing lab of
    that title is kept as it is)."""
    rng = random.Random(rng_seed)
    registry = app.extensions["facilitation.registry"]
    with borrowed(app) as db:
        found = store.lab_titled(db, title)
        if found:
            return found["id"]
        demo = seed(app)
        fid = store.facilitator_by_email(db, demo["email"])["id"]
        networks = [store.network_named(db, name)["id"] for name, _lead, _territory in NETWORKS]
        with transaction(db):
            lab_id = store.save_lab(db, {"title": title, "theme": "Mediazione interculturale",
                                         "description": "La mediazione come costruzione di una terza cultura "
                                                        "comune a tutti i cittadini."}, networks, created_by=fid)
        first = time.mktime((2026, 1, 12, 9, 30, 0, 0, 0, -1))
        for number in range(meetings):
            start = first + number * 7 * 86400
            with transaction(db):
                meeting_id = store.create_meeting(db, lab_id, {
                    "title": f"Incontro {number + 1}", "starts_at": time.strftime("%Y-%m-%dT%H:%M",
                                                                                  time.localtime(start))})
                for config in POLLS:
                    if "poll" in registry.exercises:
                        store.add_item(db, meeting_id, "poll", {**config, "hide_results": False})
            crowd = []
            for i in range(people):
                joined = start + rng.randint(-900, 1200)
                left = start + 4 * 3600 - rng.randint(0, 2400)
                crowd.append(Person(f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {chr(65 + i // len(FIRST_NAMES))}.",
                                    networks[i % len(networks)], ORGANISATIONS[i % len(ORGANISATIONS)],
                                    PROFESSIONS_CYCLE[i % len(PROFESSIONS_CYCLE)], [(joined, left)]))
            hold(app, db, meeting_id, fid, crowd, lambda item, i, p: _answer(item, rng), start, start + 4 * 3600)
        return lab_id


def _answer(item, rng):
    config = item["config"]
    if item["exercise_type"] != "poll":
        return None
    kind = config.get("kind")
    if kind == "single":
        return "answer", {"value": rng.randrange(len(config["options"]))}
    if kind == "multiple":
        return "answer", {"value": sorted(rng.sample(range(len(config["options"])), 2))}
    if kind == "scale":
        return "answer", {"value": rng.randint(1, 5)}
    return "answer", {"value": rng.choice(["fiducia", "ascolto", "accoglienza", "rete", "futuro"])}
