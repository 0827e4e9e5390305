"""``county-hub device list``: when each device enrolled and last pushed, and the quiet ones (over HTTP)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

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


def test_a_reader_that_stops_early_does_not_undo_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`county-hub device add … | head -1` with unbuffered output (PYTHONUNBUFFERED=1, as services often
    run): the first print into the closed pipe failed inside the command's transaction, which rolled back,
    though the reader may already have shown the device's enrolment code."""
    data = ["--data-dir", str(tmp_path / "hub")]
    assert hub_cli(["site", "add", SITE_A, "通羊镇", *data]) == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "county_hub", *data, "device", "add", "--site", SITE_A, "--kind", "clerk",
         "--code", "03"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the command prints
    proc.stderr.read()
    proc.wait(timeout=60)
    capsys.readouterr()
    assert hub_cli(["device", "list", *data]) == 0
    assert [d["code"] for d in json.loads(capsys.readouterr().out)] == ["03"]

