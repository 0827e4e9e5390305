"""What county IT meets running `county-hub` on its own machine: who may read the embedded database, and
what it is told when the database cannot be reached. Real processes, a real SQLite file, a real
PostgreSQL connection attempt."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.postgres import free_port


def hub(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COUNTY_HUB_DB", "COUNTY_HUB_DATA_DIR")}
    return subprocess.run(
        [sys.executable, "-m", "county_hub", *args], capture_output=True, text=True, timeout=120, env=env
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes; on Windows the folder's ACL decides")
def test_the_embedded_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    # The hub keeps every pushed case with its people, the users' verifiers and the token hashes: another
    # account on the hub's machine must not read them. The umask of a usual shell (022) made 0755/0644.
    old = os.umask(0o022)
    try:
        folder = tmp_path / "hub"
        r = hub("site", "add", "421224100", "通羊镇", "--data-dir", str(folder))
        assert r.returncode == 0, r.stderr
        db = folder / "hub.sqlite3"
        assert mode(folder) == 0o700
        assert mode(db) == 0o600
        # the -wal and -shm SQLite makes take the database's mode
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("INSERT INTO audit_log (at, action, actor, subject, detail) "
                     "SELECT at, action, actor, subject, detail FROM audit_log LIMIT 1")  # fmt: skip
        conn.commit()
        for f in folder.glob("hub.sqlite3-*"):
            assert mode(f) == 0o600, f
        conn.close()

        # what an older hub left readable is made owner-only by the next command
        os.chmod(folder, 0o755)
        os.chmod(db, 0o644)
        r = hub("migrate", "--data-dir", str(folder))
        assert r.returncode == 0, r.stderr
        assert mode(folder) == 0o700 and mode(db) == 0o600
    finally:
        os.umask(old)


def test_an_unreachable_database_is_one_clear_line_without_the_password(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    url = f"postgresql+psycopg://hub:Top-Secret-9@127.0.0.1:{port}/hub"
    r = hub("migrate", "--db", url)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr, r.stderr
    assert "Top-Secret-9" not in r.stderr + r.stdout
    assert f"127.0.0.1:{port}/hub" in r.stderr
    assert "无法连接数据库" in r.stderr and "请检查" in r.stderr
    assert len(r.stderr.strip().splitlines()) <= 3, r.stderr


def test_a_password_in_the_address_s_query_is_never_printed(tmp_path: Path) -> None:
    # libpq takes the password as a query parameter too (…/hub?password=…): the address was printed from the
    # "@" on, so a hub that could not reach its database wrote the password into the service's journal.
    port = free_port()  # nothing listens there
    url = f"postgresql+psycopg://hub@127.0.0.1:{port}/hub?password=Top-Secret-9&connect_timeout=5"
    r = hub("migrate", "--db", url)
    assert r.returncode == 2
    assert "Top-Secret-9" not in r.stderr + r.stdout, r.stderr
    assert f"127.0.0.1:{port}/hub" in r.stderr and "无法连接数据库" in r.stderr, r.stderr
    assert "进程列表" in r.stderr  # and it is in the process list, like one before the "@"


def test_a_password_on_the_command_line_is_warned_about(pg_database_url: str) -> None:
    # Any account on the hub's machine reads a process's command line (ps): `serve --db …:secret@…` shows
    # the database password for as long as the hub runs. The environment variable or ~/.pgpass do not.
    with_password = pg_database_url.replace("://postgres@", "://postgres:Top-Secret-9@", 1)
    assert with_password != pg_database_url
    r = hub("migrate", "--db", with_password)
    assert r.returncode == 0, r.stderr
    assert "COUNTY_HUB_DB" in r.stderr and ".pgpass" in r.stderr and "进程列表" in r.stderr, r.stderr
    assert "Top-Secret-9" not in r.stderr + r.stdout
    env_only = subprocess.run(
        [sys.executable, "-m", "county_hub", "migrate"], capture_output=True, text=True, timeout=120,
        env={**os.environ, "COUNTY_HUB_DB": with_password},
    )  # fmt: skip
    assert env_only.returncode == 0 and "进程列表" not in env_only.stderr, env_only.stderr


def test_tls_files_that_cannot_be_used_are_named_before_the_hub_starts(tmp_path: Path) -> None:
    from tests.support.pki import LOOPBACK, make_ca, server_cert

    ca = make_ca(tmp_path, "county-ca")
    cert, key = server_cert(tmp_path, ca, "hub", LOOPBACK)
    _other_cert, other_key = server_cert(tmp_path, ca, "other", LOOPBACK)
    data = ["--data-dir", str(tmp_path / "hub"), "--port", "1"]  # never bound: refused before

    missing = tmp_path / "missing.pem"
    r = hub("serve", *data, "--certfile", str(missing), "--keyfile", str(key))
    assert r.returncode == 2 and str(missing) in r.stderr and "--certfile" in r.stderr, r.stderr
    assert "No such file" not in r.stderr

    r = hub("serve", *data, "--certfile", str(cert), "--keyfile", str(other_key))  # a key of another cert
    assert r.returncode == 2 and "私钥" in r.stderr and str(other_key) in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_a_listing_piped_into_a_reader_that_stops_early_ends_quietly(tmp_path: Path) -> None:
    """`county-hub device list | head`: the reader stops, the hub stops writing, with no error line."""
    folder = tmp_path / "hub"
    assert hub("site", "add", "421224100", "通羊镇", "--data-dir", str(folder)).returncode == 0
    for _ in range(3):
        assert hub("device", "add", "--site", "421224100", "--kind", "clerk", "--data-dir", str(folder)).returncode == 0
    env = {k: v for k, v in os.environ.items() if k not in ("COUNTY_HUB_DB", "COUNTY_HUB_DATA_DIR")}
    p = subprocess.Popen([sys.executable, "-m", "county_hub", "device", "list", "--data-dir", str(folder)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip
    assert p.stdout is not None
    p.stdout.close()  # the reader is gone before the hub writes its first line
    _out, err = p.communicate(timeout=120)
    assert "Broken pipe" not in err and "Traceback" not in err, err
    assert p.returncode in (0, 1)  # 1: what a shell's pipeline reports for a writer whose reader left


def _file_size_limit(limit: int) -> Callable[[], None]:
    """For a child process: files may not grow past ``limit`` bytes (the kernel refuses the write, EFBIG),
    which is what a full disk does to a copy under way."""

    def apply() -> None:
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE stands in for a full disk")
def test_a_restore_that_meets_a_full_disk_says_so_and_leaves_nothing_behind(tmp_path: Path) -> None:
    folder, backup = tmp_path / "hub", tmp_path / "backup.sqlite3"
    assert hub("site", "add", "421224100", "通羊镇", "--data-dir", str(folder)).returncode == 0
    assert hub("backup", str(backup), "--data-dir", str(folder)).returncode == 0
    db = folder / "hub.sqlite3"
    before = db.read_bytes()
    assert backup.stat().st_size > 64 * 1024
    env = {k: v for k, v in os.environ.items() if k not in ("COUNTY_HUB_DB", "COUNTY_HUB_DATA_DIR")}
    r = subprocess.run(
        [sys.executable, "-m", "county_hub", "restore", str(backup), "--data-dir", str(folder)],
        capture_output=True, text=True, timeout=120, env=env, preexec_fn=_file_size_limit(64 * 1024),
    )  # fmt: skip
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr, r.stderr
    assert "未恢复" in r.stderr and "磁盘" in r.stderr and "当前数据库未改动" in r.stderr, r.stderr
    # the half-made copy (every case with its people) is not left in the data folder
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith("hub.sqlite3-")) == ["hub.sqlite3"]
    assert db.read_bytes() == before
