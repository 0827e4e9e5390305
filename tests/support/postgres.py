"""A throwaway PostgreSQL 15 server for the test session (docs/architecture.md §6, §9).

``initdb --auth=trust -U postgres`` into a fresh temp folder and ``pg_ctl start`` on a free loopback
port, with the unix socket inside that folder too, so nothing touches a system cluster and parallel
runs on one machine do not collide. initdb and pg_ctl refuse to run as root: when the tests run as
root, both run as the ``postgres`` OS user (``runuser -u postgres --``) and the temp folder is
owned by it. The binaries are looked up in ``$CLERK_PG_BIN`` or /usr/lib/postgresql/15/bin
(Debian's postgresql-15 package, installed by scripts/setup.sh).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_BIN_DIR = "/usr/lib/postgresql/15/bin"
OS_USER = "postgres"
SUPERUSER = "postgres"


class PostgresUnavailable(RuntimeError):
    """The server cannot be started here (binaries or the postgres OS user missing)."""


def bin_dir() -> Path:
    return Path(os.environ.get("CLERK_PG_BIN", DEFAULT_BIN_DIR))


def unavailable_reason() -> str | None:
    """Why a server cannot be started on this machine, or None if it can."""
    bdir = bin_dir()
    for tool in ("initdb", "pg_ctl", "postgres"):
        if not os.access(bdir / tool, os.X_OK):
            return (
                f"PostgreSQL 15 server binaries not found ({bdir / tool} missing); "
                "install Debian's postgresql-15 (bash scripts/setup.sh does it as root)"
            )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(OS_USER)
        except KeyError:
            return f"running as root but there is no {OS_USER!r} OS user to run PostgreSQL as"
        if shutil.which("runuser") is None:
            return "running as root but runuser (util-linux) is missing"
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PostgresServer:
    """One running server; ``url`` is the SQLAlchemy URL of its ``postgres`` database."""

    port: int = 0
    base: Path | None = None
    _running: bool = field(default=False, repr=False)

    # -- URLs -----------------------------------------------------------------------------------
    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def dsn(self, dbname: str = "postgres") -> str:
        """A libpq connection string for psycopg.connect()."""
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={dbname}"

    # -- life cycle -----------------------------------------------------------------------------
    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        cmd = [str(bin_dir() / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", OS_USER, "--", *cmd]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8", TZ="UTC")
        return subprocess.run(
            cmd,
            cwd=self.base,  # the postgres user may not be allowed into the caller's cwd (/root)
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self) -> PostgresServer:
        reason = unavailable_reason()
        if reason:
            raise PostgresUnavailable(reason)
        root = os.geteuid() == 0
        # As root, TMPDIR may point somewhere the postgres user cannot enter: use /tmp then.
        parent = "/tmp" if root and os.path.isdir("/tmp") else None
        self.base = Path(tempfile.mkdtemp(prefix="clerk-pg-", dir=parent))
        atexit.register(self.stop)
        data, sock = self.base / "data", self.base / "sock"
        sock.mkdir()
        for d in (self.base, sock):
            os.chmod(d, 0o700)
            if root:
                pw = pwd.getpwnam(OS_USER)
                os.chown(d, pw.pw_uid, pw.pw_gid)
        done = self._run(
            "initdb",
            "-D",
            str(data),
            "--auth=trust",
            "-U",
            SUPERUSER,
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
            "--no-instructions",
        )
        if done.returncode != 0:
            self.stop()
            raise RuntimeError(f"initdb failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        last = ""
        for _attempt in range(5):  # a free port can be taken between choosing and binding it
            self.port = free_port()
            opts = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={sock} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
                "-c timezone=UTC"
            )
            done = self._run(
                "pg_ctl",
                "start",
                "-D",
                str(data),
                "-l",
                str(self.base / "server.log"),
                "-w",
                "-t",
                "60",
                "-o",
                opts,
            )
            if done.returncode == 0:
                self._running = True
                return self
            last = f"{done.stdout}\n{done.stderr}\n{self.log_tail()}"
        self.stop()
        raise RuntimeError(f"pg_ctl start failed 5 times; last output:\n{last}")

    def log_tail(self, lines: int = 30) -> str:
        log = self.base / "server.log" if self.base else None
        if log is None or not log.exists():
            return ""
        with contextlib.suppress(OSError):
            return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def stop(self) -> None:
        if self.base is None:
            return
        if self._running:
            self._run("pg_ctl", "stop", "-D", str(self.base / "data"), "-m", "immediate", "-w", "-t", "60")
            self._running = False
        shutil.rmtree(self.base, ignore_errors=True)
        self.base = None

    # -- databases --------------------------------------------------------------------------------
    def create_database(self, name: str | None = None) -> str:
        """CREATE DATABASE t_<uuid> (or ``name``); returns its SQLAlchemy URL."""
        import psycopg

        name = name or f"t_{uuid.uuid4().hex}"
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
