"""The GUI start of ``clerk-desk`` (no sub-command) reads its two options by hand and never builds the CLI
parser: as a real process, the command modules and SQLAlchemy are not loaded before the
sign-in dialog is on screen (python -X importtime). The start benchmark's probe (clerk_desk/ui/start_probe.py)
signs a demo user in and reports the painted case list, before which SQLAlchemy is not loaded either; it
refuses a site without demo accounts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clerk_desk import paths
from clerk_desk.__main__ import gui_arguments
from clerk_desk.services import demo
from clerk_desk.store.database import Database


def test_the_gui_arguments_are_read_by_hand_and_anything_else_goes_to_the_cli(tmp_path: Path) -> None:
    assert gui_arguments([]) == (None, False)
    assert gui_arguments(["--demo"]) == (None, True)
    assert gui_arguments(["--data-dir", str(tmp_path)]) == (tmp_path, False)
    assert gui_arguments([f"--data-dir={tmp_path}", "--demo"]) == (tmp_path, True)
    for cli in (["db", "upgrade"], ["--version"], ["--help"], ["-h"], ["--data-dir"], ["--data-dir", "--demo"],
                ["--data-dir", str(tmp_path), "user", "list"], ["--unknown"], ["--data-dir="]):  # fmt: skip
        assert gui_arguments(cli) is None, cli
    assert paths.data_dir_for(tmp_path, True) == tmp_path  # a given folder is used as given, as the CLI does
    assert paths.data_dir_for(None, True) == paths.default_data_dir() / "demo"


def command() -> list[str]:
    """The installed ``clerk-desk`` console script, run by this interpreter (so -X options apply)."""
    script = Path(sys.executable).parent / "clerk-desk"
    found = str(script) if script.exists() else shutil.which("clerk-desk")
    if not found:
        pytest.skip("clerk-desk is not installed in this environment (scripts/setup.sh installs it)")
    return [sys.executable, "-X", "importtime", found]


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("desk")
    db = Database(data)
    demo.ensure_demo_site(db)
    db.close()
    return data


def start(data: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*command(), "--data-dir", str(data)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}, stdin=subprocess.DEVNULL)  # fmt: skip


def imported(stderr: str) -> set[str]:
    return {line.split("|")[2].strip() for line in stderr.splitlines() if line.startswith("import time:")
            and "|" in line and "self [us]" not in line}  # fmt: skip


def test_up_to_the_sign_in_dialog_nothing_of_the_cli_or_sqlalchemy_loads(demo_site: Path) -> None:
    r = start(demo_site, CLERK_DESK_SMOKE_TEST="1")
    assert r.returncode == 0, r.stderr[-2000:]
    assert "smoke-test: loginDialog" in r.stdout
    modules = imported(r.stderr)
    assert "clerk_desk.app" in modules and "clerk_desk.ui.login_dialog" in modules
    # (argparse itself loads with shiboken6, in a bare Qt start too: the parser is what is not built)
    loaded = sorted(m for m in modules if m.startswith(("clerk_desk.cli", "sqlalchemy", "alembic",
                                                        "clerk_desk.ui.start_probe")))  # fmt: skip
    assert loaded == []
    # the log rotates from when the work after sign-in begins: its handler's module (socket, pickle) waits
    assert "logging.handlers" not in modules and "socket" not in modules
    # the cipher loads with the first pages' modules, beside the password check, not while the dialog is built
    assert "cryptography" not in modules


def test_the_start_probe_signs_a_demo_user_in_and_reports_the_painted_list(demo_site: Path, tmp_path: Path) -> None:
    r = start(demo_site, CLERK_DESK_START_PROBE="clerk1")
    assert r.returncode == 0, r.stderr[-2000:]
    ready = next(line for line in r.stdout.splitlines() if line.startswith("start-probe: READY"))
    for mark in ("sign-in dialog shown", "main window shown", "case list painted"):
        assert mark in ready
    # the entry pauses the cyclic collector for the start; it runs again once the work after sign-in begins
    assert "garbage collector paused" in ready
    # the entry puts back Python's import that PySide6 replaces for its unused __feature__ switches (qt_import.py)
    assert "import Python's own" in ready, ready
    # what follows sign-in (sync, the results waiting at the window) loads SQLAlchemy only after the list
    # is painted (ui/startup.py): nothing on the way to it may pull it in again
    assert "SQLAlchemy not loaded" in ready, ready
    assert "inbox modules not loaded" in ready, ready  # clerk1 is a window clerk: the back office's screens wait
    # typed as a person types (the start benchmark's "typed" starts): a key every 30 ms, then Enter
    r = start(demo_site, CLERK_DESK_START_PROBE="clerk1", CLERK_DESK_START_PROBE_TYPING_MS="30")
    assert r.returncode == 0, r.stderr[-2000:]
    typed = next(line for line in r.stdout.splitlines() if line.startswith("start-probe: READY"))
    at = {name.split(" (")[0]: float(ms) for name, ms in re.findall(r"(?:READY |; )([^;]+?) (\d+) \(cpu", typed)}
    # the password has 11 characters: 11 keys and Enter, 30 ms apart, between the dialog and the submit
    assert at["submitted"] - at["sign-in dialog shown"] >= 12 * 30, typed
    assert at["sign-in dialog shown"] < at["submitted"] < at["main window shown"] < at["case list painted"], typed
    site = tmp_path / "site"
    Database(site).close()  # no demo accounts file: the probe signs nobody in
    r = start(site, CLERK_DESK_START_PROBE="clerk1")
    assert r.returncode != 0 and "start-probe: " in r.stdout and "READY" not in r.stdout
