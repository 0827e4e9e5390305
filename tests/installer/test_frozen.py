"""The frozen desk (installer/clerk_desk.spec, one-folder PyInstaller build) runs on its own.

Built once per state of the sources and cached (tests/installer/frozen_build.py); then, with the frozen
executables only, in a clean environment (no PYTHONPATH, no repository on the path):
``--version``; ``db upgrade`` creates the database from the migrations inside the bundle; an offscreen
GUI start on a demo data folder reaches the sign-in dialog in Chinese and shuts down cleanly
(CLERK_DESK_SMOKE_TEST=1, clerk_desk/__main__.py); a first start with an installer preset pre-fills the
site set-up. The build time, folder size and start times are printed at the end of the run.
Skipped with the reason when PyInstaller is missing, failed instead under CI.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.installer.frozen_build import FIGURES, FrozenApp, frozen_app, frozen_env, have_pyinstaller

pytestmark = [
    pytest.mark.frozen,
    pytest.mark.skipif(not have_pyinstaller() and not os.environ.get("CI"),
                       reason="PyInstaller is not installed: pip install -e '.[installer]' (scripts/setup.sh does)"),
]

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def app() -> FrozenApp:
    return frozen_app()


def run(exe: Path, *args: str, cwd: Path, timeout: float = 120, **env: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.perf_counter()
    r = subprocess.run([str(exe), *args], cwd=cwd, env=frozen_env(**env), capture_output=True, text=True,
                       timeout=timeout, stdin=subprocess.DEVNULL)
    return r, time.perf_counter() - started


def head_revision() -> str:
    graph = {}
    for f in (ROOT / "migrations" / "versions").glob("*.py"):
        text = f.read_text(encoding="utf-8")
        rev = re.search(r'^revision[^=]*=\s*"([^"]+)"', text, re.M)
        down = re.search(r'^down_revision[^=]*=\s*"([^"]+)"', text, re.M)
        graph[rev.group(1)] = down.group(1) if down else None  # type: ignore[union-attr]
    heads = set(graph) - set(graph.values())
    assert len(heads) == 1, heads
    return heads.pop()


def test_version(app: FrozenApp, tmp_path: Path) -> None:
    from clerk_desk import __version__

    r, seconds = run(app.cli, "--version", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"clerk-desk {__version__}"
    FIGURES["frozen --version"] = f"{seconds:.2f} s (first run after the build)" if not app.cached else f"{seconds:.2f} s"


def test_bundle_has_what_the_desk_needs_and_not_the_hub(app: FrozenApp) -> None:
    internal = app.internal
    for rev in (ROOT / "migrations" / "versions").glob("*.py"):
        assert (internal / "migrations" / "versions" / rev.name).is_file(), rev.name
    assert (internal / "migrations" / "env.py").is_file()
    for res in ("translations/clerk_desk_zh_CN.qm", "style.qss", "schema/catalog.schema.json",
                "calendar/calendar.json", "catalog/demo-catalog.json"):
        assert (internal / "resources" / res).is_file(), res
    assert not list(internal.glob("resources/**/*.ts")), "translation sources are not shipped"
    plugins = internal / "PySide6" / "Qt" / "plugins"
    for plugin in ("platforms/libqoffscreen.so", "platforms/libqxcb.so", "printsupport/libcupsprintersupport.so"):
        assert (plugins / plugin).is_file(), plugin
    assert list((internal / "PySide6" / "Qt" / "translations").glob("qtbase_zh_CN.qm"))
    assert list(internal.glob("keyring-*.dist-info")), "keyring finds its backends through its metadata"

    mods = app.modules
    for needed in ("clerk_desk.cli.db_cmd", "clerk_desk.ui.cases.cases_page", "clerk_desk.sync.engine",
                   "clerk_desk.machine_config", "alembic.op", "alembic.ddl.sqlite", "segno", "chinese_calendar",
                   "keyring.backends.Windows", "keyring.backends.SecretService", "pypinyin", "jsonschema",
                   "requests"):
        assert needed in mods, needed
    left_out = ("county_hub", "fastapi", "starlette", "uvicorn", "psycopg", "pytest", "_pytest", "pytestqt",
                "hypothesis", "schemathesis", "httpx", "keyrings", "PySide6.QtNetwork", "PySide6.QtQml",
                "PySide6.QtWebEngineCore", "tkinter")
    # packaging tools (whole packages: "pip" is not "pipes"): with setuptools in the bundle PyInstaller's
    # runtime hook imports all of it at every start (~70 ms before the sign-in dialog)
    tools = ("setuptools", "_distutils_hack", "distutils", "pkg_resources", "pip", "wheel")
    leaked = sorted(m for m in mods if m.split(".")[0] in left_out + tools or m.startswith(left_out))
    assert not leaked, leaked
    qt_libs = {p.name.split(".so")[0] for p in internal.rglob("libQt6*.so*")}
    assert not {"libQt6Qml", "libQt6Quick", "libQt6Network", "libQt6WebEngineCore"} & qt_libs, sorted(qt_libs)


def test_db_upgrade_creates_the_database_from_the_frozen_migrations(app: FrozenApp, tmp_path: Path) -> None:
    data = tmp_path / "data"
    r, _ = run(app.cli, "--data-dir", str(data), "db", "upgrade", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    head = head_revision()
    assert head in r.stdout
    from clerk_desk.store.sqlite_file import database_path

    with sqlite3.connect(database_path(data)) as conn:
        assert conn.execute("select version_num from alembic_version").fetchone() == (head,)
    r, _ = run(app.cli, "--data-dir", str(data), "db", "current", cwd=tmp_path)
    assert r.returncode == 0 and head in r.stdout, r.stdout + r.stderr


def test_gui_reaches_the_sign_in_dialog_in_chinese_and_exits_cleanly(app: FrozenApp, tmp_path: Path) -> None:
    data = tmp_path / "demo"
    r, seconds = run(app.gui, "--demo", "--data-dir", str(data), cwd=tmp_path, timeout=180,
                     CLERK_DESK_SMOKE_TEST="1")
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    line = next((ln for ln in r.stdout.splitlines() if ln.startswith("smoke-test: ")), "")
    assert line.startswith("smoke-test: loginDialog "), r.stdout + r.stderr
    title = line.split(" ", 2)[2].rsplit(" ", 1)[0]
    assert CJK.search(title), f"the sign-in title is not translated: {title!r}"
    assert "admin" in r.stdout  # the demo accounts were printed (demo catalog and site from the bundle)
    assert "Traceback" not in r.stderr, r.stderr
    log = (data / "logs" / "clerk-desk.log").read_text(encoding="utf-8")
    assert not re.search(r"translation \S+ not found", log), log  # qtbase_zh_CN and clerk_desk_zh_CN loaded
    assert "Traceback" not in log, log
    assert not (data / "clerk-desk.lock").exists(), "the instance lock is released on a clean exit"
    in_app = line.rsplit(" ", 1)[1]
    FIGURES["frozen GUI start to sign-in, new demo folder"] = f"{seconds:.2f} s wall clock, {in_app} after QApplication"
    # the everyday start: the database exists and is at head, nothing to migrate or set up
    r, seconds = run(app.gui, "--data-dir", str(data), cwd=tmp_path, timeout=180, CLERK_DESK_SMOKE_TEST="1")
    assert r.returncode == 0 and "smoke-test: loginDialog " in r.stdout, r.stdout + r.stderr
    in_app = r.stdout.strip().rsplit(" ", 1)[1]
    FIGURES["frozen GUI start to sign-in, existing database"] = f"{seconds:.2f} s wall clock, {in_app} after QApplication"


def test_first_start_dialog_opens_with_an_installer_preset(app: FrozenApp, tmp_path: Path) -> None:
    preset = tmp_path / "machine.ini"
    preset.write_text("[ClerkDesk]\nHubUrl = https://hub.example:8765\nSiteCode = 421224100\nDeviceCode = 03\n",
                      encoding="utf-8")
    r, seconds = run(app.gui, "--data-dir", str(tmp_path / "empty"), cwd=tmp_path, timeout=180,
                     CLERK_DESK_SMOKE_TEST="1", CLERK_DESK_MACHINE_CONFIG=str(preset))
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    assert "smoke-test: firstRunDialog " in r.stdout, r.stdout + r.stderr
    FIGURES["frozen GUI start to first-start dialog (empty data folder)"] = f"{seconds:.2f} s wall clock"


NOBODY = 65534


def as_unprivileged_account(app: FrozenApp, home: Path) -> list[str]:
    """The command prefix that runs the frozen desk as an account without rights on root's folders (a clerk's
    Windows account on a data folder it may only read); skips where that cannot be done here."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and setpriv (util-linux) to run the desk as another account")
    prefix = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    r = subprocess.run([*prefix, str(app.cli), "--version"], env=frozen_env(HOME=str(home)), capture_output=True,
                       text=True, timeout=120, stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        pytest.skip(f"the frozen folder {app.folder} cannot be run by uid {NOBODY}: {r.stderr.strip()[:200]}")
    return prefix


def test_an_account_that_cannot_write_the_data_folder_is_told_so(app: FrozenApp) -> None:
    # outside pytest's own tmp folder, which only root may enter
    top = Path(tempfile.mkdtemp(prefix="clerk-desk-ro-"))
    try:
        top.chmod(0o755)
        home = top / "home"
        home.mkdir()
        os.chown(home, NOBODY, NOBODY)
        data = top / "数据 文件夹"  # root's, readable by everyone, writable by root only
        data.mkdir(mode=0o755)
        prefix = as_unprivileged_account(app, home)
        env = {"HOME": str(home), "CLERK_DESK_KEY_FILE": str(home / "personal-data.key")}

        # the GUI: not "already running" (exit 1), but the folder's rights (exit 2), logged to stderr since
        # the folder's log cannot be written either
        started = time.perf_counter()
        r = subprocess.run([*prefix, str(app.gui), "--data-dir", str(data)], cwd=top, capture_output=True,
                           text=True, timeout=180, stdin=subprocess.DEVNULL,
                           env=frozen_env(CLERK_DESK_SMOKE_TEST="1", **env))
        assert r.returncode == 2, f"exit {r.returncode}\n{r.stdout}\n{r.stderr}"
        assert f"smoke-test: message 本 Windows 账户无法写入数据文件夹 {data}" in r.stderr, r.stderr  # the box
        assert "cannot create the lock file" in r.stderr and "not writable by this account" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr, r.stderr
        assert time.perf_counter() - started < 30, "the smoke test closes the box at once, not after its 60 s"

        # the console program IT runs: one Chinese line, no traceback
        r = subprocess.run([*prefix, str(app.cli), "--data-dir", str(data), "sync", "status"], cwd=top,
                           capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL,
                           env=frozen_env(**env))
        assert r.returncode == 2, f"exit {r.returncode}\n{r.stdout}\n{r.stderr}"
        assert "Traceback" not in r.stderr, r.stderr
        assert f"错误：本账户无法写入数据文件夹 {data}" in r.stderr, r.stderr
        assert not list(data.iterdir()), "nothing was written"
    finally:
        shutil.rmtree(top, ignore_errors=True)
