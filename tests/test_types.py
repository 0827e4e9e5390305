"""The type checker: mypy, with the settings in pyproject.toml ([tool.mypy]: every definition typed), on
the packages listed in PACKAGES. A package joins the list once it passes; from then on it stays clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "pyproject.toml"
PACKAGES = (
    "clerk_desk.domain",
    "clerk_desk.store",
    "clerk_desk.services",
    "clerk_desk.sync",
    "clerk_desk.catalog",
    "clerk_desk.forms",
    "clerk_desk.ui",
    "clerk_desk.app",
    "clerk_desk.__main__",
    "clerk_desk.log_file",
    "county_hub",
)


def mypy(args: list[str], cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(CONFIG),
            "--cache-dir",
            str(REPO / ".mypy_cache"),
            *args,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.parametrize("package", PACKAGES)
def test_package_type_checks(package: str) -> None:
    done = mypy(["-p", package])
    if done.returncode != 0:
        pytest.fail(f"mypy -p {package} found problems:\n{done.stdout}\n{done.stderr}", pytrace=False)


def test_checker_reports_untyped_and_wrong_code(tmp_path: Path) -> None:
    """The settings really hold code to them (a checker that passes everything proves nothing)."""
    sample = tmp_path / "sample_module.py"
    sample.write_text("def untyped(x):\n    return x\n\n\ndef wrong() -> int:\n    return 'text'\n", "utf-8")
    done = mypy([str(sample)], cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "sample_module.py:1: error: Function is missing a type annotation" in done.stdout, done.stdout
    assert "sample_module.py:6: error: Incompatible return value type" in done.stdout, done.stdout
