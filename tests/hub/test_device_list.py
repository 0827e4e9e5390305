"""``county-hub device list``: when each device enrolled and last pushed, and the quiet ones (over HTTP)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from county_hub.cli import main as hub_cli
from tests.hub.hubkit import SITE_A, Hub, new_case


def _listed(hub: Hub, capsys: pytest.CaptureFixture[str], *more: str) -> dict[str, dict]:
    capsys.readouterr()
    assert hub_cli(["device", "list", "--db", hub.db_url, *more]) == 0
    return {d["code"]: d for d in json.loads(capsys.readouterr().out)}


def test_device_list_says_when_each_device_last_pushed_and_lists_the_quiet_ones(
    hub: Hub, capsys: pytest.CaptureFixture[str]
) -> None:
    started = datetime.now(UTC)
    busy, idle, gone = hub.device(SITE_A), hub.device(SITE_A), hub.device(SITE_A)
    busy.push_ok([busy.event(new_case(), 0, "accepted")])
    hub.admin.revoke(gone.device_code)
    listed = _listed(hub, capsys)
    pushed = datetime.fromisoformat(listed[busy.device_code]["last_push_at"].replace("Z", "+00:00"))
    assert started <= pushed <= datetime.now(UTC)
    assert listed[idle.device_code]["last_push_at"] is None
    assert all(d["enrolled_at"] and d["tokens"][0]["created_at"] for d in listed.values())
    # nothing pushed in the last day: the idle device only (the revoked one is not in use)
    assert list(_listed(hub, capsys, "--quiet-days", "1")) == [idle.device_code]
    assert set(_listed(hub, capsys, "--quiet-days", "0")) == {busy.device_code, idle.device_code}
    assert hub_cli(["device", "list", "--quiet-days", "-1", "--db", hub.db_url]) == 2
    assert "--quiet-days" in capsys.readouterr().err
