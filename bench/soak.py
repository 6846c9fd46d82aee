"""Soak: a simulated meeting for N minutes against the real server, with people joining,
leaving, dropping and reconnecting, and voting; measures the server's memory over time.

    .venv/bin/python -m bench.soak --minutes 30 --people 30
    .venv/bin/python -m bench.soak --minutes 2          # to try it

Prints RSS samples, growth after warm-up (the first fifth of the run), errors, and
the final consistency check (every acked vote stored once, tallies equal answers).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.liveserver import FormClient, LiveClient, LiveServer, facilitator  # noqa: E402
from tests.scenarios import Tally, check_acks  # noqa: E402


class Person(threading.Thread):
    def __init__(self, sim, n):
        super().__init__(daemon=True)
        self.sim, self.n = sim, n
        self.acks: dict[int, list] = {}
        self.client = None

    def run(self):
        sim = self.sim
        http = FormClient(sim.server.url)
        http.join(sim.seed["code"], f"Persona {self.n}", random.choice(sim.seed["networks"]))
        self.client = LiveClient(sim.server, http, sim.seed["meeting"])
        self.client.connect()
        lifetime = time.time() + random.uniform(60, 600)
        while not sim.stop.is_set() and time.time() < lifetime:
            time.sleep(random.uniform(1.0, 4.0))
            roll = random.random()
            if roll < 0.05:  # drops and comes back, as a phone on a train
                self.client.sio.disconnect()
                sim.count["reconnects"] += 1
                time.sleep(random.uniform(0.2, 2.0))
                try:
                    self.client.connect()
                except Exception:
                    sim.count["reconnect failed"] += 1
                    time.sleep(1)
                    continue
            item = sim.current
            if item is None or not self.client.sio.connected:
                continue
            ack = self.client.vote(item, random.randrange(4))
            if ack.get("ok"):
                self.acks.setdefault(item, []).append((ack["cid"], ack["seq"], ack["reply"]["answer"]))
                sim.count["votes acked"] += 1
            elif ack["error"]["code"] == "closed":
                sim.count["votes on a just-locked poll (refused)"] += 1
            else:
                sim.count[f"error {ack['error']['code']}"] += 1
        self.client.close()
        sim.count["left"] += 1


class Simulation:
    def __init__(self, server, seed, people):
        self.server, self.seed, self.people = server, seed, people
        self.stop = threading.Event()
        self.current = None
        self.count: Counter = Counter()
        self.persons: list[Person] = []

    def facilitate(self, fac, seconds_per_poll):
        items = self.seed["items"]
        assert fac.control("start")["ok"]
        i = 0
        while not self.stop.is_set():
            item = items[i % len(items)]
            # Reopening a locked poll lets people change answers again, as a facilitator may.
            for cmd in ("open", "reveal"):
                ack = fac.control(cmd, item=item)
                if not ack.get("ok"):
                    self.count[f"control error {ack['error']['code']}"] += 1
            self.current = item
            self.stop.wait(seconds_per_poll)
            self.current = None
            time.sleep(0.5)
            fac.control("lock", item=item)
            i += 1

    def populate(self):
        n = 0
        while not self.stop.is_set():
            alive = [p for p in self.persons if p.is_alive()]
            while len(alive) < self.people:
                person = Person(self, n)
                n += 1
                person.start()
                self.persons.append(person)
                alive.append(person)
                self.count["joined"] += 1
                time.sleep(0.2)
            self.stop.wait(2)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--people", type=int, default=30)
    parser.add_argument("--poll-seconds", type=float, default=20)
    parser.add_argument("--sample-seconds", type=float, default=10)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(Path(tmp))
        seed = server.seed(polls=4, networks=3)
        server.start()
        process = psutil.Process(server.pid)
        sim = Simulation(server, seed, args.people)
        fac = facilitator(server, seed)
        threads = [threading.Thread(target=sim.facilitate, args=(fac, args.poll_seconds), daemon=True),
                   threading.Thread(target=sim.populate, daemon=True)]
        for t in threads:
            t.start()
        started = time.time()
        samples = []
        print(f"{'minute':>7} {'RSS MB':>7} {'online':>6} {'votes':>6} {'joined':>6}", flush=True)
        try:
            while time.time() - started < args.minutes * 60:
                time.sleep(args.sample_seconds)
                rss = process.memory_info().rss / 2**20
                samples.append((time.time() - started, rss))
                online = sum(1 for p in sim.persons if p.client and p.client.sio.connected)
                print(f"{(time.time() - started) / 60:>7.1f} {rss:>7.1f} {online:>6} {sim.count['votes acked']:>6}"
                      f" {sim.count['joined']:>6}", flush=True)
        finally:
            sim.stop.set()
            for t in threads:
                t.join(30)
            for p in sim.persons:
                p.join(30)
            fac.close()
            time.sleep(1)
            total = Tally()
            for item in seed["items"]:
                acks = {p.client: p.acks.get(item, []) for p in sim.persons if p.client and p.acks.get(item)}
                total.add(check_acks(server.db_path, acks, item))
            errors_in_log = server.log().count("Traceback")
            alive = server.process.poll() is None
            server.stop()
        warm = [rss for t, rss in samples if t >= args.minutes * 60 * 0.2]
        growth = 100 * (warm[-1] - warm[0]) / warm[0] if len(warm) >= 2 else 0.0
        print()
        for name, value in sorted(sim.count.items()):
            print(f"  {name}: {value}")
        print(f"RSS: start {samples[0][1]:.1f} MB, after warm-up {warm[0] if warm else 0:.1f} MB,"
              f" end {samples[-1][1]:.1f} MB, max {max(r for _, r in samples):.1f} MB;"
              f" growth after warm-up {growth:+.1f}%")
        print(f"consistency: acked {total.acked}, stored {total.stored}, lost {total.lost},"
              f" doubled {total.doubled}, problems {len(total.problems)}")
        for problem in total.problems[:10]:
            print(f"  problem: {problem}")
        errors = sum(v for k, v in sim.count.items() if k.startswith(("error", "control error", "reconnect failed")))
        print(f"server alive to the end: {alive}; tracebacks in the server log: {errors_in_log};"
              f" client-visible errors: {errors}")
        ok = alive and not errors_in_log and not errors and not (total.lost or total.doubled or total.problems)
        return 0 if ok and growth < 5 else 1


if __name__ == "__main__":
    sys.exit(main())
