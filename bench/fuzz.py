"""Hostile input, full size: the property tests of tests/test_hostile_input.py with
thousands of generated cases each (>= 10,000 in total by default).

    .venv/bin/python -m bench.fuzz --examples 2100

Prints the cases sent per event and form, and pytest's verdict.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Report:
    def __init__(self):
        self.stats = None

    def pytest_sessionfinish(self, session):
        from tests import test_hostile_input

        self.stats = dict(test_hostile_input.STATS)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2100, help="generated cases per property test")
    args = parser.parse_args(argv)
    os.environ["FACILITATION_FUZZ_EXAMPLES"] = str(args.examples)
    sys.path.insert(0, str(ROOT))
    import pytest

    report = Report()
    started = time.time()
    status = pytest.main(["-q", "-p", "no:cacheprovider", str(ROOT / "tests" / "test_hostile_input.py")],
                         plugins=[report])
    stats = report.stats or {}
    accepted = stats.pop("accepted", 0)
    for name, count in sorted(stats.items()):
        print(f"{count:>7}  {name}")
    print(f"total: {sum(stats.values())} generated cases in {time.time() - started:.0f} s,"
          f" {accepted} happened to be valid (accepted), the rest refused with an error and nothing stored;"
          f" pytest exit status {int(status)}")
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
