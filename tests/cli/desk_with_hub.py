"""A desk data folder set up for one site, beside a running county hub that knows the site (real processes)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.cli.test_it_commands import cd
from tests.support.hub_server import HubAdmin, running_hub
from tests.support.memory_keyring import FILE_ENV

SITE = "421224100"


@contextmanager
def desk_with_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, str, HubAdmin, str]]:
    """(the desk's data folder, the hub's URL, the hub's admin, an enrolment code for a clerk PC of SITE)."""
    monkeypatch.setenv(FILE_ENV, str(tmp_path / "keyring.json"))
    data = tmp_path / "desk"
    with running_hub(tmp_path / "hub") as url, HubAdmin(tmp_path / "hub") as admin:
        admin.site(SITE, "通羊镇便民服务中心")
        _device, code = admin.device(SITE, "clerk")
        assert cd(data, "site", "set", "--code", SITE, "--name", "通羊镇", "--device", "01").returncode == 0
        yield data, url, admin, code
