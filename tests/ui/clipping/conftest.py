"""The clipping walk's figures (surfaces, widgets and texts checked, problems found per configuration),
printed at the end of the run."""

from __future__ import annotations

from typing import Any

FIGURES: list[tuple[str, dict[str, Any]]] = []


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    if not FIGURES:
        return
    w = terminalreporter
    w.section("clipping walk: what was checked per screen configuration")
    w.write_line(f"{'configuration':<16} {'surfaces':>8} {'widgets':>8} {'texts':>7} {'clipped':>8} {'too large':>9}")
    for name, r in FIGURES:
        w.write_line(f"{name:<16} {r['surfaces']:>8} {r['widgets']:>8} {r['texts']:>7} {len(r['clips']):>8} "
                     f"{len(r['windows']):>9}")
