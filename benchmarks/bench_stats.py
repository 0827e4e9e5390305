"""Honest figures for the benchmarks: a percentile is printed only from enough samples to mean it.

A pXX needs at least 10 samples beyond it: n >= 10 / (1 - XX/100), so p50 from 20, p90 from 100, p95 from
200 and p99 from 1,000 samples. With fewer, the line says ``max of N`` instead, which is what such a
"p99" would have been. Warm-up samples (the first start that fills the OS file cache, the first query
that compiles the statements, a sync round that overlaps the engine's first) are kept apart: excluded
from every figure and printed on their own, so nothing is hidden.

    from bench_stats import Samples
    s = Samples("accept", warmup=2)
    for ...: s.add(ms)
    print(s.line())   # accept  median 4.1 ms  p95 max of 30: 6.0 ms  (n=30; warm-up 2 excluded: 41.0, 5.2 ms)
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

TAIL_SAMPLES = 10  # samples a percentile must have beyond it


def needed(p: float) -> int:
    """Samples a ``p``-th percentile needs (p99 -> 1,000)."""
    return math.ceil(TAIL_SAMPLES / (1 - p / 100) - 1e-9) if p < 100 else 1


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank ``p``-th percentile (p in 0..100) of ``values``."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def tail(values: Sequence[float], p: float, unit: str = "ms", digits: int = 1) -> str:
    """``p95 12.3 ms`` when there are enough samples, otherwise ``max of N: 12.3 ms`` (said as such)."""
    if not values:
        return f"p{p:g} —"
    if len(values) >= needed(p):
        return f"p{p:g} {percentile(values, p):.{digits}f} {unit}"
    return f"p{p:g} max of {len(values)}: {max(values):.{digits}f} {unit}"


@dataclass
class Samples:
    """Timings of one figure; the first ``warmup`` added are set apart."""

    label: str
    warmup: int = 0
    values: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        (self.warm if len(self.warm) < self.warmup else self.values).append(value)

    def extend(self, values: Iterable[float]) -> None:
        for v in values:
            self.add(v)

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else math.nan

    def line(self, unit: str = "ms", tails: Sequence[float] = (95,), digits: int = 1, width: int = 44) -> str:
        parts = [f"{self.label:<{width}} median {self.median:7.{digits}f} {unit}"]
        parts += [tail(self.values, p, unit, digits) for p in tails]
        note = f"n={len(self.values)}"
        if self.warm:
            note += f"; warm-up {len(self.warm)} excluded: " + ", ".join(f"{v:.{digits}f}" for v in self.warm)
            note += f" {unit}"
        return "  ".join(parts) + f"  ({note})"


def summary(label: str, values: Sequence[float], *, warmup: int = 0, unit: str = "ms",
            tails: Sequence[float] = (95,), digits: int = 1, width: int = 44) -> str:  # fmt: skip
    """One line for ``values`` whose first ``warmup`` are the warm-up."""
    s = Samples(label, warmup)
    s.extend(values)
    return s.line(unit, tails, digits, width)
