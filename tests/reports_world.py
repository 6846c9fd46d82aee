"""A small programme whose every figure is worked out by hand (tests of the reports).

Four networks (D never attends); lab 1 (networks A, B, C) held meetings M1 and M2 and has a
draft M4 never held; lab 2 (A, C) held M3. Times are UTC.

  M1 2026-03-02, 08:30-12:30 (4 h)  Ada (A)    08:00-10:00 and 09:30-12:00 -> 08:30-12:00  3.5 h
                                    Bruno (B)  08:30-12:30                                  4 h
                                    Carla (A)  09:00-10:00                                  1 h
                                    Dario (C)  signed in, never connected                   not counted
  M2 2026-03-16, 08:30-11:30 (3 h)  Ada (A)    08:30-11:30                                  3 h
                                    Bruno (B)  10:00-13:00 -> 10:00-11:30                   1.5 h
                                    Fabio (C)  08:00-08:20 (before the start)               0 h
  M3 2026-04-13, 07:30-09:30 (2 h)  Ada (A)    07:30-09:30                                  2 h
                                    Gina (C)   07:00-08:30 -> 07:30-08:30                   1 h

M1 has a single-choice poll: Ada and Carla chose "Tavoli", Bruno "Sportelli" (archived for A, B
and C: Dario signed in). M3 has an open poll: Ada said "fiducia", Gina "ascolto" (archived for A
and C).
"""

from __future__ import annotations

import calendar

from facilitation import store
from facilitation.auth import create_facilitator
from facilitation.db import transaction
from facilitation.demo import Person, hold

PASSWORD = "correct horse battery"
NAMES = ["Ada Rossi", "Bruno Bianchi", "Carla Verdi", "Dario Neri", "Fabio Gallo", "Gina Costa"]


def at(day: str, hhmm: str) -> float:
    return float(calendar.timegm((int(day[:4]), int(day[5:7]), int(day[8:]), int(hhmm[:2]), int(hhmm[3:]), 0)))


def build(app, db) -> dict:
    with transaction(db):
        fid = create_facilitator(db, "fac@example.org", "Fac", PASSWORD)
        a = store.save_network(db, {"name": "Ambito di Dalmine", "lead_body": "Comune di Dalmine"})
        b = store.save_network(db, {"name": "Brescia", "lead_body": "Comune di Brescia"})
        c = store.save_network(db, {"name": "Garbagnate Milanese"})
        d = store.save_network(db, {"name": "Rete mai presente"})
        lab1 = store.save_lab(db, {"title": "Mediazione interculturale", "theme": "La terza cultura",
                                   "description": "Quattro incontri online."}, [a, b, c], created_by=fid)
        lab2 = store.save_lab(db, {"title": "Coprogettazione", "theme": "Enti pubblici e terzo settore"}, [a, c], created_by=fid)
        m1 = store.create_meeting(db, lab1, {"title": "Leggere la rete", "starts_at": "2026-03-02T09:30"})
        poll = store.add_item(db, m1, "poll", {"title": "Quale strumento usate?", "kind": "single",
                                               "options": ["Tavoli", "Sportelli", "Altro"]})
        m2 = store.create_meeting(db, lab1, {"title": "Le strategie", "starts_at": "2026-03-16T09:30"})
        m3 = store.create_meeting(db, lab2, {"title": "Coprogettare", "starts_at": "2026-04-13T09:30"})
        words = store.add_item(db, m3, "poll", {"title": "Una parola", "kind": "open"})
        m4 = store.create_meeting(db, lab1, {"title": "Mai tenuto", "starts_at": "2026-05-04T09:30"})
    d1, d2, d3 = "2026-03-02", "2026-03-16", "2026-04-13"
    ada = ("Ada Rossi", a, "Comune di Dalmine", "mediator")
    m1_people = [
        Person(*ada, connections=[(at(d1, "08:00"), at(d1, "10:00")), (at(d1, "09:30"), at(d1, "12:00"))]),
        Person("Bruno Bianchi", b, "Cooperativa Ponti", "social_worker", [(at(d1, "08:30"), at(d1, "12:30"))]),
        Person("Carla Verdi", a, "comune di  Dalmine", "teacher", [(at(d1, "09:00"), at(d1, "10:00"))]),
        Person("Dario Neri", c, "", "", []),
    ]
    choice = {"Ada Rossi": 0, "Bruno Bianchi": 1, "Carla Verdi": 0}
    hold(app, db, m1, fid, m1_people,
         lambda item, i, p: ("answer", {"value": choice[p.name]}) if p.name in choice else None,
         at(d1, "08:30"), at(d1, "12:30"))
    hold(app, db, m2, fid, [
        Person("ada  rossi", a, "Comune di Dalmine", "mediator", [(at(d2, "08:30"), at(d2, "11:30"))]),
        Person("Bruno Bianchi", b, "Cooperativa Ponti", "social_worker", [(at(d2, "10:00"), at(d2, "13:00"))]),
        Person("Fabio Gallo", c, "Istituto Comprensivo", "teacher", [(at(d2, "08:00"), at(d2, "08:20"))]),
    ], None, at(d2, "08:30"), at(d2, "11:30"))
    said = {"Ada Rossi": "fiducia", "Gina Costa": "ascolto"}
    hold(app, db, m3, fid, [
        Person(*ada, connections=[(at(d3, "07:30"), at(d3, "09:30"))]),
        Person("Gina Costa", c, "Istituto comprensivo", "mediator", [(at(d3, "07:00"), at(d3, "08:30"))]),
    ], lambda item, i, p: ("answer", {"value": said[p.name]}), at(d3, "07:30"), at(d3, "09:30"))
    return {"facilitator": fid, "networks": {"A": a, "B": b, "C": c, "D": d}, "labs": [lab1, lab2],
            "meetings": {"M1": m1, "M2": m2, "M3": m3, "M4": m4}, "poll": poll, "words": words}
