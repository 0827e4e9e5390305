"""County IT backs the hub up while it runs (``county-hub backup``), restores that older copy, and the desks go
on: a desk whose cursor lies past the restored log's end is told ``cursor_ahead`` and takes a new snapshot
(docs/hub.md, "Back up and restore")."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from clerk_desk.store.models import Case, CaseEvent
from clerk_desk.sync import apply
from clerk_desk.sync.engine import COMMIT
from county_hub.cli import main as hub_cli
from tests.support.hub_server import HubAdmin, running_hub
from tests.support.tcp_proxy import TcpProxy
from tests.sync.conftest import SITE, make_desk
from tests.sync.test_relay import accept

SKEW = {"clock_skew_s": 14 * 86400}


def _hub_events(db_file: Path) -> int:
    with sqlite3.connect(db_file) as conn:
        return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])


def _port(url: str) -> tuple[str, int]:
    return ("127.0.0.1", int(url.rsplit(":", 1)[1]))


def test_a_backup_taken_while_the_hub_runs_restores_and_the_desks_recover(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hub_dir, backup = tmp_path / "hub", tmp_path / "backups" / "hub-2026-12-07.sqlite3"
    backup.parent.mkdir()
    with TcpProxy(("127.0.0.1", 9)) as proxy:  # the desks' one hub address, whichever port the hub has
        with running_hub(hub_dir, **SKEW) as url, HubAdmin(hub_dir) as admin:
            proxy.upstream = _port(url)
            admin.site(SITE, "通羊镇便民服务中心")
            window = make_desk(tmp_path / "window", proxy.url, admin)
            other = make_desk(tmp_path / "other", proxy.url, admin)
            before = accept(window)
            window.engine.run_once()
            # the hub keeps running; its newest commits are still in hub.sqlite3-wal
            assert hub_cli(["backup", str(backup), "--data-dir", str(hub_dir)]) == 0
            out = capsys.readouterr().out
            assert f"已备份到 {backup}" in out and "事件日志至第 1 条" in out
            assert _hub_events(backup) == 1 and not Path(f"{backup}-wal").exists()
            assert backup.stat().st_mode & 0o077 == 0  # it holds the cases' people and the token hashes
            after = accept(window)
            window.engine.run_once()
            other.engine.run_once()  # its cursor is now past what the backup holds
            assert other.engine.status().last_error is None
            assert hub_cli(["backup", str(backup), "--data-dir", str(hub_dir)]) == 2  # never overwritten
            assert "已存在" in capsys.readouterr().err and _hub_events(backup) == 1
        proxy.down()

        # restored as docs/hub.md says: the hub stopped, `county-hub restore FILE`, the hub started again
        assert hub_cli(["restore", str(backup), "--data-dir", str(hub_dir)]) == 0
        out = capsys.readouterr().out
        assert "原数据库已保留为" in out and "已恢复：事件日志至第 1 条" in out
        kept = list(hub_dir.glob("hub.sqlite3.before-restore-*"))
        assert kept and _hub_events(next(k for k in kept if k.name.endswith(tuple("0123456789")))) == 2
        assert _hub_events(hub_dir / "hub.sqlite3") == 1
        with running_hub(hub_dir, **SKEW) as url:
            proxy.upstream = _port(url)
            proxy.up()
            # the window desk works on first: its new intake takes a seq above every one handed out before
            third = accept(window)
            window.engine.run_once()  # pushes the new intake, then its pull is told cursor_ahead
            assert (window.engine.status().last_error or "").startswith("cursor_ahead")
            window.engine.run_once()  # sends again what the restored hub lost, takes a new snapshot
            assert window.engine.status().last_error is None
            with window.db.reading() as s:
                states = dict(s.execute(select(CaseEvent.case_uuid, CaseEvent.push_state)).all())
            assert states == {before: "stored", after: "stored", third: "stored"}
            assert _hub_events(hub_dir / "hub.sqlite3") == 3
            # the other desk had pulled the lost event; its cursor is not past the log's end (the new
            # intake's seq is above it), yet it is told, and takes the two it would have missed
            other.engine.run_once()
            assert (other.engine.status().last_error or "").startswith("cursor_ahead")
            other.engine.run_once()
            assert other.engine.status().last_error is None
            with other.db.reading() as s:
                assert all(s.get(Case, u) is not None for u in (before, after, third))
            assert apply.cursor(other.db) == apply.cursor(window.db)
            assert hub_cli(["restore", "--mark", "--data-dir", str(hub_dir)]) == 0  # twice: nothing more
            assert "已恢复" in capsys.readouterr().out  # marked again (it cannot tell a second restore)


def test_restore_refuses_what_is_not_a_hub_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hub_dir = tmp_path / "hub"
    assert hub_cli(["site", "add", SITE, "通羊镇", "--data-dir", str(hub_dir)]) == 0
    other = tmp_path / "not-a-backup.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    capsys.readouterr()
    assert hub_cli(["restore", str(other), "--data-dir", str(hub_dir)]) == 2
    assert "不是县级平台的数据库备份" in capsys.readouterr().err
    assert hub_cli(["site", "list", "--data-dir", str(hub_dir)]) == 0
    assert SITE in capsys.readouterr().out  # the database in use is untouched
    assert hub_cli(["restore", "--mark", "--data-dir", str(hub_dir)]) == 0


def test_restore_refuses_a_backup_of_a_newer_hub(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Swapped in first, a newer hub's backup left the data folder with a database this hub refuses to open
    and the one it used moved aside."""
    hub_dir, newer = tmp_path / "hub", tmp_path / "newer.sqlite3"
    assert hub_cli(["site", "add", SITE, "通羊镇", "--data-dir", str(hub_dir)]) == 0
    assert hub_cli(["backup", str(newer), "--data-dir", str(hub_dir)]) == 0
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_from_a_newer_hub'")
    capsys.readouterr()
    assert hub_cli(["restore", str(newer), "--data-dir", str(hub_dir)]) == 2
    assert "由更新版本的 county-hub 写成，未恢复；当前数据库未改动" in capsys.readouterr().err
    assert not list(hub_dir.glob("*before-restore*"))
    assert hub_cli(["site", "list", "--data-dir", str(hub_dir)]) == 0 and SITE in capsys.readouterr().out


def test_a_desk_that_pushed_after_the_backup_and_has_not_pulled_since_sends_its_events_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A commit is pushed at once and pulled back only at the next full cycle: a hub lost (and restored) in
    between leaves the desk with its cursor before the backup's end and an event the hub acknowledged after
    it. Before, that desk pulled on as if nothing had happened and its event was never sent again."""
    hub_dir, backup = tmp_path / "hub", tmp_path / "hub-backup.sqlite3"
    with TcpProxy(("127.0.0.1", 9)) as proxy:
        with running_hub(hub_dir, **SKEW) as url, HubAdmin(hub_dir) as admin:
            proxy.upstream = _port(url)
            admin.site(SITE, "通羊镇便民服务中心")
            window = make_desk(tmp_path / "window", proxy.url, admin)
            before = accept(window)
            window.engine.run_once()
            assert hub_cli(["backup", str(backup), "--data-dir", str(hub_dir)]) == 0
            late = accept(window)
            window.engine.run_once(frozenset({COMMIT}))  # the commit's own cycle: pushed, nothing pulled
            with window.db.reading() as s:
                seq = s.execute(select(CaseEvent.hub_seq).where(CaseEvent.case_uuid == late)).scalar_one()
            cursor = apply.cursor(window.db)
            assert seq is not None and cursor is not None and cursor < seq
            assert _hub_events(hub_dir / "hub.sqlite3") == 2
        proxy.down()
        assert hub_cli(["restore", str(backup), "--data-dir", str(hub_dir)]) == 0
        capsys.readouterr()
        with running_hub(hub_dir, **SKEW) as url:
            proxy.upstream = _port(url)
            proxy.up()
            window.engine.run_once()
            assert (window.engine.status().last_error or "").startswith("cursor_ahead")
            window.engine.run_once()
            assert window.engine.status().last_error is None
            assert _hub_events(hub_dir / "hub.sqlite3") == 2  # before: 1, the late intake lost for good
            with window.db.reading() as s:
                states = dict(s.execute(select(CaseEvent.case_uuid, CaseEvent.push_state)).all())
            assert states == {before: "stored", late: "stored"}


def test_a_case_the_restore_lost_goes_on_at_the_window_without_a_refusal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The clerk hands over a case accepted after the backup, on the restored hub, before the desk has pulled:
    the hand-over was pushed first, refused for good (the hub had no such case), and only then the intake was
    sent again. The push now names the desk's cursor, so the hub tells it first and the two go in order."""
    hub_dir, backup = tmp_path / "hub", tmp_path / "hub-backup.sqlite3"
    with TcpProxy(("127.0.0.1", 9)) as proxy:
        with running_hub(hub_dir, **SKEW) as url, HubAdmin(hub_dir) as admin:
            proxy.upstream = _port(url)
            admin.site(SITE, "通羊镇便民服务中心")
            window = make_desk(tmp_path / "window", proxy.url, admin)
            window.engine.run_once()
            assert hub_cli(["backup", str(backup), "--data-dir", str(hub_dir)]) == 0
            case = accept(window)
            window.engine.run_once()  # pushed and pulled back: the desk's cursor is past the backup's end
        proxy.down()
        assert hub_cli(["restore", str(backup), "--data-dir", str(hub_dir)]) == 0
        capsys.readouterr()
        with running_hub(hub_dir, **SKEW) as url:
            proxy.upstream = _port(url)
            proxy.up()
            window.intake.transfer(case, window.clerk)  # the link was up when last tried: pushed at once
            for _ in range(3):
                window.engine.run_once(frozenset({COMMIT}))  # the hand-over's own cycle: a push
            window.engine.run_once()
            window.engine.run_once()
            with window.db.reading() as s:
                states = s.execute(select(CaseEvent.type, CaseEvent.push_state).order_by(CaseEvent.device_seq)).all()
            assert [tuple(r) for r in states] == [("accepted", "stored"), ("transferred", "stored")]


def test_a_restore_that_fails_after_the_swap_says_the_mark_is_still_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The backup was in place and the mark failed (here: the disk filled): the command named only the error,
    and a hub started on the folder let new events take the seqs desks had pulled."""
    from county_hub import backup as backup_mod

    hub_dir, backup = tmp_path / "hub", tmp_path / "hub-backup.sqlite3"
    assert hub_cli(["site", "add", SITE, "通羊镇", "--data-dir", str(hub_dir)]) == 0
    assert hub_cli(["backup", str(backup), "--data-dir", str(hub_dir)]) == 0

    def full(*_args: object, **_kw: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup_mod, "mark_restored", full)
    capsys.readouterr()
    assert hub_cli(["restore", str(backup), "--data-dir", str(hub_dir)]) == 2
    err = capsys.readouterr().err
    assert "尚未标记为恢复" in err and "county-hub restore --mark" in err
    monkeypatch.undo()
    assert hub_cli(["restore", "--mark", "--data-dir", str(hub_dir)]) == 0
