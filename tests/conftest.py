"""Suite-wide set-up and fixtures.

Environment (set at import, before any test module imports Qt or keyring):
- QT_QPA_PLATFORM=offscreen: no display needed.
- PYTHON_KEYRING_BACKEND=tests.support.memory_keyring.MemoryKeyring and the repository root on
  PYTHONPATH, so a desk/hub started as a subprocess never touches a real keyring. Each subprocess has
  its own (empty) in-memory keyring; see tests/support/memory_keyring.py for sharing one via a file.
- CLERK_DESK_ALLOW_LOOPBACK_HTTP=1: the test hubs speak plain http on 127.0.0.1, which the desk refuses
  otherwise (clerk_desk/sync/hub_address.py); tests of that refusal remove it with monkeypatch.
- CLERK_DESK_KEY_FILE: a throwaway personal-data key for the whole run (subprocesses included).

Fixtures:
- memory_keyring (session, autouse) -> MemoryKeyring: the backend installed with keyring.set_keyring.
- tmp_data_dir (function) -> pathlib.Path: an empty data folder; CLERK_DESK_DATA points at it.
- pg_server (session) -> tests.support.postgres.PostgresServer: a throwaway PostgreSQL 15.
- pg_url (session) -> str: "postgresql+psycopg://postgres@127.0.0.1:PORT/postgres".
- pg_database_url (function) -> str: URL of a fresh, empty database t_<uuid>, dropped afterwards.
- cups_pdf_printer (session) -> CupsPdfPrinter(queue, out_dir): the cups-pdf queue that
  scripts/start-cups.sh sets up; skips with the reason when it is not there.
Without the PostgreSQL binaries the pg fixtures skip, except under CI (CI env var set), where they fail.
Tests that use a pg fixture get the ``pg`` marker automatically (``-m "not pg"`` deselects them).
"""

from __future__ import annotations

import atexit
import os
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Per-user settings (QSettings UserScope: where the main window was left) go to a throwaway folder,
# for this process and for every desk a test starts, never into the profile of whoever runs the tests.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="clerk-desk-test-config-")
atexit.register(lambda: shutil.rmtree(os.environ["XDG_CONFIG_HOME"], ignore_errors=True))
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.support.memory_keyring.MemoryKeyring"
os.environ["CLERK_DESK_ALLOW_LOOPBACK_HTTP"] = "1"
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p)
# This PC's personal-data key (clerk_desk/store/machine_key.py): one throwaway key for the run and the
# desks it starts as subprocesses, never the machine's own (/etc/clerk-desk or ~/.config/clerk-desk).
if "CLERK_DESK_KEY_FILE" not in os.environ:
    import atexit
    import tempfile

    _key_dir = tempfile.mkdtemp(prefix="clerk-desk-test-key-")
    atexit.register(__import__("shutil").rmtree, _key_dir, True)
    os.environ["CLERK_DESK_KEY_FILE"] = os.path.join(_key_dir, "personal-data.key")
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import shutil  # noqa: E402
import subprocess  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from typing import NamedTuple  # noqa: E402

import keyring  # noqa: E402
import pytest  # noqa: E402

from tests.support.memory_keyring import MemoryKeyring  # noqa: E402
from tests.support.postgres import PostgresServer, PostgresUnavailable, unavailable_reason  # noqa: E402

PG_FIXTURES = {"pg_server", "pg_url", "pg_database_url"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if PG_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.pg)


# -- keyring ---------------------------------------------------------------------------------------
@pytest.fixture(scope="session", autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


# -- data folder -----------------------------------------------------------------------------------
@pytest.fixture
def tmp_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("CLERK_DESK_DATA", str(data))
    return data


# -- PostgreSQL ----------------------------------------------------------------------------------------
def _pg_unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the PostgreSQL tests, but: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    reason = unavailable_reason()
    if reason:
        _pg_unavailable(reason)
    server = PostgresServer()
    try:
        server.start()
    except PostgresUnavailable as exc:
        _pg_unavailable(str(exc))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_url(pg_server: PostgresServer) -> str:
    return pg_server.url()


@pytest.fixture
def pg_database_url(pg_server: PostgresServer) -> Iterator[str]:
    url = pg_server.create_database()
    yield url
    pg_server.drop_database(url.rsplit("/", 1)[1])


# -- printing ------------------------------------------------------------------------------------------
class CupsPdfPrinter(NamedTuple):
    queue: str
    out_dir: Path


def _cups_pdf_out_dir() -> Path | None:
    if os.environ.get("CUPS_PDF_OUT"):
        return Path(os.environ["CUPS_PDF_OUT"])
    try:
        lines = Path("/etc/cups/cups-pdf.conf").read_text(errors="replace").splitlines()
    except OSError:
        return None
    for line in lines:
        key, _, value = line.strip().partition(" ")
        if key == "Out" and "${" not in value:  # a per-user ${HOME}/PDF is not a known folder
            return Path(value.strip())
    return None


@pytest.fixture(scope="session")
def cups_pdf_printer() -> CupsPdfPrinter:
    """The cups-pdf queue; PDFs land in out_dir named '<title>-job_<id>.pdf'."""
    queue = os.environ.get("CUPS_PDF_QUEUE", "PDF")
    hint = "run scripts/start-cups.sh as root (scripts/test.sh does)"
    if shutil.which("lpstat") is None:
        pytest.skip(f"CUPS client tools are not installed; {hint}")
    state = subprocess.run(["lpstat", "-p", queue], capture_output=True, text=True, timeout=30)
    if state.returncode != 0 or "enabled" not in state.stdout:
        pytest.skip(f"no enabled CUPS queue {queue!r} ({(state.stderr or state.stdout).strip()}); {hint}")
    out_dir = _cups_pdf_out_dir()
    if out_dir is None or not out_dir.is_dir():
        pytest.skip(f"cups-pdf output folder is not configured or missing ({out_dir}); {hint}")
    return CupsPdfPrinter(queue, out_dir)
