"""County IT publishes next year's holiday calendar at the hub and checks on a hall PC's command line that
the desk took it: `clerk-desk sync status` names the calendar the desk counts working days with and the
years it lacks. A real hub over HTTP on 127.0.0.1, the desk as real processes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import calendar_service
from tests.cli.desk_with_hub import desk_with_hub
from tests.cli.test_it_commands import cd
from tests.support.catalogs import calendar_2027


def test_sync_status_names_the_calendar_and_the_years_it_lacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with desk_with_hub(tmp_path, monkeypatch) as (data, url, admin, code):
        assert cd(data, "enrol", "--code", code, "--hub", url).returncode == 0

        shipped = calendar_service.calendar_info(None)
        r = cd(data, "sync", "status")
        assert r.returncode == 0, r.stderr
        assert f"节假日安排：{shipped.version}（随程序安装）" in r.stdout, r.stdout
        for year in calendar_service.missing_years(data, datetime.now(SHANGHAI).date()):  # the PC's own date decides
            assert f"缺少 {year} 年" in r.stdout and "county-hub calendar publish" in r.stdout, r.stdout

        admin.publish("calendar", calendar_2027())
        r = cd(data, "sync", "now")
        assert r.returncode == 0, r.stderr
        assert (
            "节假日安排：2027-1（县级平台发布，" in r.stdout and "2027" in r.stdout.split("年份：", 1)[1]
        ), r.stdout
        assert "缺少 2027 年" not in r.stdout
