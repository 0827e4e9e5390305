"""Print what the installer tests measured (build time, folder size, frozen start, MSI size) at the end."""

from __future__ import annotations

import pytest

from tests.installer.frozen_build import FIGURES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.section("installer figures")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")
