"""Latency histograms that merge across processes, and the printed table."""

from __future__ import annotations

import math
from collections import Counter

# Buckets 1% wide: percentiles within 1% without keeping millions of samples.
_BASE = math.log(1.01)
_FLOOR = 1e-5  # 10 microseconds


class Histogram:
    def __init__(self, state: dict | None = None):
        self.buckets: Counter = Counter()
        self.count = 0
        self.max = 0.0
        if state:
            self.merge(state)

    def add(self, seconds: float) -> None:
        seconds = max(seconds, _FLOOR)
        self.buckets[int(math.log(seconds / _FLOOR) / _BASE)] += 1
        self.count += 1
        if seconds > self.max:
            self.max = seconds

    def merge(self, state: dict) -> None:
        for bucket, n in state["buckets"].items():
            self.buckets[int(bucket)] += n
        self.count += state["count"]
        self.max = max(self.max, state["max"])

    def state(self) -> dict:
        return {"buckets": dict(self.buckets), "count": self.count, "max": self.max}

    def quantile(self, q: float) -> float | None:
        if not self.count:
            return None
        rank = q * self.count
        seen = 0
        for bucket in sorted(self.buckets):
            seen += self.buckets[bucket]
            if seen >= rank:
                return min(self.max, _FLOOR * math.exp((bucket + 1) * _BASE))
        return self.max

    def summary_ms(self) -> dict:
        return {
            name: None if v is None else round(v * 1000, 1)
            for name, v in (
                ("p50", self.quantile(0.50)),
                ("p95", self.quantile(0.95)),
                ("p99", self.quantile(0.99)),
                ("max", self.max if self.count else None),
            )
        }


def of(values) -> Histogram:
    hist = Histogram()
    for v in values:
        hist.add(v)
    return hist


def fmt(value, digits=1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if math.isinf(value):
            return "inf"
        return f"{value:.{digits}f}"
    return str(value)


def ratio(ours, bare) -> str:
    if ours is None or bare in (None, 0) or (isinstance(ours, float) and math.isinf(ours)):
        return ""
    if isinstance(bare, float) and math.isinf(bare):
        return ""
    return f"x{ours / bare:.2f}"


def table(rows: list[dict], columns: list[tuple[str, str]]) -> str:
    """A plain text table: ``columns`` are (key, heading)."""
    cells = [[heading for _, heading in columns]]
    for row in rows:
        cells.append([fmt(row.get(key)) if not isinstance(row.get(key), str) else row[key] for key, _ in columns])
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    lines = []
    for n, r in enumerate(cells):
        lines.append("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
