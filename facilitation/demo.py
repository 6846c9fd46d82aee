"""The demo: a lab with five networks and a meeting of polls ready to start.

Seeding is idempotent: a second run finds the demo and only prints how to use it.
The demo facilitator's password is generated once into the instance folder.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import click

from . import store
from .auth import create_facilitator
from .db import borrowed, migrate, transaction

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
