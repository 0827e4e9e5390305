"""The README's order on a hall PC (site, windows, the first administrator, then enrol) leaves an account
the county hub does not know: whatever it does at a window comes back `unknown_actor`. `clerk-desk sync
status` names such accounts and what county IT runs, until the hub knows the name. A real hub over HTTP
on 127.0.0.1, the desk as real processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.desk_with_hub import SITE, desk_with_hub
from tests.cli.test_it_commands import cd


def test_a_local_account_the_hub_does_not_know_is_named_with_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with desk_with_hub(tmp_path, monkeypatch) as (data, url, admin, code):
        r = cd(
            data,
            "user",
            "add",
            "zhangadmin",
            "--name",
            "张管理",
            "--role",
            "admin",
            "--password",
            "Secret-123",
        )
        assert r.returncode == 0, r.stderr
        assert cd(data, "enrol", "--code", code, "--hub", url).returncode == 0

        r = cd(data, "sync", "now")
        assert r.returncode == 0, r.stderr
        assert "zhangadmin" in r.stdout and "县级平台没有" in r.stdout, r.stdout
        assert f"county-hub user add zhangadmin --name 张管理 --roles admin --site {SITE}" in r.stdout, (
            r.stdout
        )
        listing = cd(data, "user", "list").stdout
        assert "本机" in listing, listing

        admin.user("zhangadmin", "Secret-123", roles=("admin",), site=SITE, display_name="张管理")
        r = cd(data, "sync", "now")
        assert r.returncode == 0, r.stderr
        assert "县级平台没有" not in r.stdout, r.stdout
