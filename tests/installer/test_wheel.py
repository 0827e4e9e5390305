"""The wheel carries every package, the migrations and the resources, and runs from where it is installed."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for top in ("clerk_desk", "county_hub")
        for p in (ROOT / top).rglob("__init__.py")
        if "migrations" not in p.parts
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The wheel, and what the build printed (pip -v shows the build backend's warnings)."""
    out = tmp_path_factory.mktemp("wheel")
    # --no-build-isolation: the build uses the setuptools of the test extra instead of downloading one,
    # so the suite runs without the internet (scripts/fresh-debian.sh runs it with loopback only)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-v",
                           "-w", str(out), str(ROOT)], check=True, capture_output=True, text=True, timeout=300)
    return next(out.glob("clerk_desk-*.whl")), done.stdout + done.stderr


@pytest.fixture(scope="module")
def wheel(built: tuple[Path, str]) -> Path:
    return built[0]


def test_build_has_no_setuptools_warnings(built: tuple[Path, str]) -> None:
    """setuptools warns before it stops accepting a configuration (the license table stops working on
    2027-02-18; data folders missing from `packages` will be left out): a warning today is a broken wheel later."""
    warnings = [line.strip() for line in built[1].splitlines()
                if "DeprecationWarning" in line or "BuildBackendWarning" in line or "SetuptoolsWarning" in line]
    assert not warnings, "\n".join(warnings)


def test_wheel_contains_migrations_and_resources(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    revisions = sorted(p.name for p in (ROOT / "migrations" / "versions").glob("*.py"))
    for rev in revisions:
        assert f"clerk_desk/_migrations/versions/{rev}" in names
    assert "clerk_desk/_migrations/env.py" in names
    for res in ("catalog/demo-catalog.json", "calendar/calendar.json", "translations/clerk_desk_zh_CN.qm",
                "schema/catalog.schema.json", "style.qss"):
        assert f"clerk_desk/_resources/{res}" in names
    assert "county_hub/migrations/versions/0001_initial.py" in names
    entry = [n for n in names if n.endswith("entry_points.txt")][0]
    text = zipfile.ZipFile(wheel).read(entry).decode()
    assert "clerk-desk = clerk_desk.__main__:main" in text and "county-hub = county_hub.__main__:main" in text


def test_installed_wheel_migrates_a_database_and_finds_its_files(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = (
        "import clerk_desk, clerk_desk.paths as p, sys;"
        "print(clerk_desk.__file__); print(p.resources_dir()); print(p.migrations_dir())"
    )
    r = subprocess.run([sys.executable, "-c", probe], env=env, cwd=tmp_path, capture_output=True, text=True, check=True)
    module, resources, migrations = r.stdout.split()
    assert all(x.startswith(str(target)) for x in (module, resources, migrations)), r.stdout
    r = subprocess.run([sys.executable, "-m", "clerk_desk", "--data-dir", str(tmp_path / "data"), "db", "upgrade"],
                       env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    heads = [ast.literal_eval(line.split("=", 1)[1].strip()) for p in (ROOT / "migrations" / "versions").glob("*.py")
             for line in p.read_text().splitlines() if line.startswith("revision")]
    assert any(h in r.stdout for h in heads)
