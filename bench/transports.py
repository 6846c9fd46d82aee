"""What opening a live connection costs the server: a websocket straight away (how the
browser's client connects) beside starting with long polling and upgrading (how it connected
before, and how it still does behind a proxy that refuses websockets).

    .venv/bin/python -m bench.transports --people 150 --rounds 3

The people join through the form first (not measured); then, for each way in turn, each
person opens a connection, waits for its snapshot (and, with long polling, for the upgrade a
page would make), and closes it, one after the other. Printed per round: the server process'
CPU time per connection (user + system, from /proc) and the wall time per connection, and the
ratio of the websocket's figures to long polling's. The two ways alternate, so a slower spell
of the machine falls on both.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.liveserver import FormClient, LiveServer  # noqa: E402

WAYS = {"long polling, then upgrade": ["polling", "websocket"], "websocket at once": ["websocket"]}


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def connect_each(server: LiveServer, seed: dict, people: list[FormClient], transports: list[str]) -> tuple[float, float]:
    """Milliseconds of server CPU and of wall time per connection."""
    cpu, start = cpu_seconds(server.pid), time.monotonic()
    for person in people:
        got = threading.Event()
        client = socketio.Client(reconnection=False)
        client.on("snapshot", lambda _snapshot, got=got: got.set())
        client.connect(server.url, headers={"Cookie": person.cookie_header()},
                       auth={"meeting": seed["meeting"], "role": "participant"}, transports=transports,
                       wait_timeout=10)
        if not got.wait(10):
            raise RuntimeError("no snapshot")
        deadline = time.monotonic() + 2
        while transports[0] == "polling" and client.transport() != "websocket" and time.monotonic() < deadline:
            time.sleep(0.005)
        client.disconnect()
    count = len(people)
    return (cpu_seconds(server.pid) - cpu) / count * 1000, (time.monotonic() - start) / count * 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        server = LiveServer(Path(folder) / "instance")
        seed = server.seed(polls=1)
        server.start()
        try:
            people = []
            for n in range(args.people):
                person = FormClient(server.url)
                person.join(seed["code"], f"P{n}", seed["networks"][n % len(seed["networks"])])
                people.append(person)
            print(f"{'round':>5}  {'way':28} {'server CPU ms/conn':>18} {'wall ms/conn':>13}")
            for round_ in range(1, args.rounds + 1):
                figures = {}
                ways = list(WAYS.items()) if round_ % 2 else list(WAYS.items())[::-1]
                for name, transports in ways:
                    figures[name] = connect_each(server, seed, people, transports)
                    print(f"{round_:>5}  {name:28} {figures[name][0]:18.2f} {figures[name][1]:13.1f}", flush=True)
                (cpu_ws, wall_ws), (cpu_lp, wall_lp) = figures["websocket at once"], figures["long polling, then upgrade"]
                print(f"{round_:>5}  {'websocket / long polling':28} {cpu_ws / cpu_lp:18.2f} {wall_ws / wall_lp:13.2f}")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
