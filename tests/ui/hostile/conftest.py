"""Fixtures for the hostile-text walk: one canary FIFO and one hostile desk per module, and the figures
(surfaces, values tried, outcomes) printed at the end of the run; with HOSTILE_REPORT=FILE they are also
written there as JSON."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.support.day_clock import at_day_hour
from tests.ui.hostile.canary import Canary
from tests.ui.hostile.hostile_desk import HostileDesk, build
from tests.ui.hostile.inspect import Outcome, Report

OUTCOMES: list[Outcome] = []


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    c = Canary()
    yield c
    c.close()


@pytest.fixture(scope="module")
def day_hour() -> Iterator[None]:
    """The module's clock at 10:30 in China today (tests/support/day_clock.py): the desk's day of cases,
    whatever the hour the tests run at."""
    with at_day_hour():
        yield


@pytest.fixture(scope="module")
def desk(
    tmp_path_factory: pytest.TempPathFactory, canary: Canary, qapp: QApplication, day_hour: None
) -> Iterator[HostileDesk]:
    d = build(tmp_path_factory.mktemp("hostile"), f'<img src="{canary.url}">')
    yield d
    d.db.close()


@pytest.fixture(scope="module")
def report(canary: Canary, desk: HostileDesk) -> Iterator[Report]:
    r = Report(canary, desk.v)
    yield r
    OUTCOMES.extend(r.outcomes)


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    if not OUTCOMES:
        return
    w = terminalreporter
    w.section("hostile text: surfaces walked, values tried, outcomes")
    w.write_line(
        f"{'surface':<46} {'widgets':>7} {'texts':>6} {'tried':>5} {'literal':>7} {'mangled':>7} "
        f"{'images':>6} {'loads':>5}"
    )
    for o in OUTCOMES:
        w.write_line(
            f"{o.surface[:46]:<46} {o.widgets:>7} {o.texts:>6} {o.tried:>5} {len(o.literal):>7} "
            f"{len(o.mangled):>7} {len(o.images):>6} {o.loads:>5}"
        )
    total = [
        sum(x)
        for x in zip(
            *[
                (o.widgets, o.texts, o.tried, len(o.literal), len(o.mangled), len(o.images), o.loads)
                for o in OUTCOMES
            ],
            strict=True,
        )
    ]
    w.write_line(
        f"{'all ' + str(len(OUTCOMES)) + ' surfaces':<46} "
        + " ".join(f"{n:>{k}}" for n, k in zip(total, (7, 6, 5, 7, 7, 6, 5), strict=True))
    )
    target = os.environ.get("HOSTILE_REPORT")
    if target:
        Path(target).write_text(
            json.dumps([asdict(o) for o in OUTCOMES], ensure_ascii=False, indent=1), encoding="utf-8"
        )
