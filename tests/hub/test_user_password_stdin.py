"""``county-hub user add --password-stdin``: the password from a script without the process list seeing it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from county_hub.cli import main as hub_cli
from tests.hub.hubkit import SITE_A


def test_user_add_takes_the_password_on_stdin(tmp_path: Path) -> None:
    """Scripts gave the password with --password, which every account on the machine reads in the process
    list (ps) while the command runs, and the shell's history keeps; piped to the prompt, getpass warned
    that it may echo it."""
    from sqlalchemy import select

    from clerk_desk.domain.passwords import verify_password
    from county_hub.models import User
    from county_hub.settings import sqlite_url
    from county_hub.storage import make_engine

    data = ["--data-dir", str(tmp_path / "hub")]
    assert hub_cli(["site", "add", SITE_A, "通羊镇", *data]) == 0

    def add(name: str, stdin: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "county_hub", *data, "user", "add", name, "--name", "王芳", "--roles", "clerk",
             "--site", SITE_A, "--password-stdin"],
            input=stdin, capture_output=True, text=True, timeout=60,
        )  # fmt: skip

    done = add("wang", "Tongshan#2026pw\n")
    assert done.returncode == 0 and "已保存用户 wang" in done.stdout and "Tongshan" not in done.stdout + done.stderr
    assert "echo" not in done.stderr.lower()
    empty = add("li", "")
    assert empty.returncode == 2 and "标准输入中没有密码" in empty.stderr
    engine = make_engine(sqlite_url(tmp_path / "hub"))
    try:
        with engine.connect() as conn:
            verifiers = dict(conn.execute(select(User.username, User.verifier)).all())
    finally:
        engine.dispose()
    assert list(verifiers) == ["wang"] and verify_password("Tongshan#2026pw", verifiers["wang"])
