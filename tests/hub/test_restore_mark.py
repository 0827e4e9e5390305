"""A hub restored from an older backup (SQLite: ``county-hub restore FILE``; PostgreSQL: pg_restore, then
``county-hub restore --mark``) tells every desk that pulled an event it lost: over HTTP, on both databases."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from county_hub.backup import LOST_GAP
from county_hub.cli import main as hub_cli
from tests.hub.hubkit import API, Hub, new_case
from tests.support.hub_server import running_hub


def test_a_cursor_on_events_the_restore_lost_is_told_cursor_ahead(
    hub: Hub, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = hub.device()
    desk.push_ok([desk.event(new_case(), 0, "accepted") for _ in range(3)])
    # the database now stands as a backup ending at seq 3; a desk had pulled up to 5 before the restore
    assert hub_cli(["restore", "--mark", "--db", hub.db_url]) == 0
    assert "已恢复：事件日志至第 3 条" in capsys.readouterr().out
    end = 3 + LOST_GAP
    with running_hub(hub.db_url) as url, httpx.Client(base_url=url, headers=desk.headers, timeout=30) as http:
        r = http.get(f"{API}/events", params={"after": 5})
        assert r.status_code == 409
        detail = r.json()["detail"]
        assert (detail["code"], detail["lost_after"], detail["lost_to"], detail["head"]) == (
            "cursor_ahead", 3, end, end)
        ok = http.get(f"{API}/events", params={"after": 3})
        assert ok.status_code == 200 and ok.json()["events"] == [] and ok.json()["next_cursor"] == end
        pushed = http.post(f"{API}/events", json={"events": [desk.event(new_case(), 0, "accepted")]})
        assert pushed.status_code == 200 and pushed.json()["results"][0]["seq"] == end + 1
        page = http.get(f"{API}/events", params={"after": 3}).json()
        assert [e["seq"] for e in page["events"]] == [end + 1]
        assert http.get(f"{API}/events", params={"after": end + 1}).json()["events"] == []
        assert http.get(f"{API}/events", params={"after": 2}).status_code == 200  # before the backup's end
    assert "hub_restored" in hub.audit_actions()


def test_backup_and_restore_name_postgresql_s_own_tools(
    hub: Hub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not hub.db_url.startswith("postgresql"):
        pytest.skip("the PostgreSQL hub's answers")
    assert hub_cli(["backup", str(tmp_path / "hub.sqlite3"), "--db", hub.db_url]) == 2
    assert "pg_dump" in capsys.readouterr().err and not (tmp_path / "hub.sqlite3").exists()
    assert hub_cli(["restore", str(tmp_path / "x.sqlite3"), "--db", hub.db_url]) == 2
    err = capsys.readouterr().err
    assert "pg_restore" in err and "county-hub restore --mark" in err
