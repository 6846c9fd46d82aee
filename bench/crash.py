"""Crash safety, full size: rounds of SIGKILL in the middle of a vote burst and of a
squad-canvas editing burst.

    .venv/bin/python -m bench.crash --rounds 10 --clients 8 --votes 15 --kind both

Prints, per round and in total: acked, stored, lost, doubled (all acked actions
must be stored once: lost and doubled must be 0). Exit status 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.liveserver import LiveServer, facilitator, join_participants  # noqa: E402
from tests.scenarios import Tally, crash_round, start_poll  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--votes", type=int, default=15, help="votes per client per round")
    parser.add_argument("--synchronous", default="NORMAL", help="SQLITE_SYNCHRONOUS of the server")
    parser.add_argument("--kind", choices=("vote", "canvas", "both"), default="both",
                        help="which burst; both = --rounds of each, alternating")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(Path(tmp), env={"FACILITATION_SQLITE_SYNCHRONOUS": args.synchronous})
        seed = server.seed(polls=1)
        server.start()
        total = Tally()
        started = time.time()
        try:
            fac = facilitator(server, seed)
            start_poll(fac, seed["items"][0])
            assert fac.control("open", item=seed["squad"])["ok"]
            clients = join_participants(server, seed, args.clients)
            kinds = {"vote": ["vote"], "canvas": ["canvas"], "both": ["vote", "canvas"]}[args.kind]
            print(f"{'round':>5} {'burst':>6} {'acked':>6} {'stored':>6} {'lost':>5} {'doubled':>7} {'not sent':>8}")
            for n, kind in enumerate([k for _ in range(args.rounds) for k in kinds], start=1):
                tally = crash_round(server, seed, clients, fac, votes=args.votes, canvas=kind == "canvas")
                total.add(tally)
                print(f"{n:>5} {kind:>6} {tally.acked:>6} {tally.stored:>6} {tally.lost:>5} {tally.doubled:>7}"
                      f" {tally.not_sent:>8}", flush=True)
                for problem in tally.problems:
                    print(f"      problem: {problem}")
            for c in [*clients, fac]:
                c.close()
        finally:
            server.stop()
        print(f"total: {args.rounds * len(kinds)} kill-and-restart rounds ({args.kind}), {args.clients} clients, synchronous={args.synchronous}:"
              f" acked {total.acked}, stored {total.stored}, lost {total.lost}, doubled {total.doubled},"
              f" not sent {total.not_sent}, problems {len(total.problems)} ({time.time() - started:.0f} s)")
    return 0 if (total.lost, total.doubled, len(total.problems), total.not_sent) == (0, 0, 0, 0) else 1


if __name__ == "__main__":
    sys.exit(main())
