"""A hub restored from an older backup (SQLite: ``county-hub restore FILE``; PostgreSQL: pg_restore, then
``county-hub restore --mark``) tells every desk that pulled an event it lost: over HTTP, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from county_hub.backup import LOST_GAP
from county_hub.cli import main as hub_cli
from county_hub.storage import open_storage
from tests.hub.hubkit import API, DeviceClient, Hub, new_case
from tests.support.hub_server import HubAdmin, running_hub


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
        ok = http.get(f"{API}/events", params={"after": end})  # a snapshot taken since: the restored head
        assert ok.status_code == 200 and ok.json()["events"] == [] and ok.json()["next_cursor"] == end
        pushed = http.post(f"{API}/events", json={"events": [desk.event(new_case(), 0, "accepted")]})
        assert pushed.status_code == 200 and pushed.json()["results"][0]["seq"] == end + 1
        page = http.get(f"{API}/events", params={"after": end}).json()
        assert [e["seq"] for e in page["events"]] == [end + 1]
        assert http.get(f"{API}/events", params={"after": end + 1}).json()["events"] == []
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


def test_a_dump_taken_right_after_a_mark_is_marked_again_when_it_is_restored(
    hub: Hub, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pg_dump taken after a restore and its mark, before any push (a weekend), then restored once the hub had
    stored events past it: the database is the marked one again, yet the seqs past its end were handed out."""
    desk, other = hub.device(), hub.device()
    desk.push_ok([desk.event(new_case(), 0, "accepted") for _ in range(3)])
    assert hub_cli(["restore", "--mark", "--db", hub.db_url]) == 0
    end = 3 + LOST_GAP
    # the dump ends at `end`; the hub then stored events up to end + 2 and a desk pulled them; the dump is
    # restored (the database stands as it was at the mark) and marked as docs/hub.md says
    assert hub_cli(["restore", "--mark", "--db", hub.db_url]) == 0
    assert "新事件从第" in capsys.readouterr().out
    with running_hub(hub.db_url) as url, httpx.Client(base_url=url, headers=other.headers, timeout=30) as http:
        pushed = http.post(f"{API}/events", json={"events": [other.event(new_case(), 0, "accepted") for _ in range(3)]})
        assert pushed.status_code == 200, pushed.text
        assert all(r["seq"] > end + 2 for r in pushed.json()["results"])  # never a seq a desk already holds
        r = http.get(f"{API}/events", params={"after": end + 2})
        assert r.status_code == 409, r.text  # before: 200, the two new events below the cursor skipped
        assert r.json()["detail"]["lost_after"] == end


def test_a_cursor_at_the_backup_s_end_is_told_too(hub: Hub) -> None:
    """A desk that had not pulled since the backup may have pushed since: its events the hub acknowledged after
    the backup's end are lost, so it is told the range as well (and snapshots once)."""
    desk = hub.device()
    desk.push_ok([desk.event(new_case(), 0, "accepted") for _ in range(3)])
    assert hub_cli(["restore", "--mark", "--db", hub.db_url]) == 0
    end = 3 + LOST_GAP
    with running_hub(hub.db_url) as url, httpx.Client(base_url=url, headers=desk.headers, timeout=30) as http:
        for after in (0, 2, 3):
            r = http.get(f"{API}/events", params={"after": after})
            assert r.status_code == 409, r.text  # before: 200 for a cursor at or below the backup's end
            detail = r.json()["detail"]
            assert (detail["code"], detail["lost_after"], detail["lost_to"]) == ("cursor_ahead", 3, end)
        snap = http.get(f"{API}/snapshot")
        assert snap.status_code == 200 and snap.json()["seq"] == end
        assert http.get(f"{API}/events", params={"after": end}).status_code == 200


def test_a_backup_restored_twice_moves_past_every_seq_the_first_restore_handed_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same backup put back a second time (or an older one after a restore): the counter moved a billion
    past the backup's end only, onto the seqs desks had pulled since the first restore."""
    hub_dir, backup = tmp_path / "hub", tmp_path / "hub-backup.sqlite3"
    db_url = f"sqlite:///{hub_dir / 'hub.sqlite3'}"
    with running_hub(hub_dir) as url, HubAdmin(hub_dir) as admin, httpx.Client(base_url=url, timeout=30) as http:
        storage = open_storage(db_url)
        try:
            h = Hub(url, db_url, storage.engine, admin, http, storage)
            window, reader, late = h.device(), h.device(), h.device()
            window.push_ok([window.event(new_case(), 0, "accepted")])
        finally:
            storage.engine.dispose()
    assert hub_cli(["backup", str(backup), "--data-dir", str(hub_dir)]) == 0
    assert hub_cli(["restore", str(backup), "--data-dir", str(hub_dir)]) == 0
    first = 1 + LOST_GAP
    with running_hub(hub_dir) as url, httpx.Client(base_url=url, timeout=30) as http:
        r = http.post(f"{API}/events", headers=window.headers,
                      json={"events": [window.event(new_case(), 0, "accepted") for _ in range(2)]})
        assert [x["seq"] for x in r.json()["results"]] == [first + 1, first + 2]
        assert http.get(f"{API}/events", params={"after": first}, headers=reader.headers).json()["next_cursor"] == first + 2
    capsys.readouterr()
    assert hub_cli(["restore", str(backup), "--data-dir", str(hub_dir)]) == 0  # the same backup again
    assert "原数据库已保留为" in capsys.readouterr().out
    with running_hub(hub_dir) as url, httpx.Client(base_url=url, timeout=30) as http:
        r = http.post(f"{API}/events", headers=late.headers,
                      json={"events": [late.event(new_case(), 0, "accepted") for _ in range(3)]})
        assert r.status_code == 200, r.text
        assert all(x["seq"] > first + 2 for x in r.json()["results"])  # before: first + 1 … first + 3 again
        pulled = http.get(f"{API}/events", params={"after": first + 2}, headers=reader.headers)
        assert pulled.status_code == 409, pulled.text  # before: 200, two of the three skipped
        assert pulled.json()["detail"]["lost_after"] == 1


def test_a_desk_waiting_for_changes_from_a_lost_cursor_is_told_at_once(hub: Hub) -> None:
    """GET /changes held such a desk (nothing new after its cursor) and, once another desk pushed, failed to
    read its page (a traceback in the hub's log per waiting desk) before the desk pulled and was told."""
    desk = hub.device()
    desk.push_ok([desk.event(new_case(), 0, "accepted") for _ in range(3)])
    assert hub_cli(["restore", "--mark", "--db", hub.db_url]) == 0
    end = 3 + LOST_GAP
    with running_hub(hub.db_url) as url, httpx.Client(base_url=url, headers=desk.headers, timeout=30) as http:
        for after in (2, 5, end + 7):
            r = http.get(f"{API}/changes", params={"after": after, "timeout": 3, "limit": 100})
            assert r.status_code == 409, r.text  # before: held 3 s, then 200 {"changed": false}
            assert r.json()["detail"]["code"] == "cursor_ahead"
        r = http.get(f"{API}/changes", params={"after": end, "timeout": 0})
        assert r.status_code == 200 and r.json() == {"changed": False, "head": end}


def test_a_push_naming_a_cursor_a_restore_left_behind_stores_nothing(hub: Hub) -> None:
    desk = hub.device()
    desk.push_ok([desk.event(new_case(), 0, "accepted") for _ in range(3)])
    assert hub_cli(["restore", "--mark", "--db", hub.db_url]) == 0
    end = 3 + LOST_GAP
    with running_hub(hub.db_url) as url, httpx.Client(base_url=url, headers=desk.headers, timeout=30) as http:
        body = {"events": [desk.event(new_case(), 0, "accepted")]}
        for after in (3, 5):
            r = http.post(f"{API}/events", json=body, headers={"X-Desk-Cursor": str(after)})
            assert r.status_code == 409, r.text
            assert (r.json()["detail"]["lost_after"], r.json()["detail"]["lost_to"]) == (3, end)
        assert hub.counts()["events"] == 3
        for cursor in ({"X-Desk-Cursor": str(end)}, {}):  # after its snapshot; a desk that does not say
            r = http.post(f"{API}/events", json={"events": [desk.event(new_case(), 0, "accepted")]}, headers=cursor)
            assert r.status_code == 200 and r.json()["results"][0]["status"] == "stored"


def test_mark_past_moves_beyond_what_the_replaced_database_reached(
    hub: Hub, capsys: pytest.CaptureFixture[str]
) -> None:
    """pg_restore leaves nothing of the database it replaced: a dump restored a second time, after the hub had
    run on the first restore, gave new events the seqs desks had pulled. IT gives the old head with --past."""
    desk = hub.device()
    desk.push_ok([desk.event(new_case(), 0, "accepted") for _ in range(3)])
    replaced = 3 + LOST_GAP + 40  # the first restore's counter, and 40 events since
    assert hub_cli(["restore", "--past", "7", "--db", hub.db_url]) == 2  # only with --mark
    assert "--past 只与 --mark 一起使用" in capsys.readouterr().err
    assert hub_cli(["restore", "--mark", "--past", str(replaced), "--db", hub.db_url]) == 0
    top = replaced + LOST_GAP
    assert f"新事件从第 {top + 1} 条起" in capsys.readouterr().out
    with running_hub(hub.db_url) as url, httpx.Client(base_url=url, headers=desk.headers, timeout=30) as http:
        r = http.get(f"{API}/events", params={"after": replaced})
        assert r.status_code == 409 and (r.json()["detail"]["lost_after"], r.json()["detail"]["lost_to"]) == (3, top)
        pushed = http.post(f"{API}/events", json={"events": [desk.event(new_case(), 0, "accepted")]})
        assert pushed.json()["results"][0]["seq"] == top + 1


@contextmanager
def _window_desk(hub_dir: Path) -> Iterator[DeviceClient]:
    """A hub serving its SQLite database in ``hub_dir`` over HTTP, and a window desk of it."""
    db_url = f"sqlite:///{hub_dir / 'hub.sqlite3'}"
    with running_hub(hub_dir) as url, HubAdmin(hub_dir) as admin, httpx.Client(base_url=url, timeout=30) as http:
        storage = open_storage(db_url)
        try:
            yield Hub(url, db_url, storage.engine, admin, http, storage).device()
        finally:
            storage.engine.dispose()


def test_restore_puts_back_the_file_named_even_with_a_hash_or_question_mark_in_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The backup was opened as an SQLite URI built from its path: in "hub#2.sqlite3" the "#" began the URI's
    fragment, so the restore read and put back "hub" (another, older backup beside it), and in a name with
    "?" the read-only mode was lost. The file named is the one restored."""
    hub_dir, shelf = tmp_path / "hub", tmp_path / "backups"
    shelf.mkdir()
    older, named = shelf / "hub", shelf / "hub#2.sqlite3"
    with _window_desk(hub_dir) as window:
        window.push_ok([window.event(new_case(), 0, "accepted")])
        assert hub_cli(["backup", str(older), "--data-dir", str(hub_dir)]) == 0
        window.push_ok([window.event(new_case(), 0, "accepted") for _ in range(2)])
        assert hub_cli(["backup", str(named), "--data-dir", str(hub_dir)]) == 0
    capsys.readouterr()
    assert hub_cli(["restore", str(named), "--data-dir", str(hub_dir)]) == 0
    said = capsys.readouterr().out
    assert "事件日志至第 3 条" in said, said  # before: 第 1 条, the older file
    for name in ("hub#2.sqlite3", "hub"):
        assert (shelf / name).is_file()
    assert sorted(p.name for p in shelf.iterdir()) == ["hub", "hub#2.sqlite3"]  # nothing made beside them


def test_a_backup_carrying_its_own_triggers_or_views_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hub database has no trigger and no view. One in a file handed over as a backup would have run its
    own SQL inside the hub on every push from then on (here: each new event's actor rewritten), unseen by
    IT. The restore is refused and the database in use is left as it was."""
    import hashlib
    import sqlite3

    hub_dir, backup = tmp_path / "hub", tmp_path / "hub-backup.sqlite3"
    with _window_desk(hub_dir) as window:
        window.push_ok([window.event(new_case(), 0, "accepted")])
    assert hub_cli(["backup", str(backup), "--data-dir", str(hub_dir)]) == 0
    with sqlite3.connect(backup) as conn:
        conn.execute("CREATE TRIGGER relabel AFTER INSERT ON events BEGIN "
                     "UPDATE events SET actor = 'somebody' WHERE seq = NEW.seq; END")  # fmt: skip
    db = hub_dir / "hub.sqlite3"
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    capsys.readouterr()
    assert hub_cli(["restore", str(backup), "--data-dir", str(hub_dir)]) == 2
    said = capsys.readouterr().err
    assert "触发器" in said and "relabel" in said and "未恢复" in said, said
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert not list(hub_dir.glob("*before-restore*"))
