"""What each desk holds, as the hub records it (county_hub.holdings, migration 0008): the ``X-Desk-Holds`` header
of a desk's ``GET /catalog`` over HTTP, ``county-hub device list`` (JSON, ``--table``, ``--behind``) and the
calendar warnings of December, on SQLite and PostgreSQL. Junk in the header is ignored, never stored, and the
request is answered as without it."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

import pytest
from alembic import command
from sqlalchemy import inspect, select, text

from clerk_desk.domain.desk_holdings import HEADER, Holdings, encode
from county_hub import holdings
from county_hub.cli import main as hub_cli
from county_hub.db import write_engine
from county_hub.migrate import alembic_config, upgrade
from county_hub.models import DeviceHoldings
from county_hub.storage import make_engine
from tests.hub.hubkit import SITE_A, DeviceClient, Hub
from tests.support.catalogs import calendar_2027, catalog_bytes

GOOD = "app=0.1.0; catalog=2026.1; catalog-source=hub; calendar=2026:2026-1"


def _say(device: DeviceClient, value: str | bytes | None, *more: tuple[str, str | bytes]) -> int:
    headers: list[tuple[str, str | bytes]] = [("Authorization", f"Bearer {device.token}"), *more]
    if value is not None:
        headers.append((HEADER, value))
    r = device.hub.http.get("/api/v1/catalog", headers=headers)
    return r.status_code


def _listed(hub: Hub, capsys: pytest.CaptureFixture[str], *more: str) -> tuple[dict[str, dict[str, Any]], str]:
    capsys.readouterr()
    assert hub_cli(["device", "list", "--db", hub.db_url, *more]) == 0
    out = capsys.readouterr()
    return {d["code"]: d for d in json.loads(out.out)}, out.err


def _row(hub: Hub, code: str) -> Any:
    with hub.engine.connect() as conn:
        return conn.execute(select(DeviceHoldings.__table__).where(DeviceHoldings.device_code == code)).first()


def _calendar(years: dict[str, Any], version: str) -> dict[str, Any]:
    cal = calendar_2027(version)
    cal["years"] = years
    return cal


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> list[date]:
    """The hub's China day for the calendar warnings (a November day unless a test sets another)."""
    day = [date(2026, 11, 20)]
    monkeypatch.setattr(holdings, "china_today", lambda: day[0])
    return day


def test_device_list_shows_what_each_desk_holds_and_which_are_behind(
    hub: Hub, capsys: pytest.CaptureFixture[str], today: list[date]
) -> None:
    old, new, silent, gone = hub.device(SITE_A), hub.device(SITE_A), hub.device(SITE_A), hub.device(SITE_A)
    assert _say(old, GOOD) == 404  # nothing published yet: still recorded
    assert _say(gone, GOOD) == 404
    hub.admin.revoke(gone.device_code)
    listed, _err = _listed(hub, capsys)
    assert listed[old.device_code]["holds"] == {
        "app": "0.1.0", "catalog": "2026.1", "catalog_source": "hub", "calendar": {"2026": "2026-1"},
        "os_account": "clerk", "changed_at": listed[old.device_code]["holds"]["changed_at"],
        "reported_at": listed[old.device_code]["holds"]["reported_at"],
    }  # fmt: skip
    assert listed[old.device_code]["behind"] == []  # the hub serves nothing yet
    assert listed[silent.device_code]["holds"] is None
    assert listed[silent.device_code]["behind"] == [{"what": "unreported"}]

    # the county publishes a newer catalog and a calendar with 2027; one desk takes both, one does not
    hub.admin.publish("catalog", catalog_bytes("2026.2"))
    with_2027 = _calendar({"2026": {"holidays": [], "makeup_workdays": []}, **calendar_2027()["years"]}, "2027-1")
    hub.admin.publish("calendar", with_2027)
    assert _say(new, "app=0.1.0; catalog=2026.2; catalog-source=hub; calendar=2026:2027-1,2027:2027-1") == 200
    listed, _err = _listed(hub, capsys, "--behind")
    assert set(listed) == {old.device_code, silent.device_code}  # not the revoked one, not the one up to date
    assert listed[old.device_code]["behind"] == [
        {"what": "catalog", "have": "2026.1", "served": "2026.2"},
        {"what": "calendar", "year": 2026, "have": "2026-1", "served": "2027-1"},
        {"what": "calendar", "year": 2027, "have": None, "served": "2027-1"},
    ]
    # the table, for people: one line a device, what is missing in words
    capsys.readouterr()
    assert hub_cli(["device", "list", "--table", "--db", hub.db_url]) == 0
    lines = {line.split("\t")[0]: line.split("\t") for line in capsys.readouterr().out.splitlines()[1:]}
    assert lines[new.device_code][3:6] == ["0.1.0", "2026.2", "2026:2027-1 2027:2027-1"]
    assert lines[new.device_code][8] == "最新"
    assert "事项目录 2026.1，平台 2026.2" in lines[old.device_code][8]
    assert "2027 年节假日安排缺" in lines[old.device_code][8]
    assert lines[silent.device_code][3] == "—" and lines[silent.device_code][8].startswith("未报告")
    assert "已吊销" in lines[gone.device_code][2]


def test_junk_in_the_header_is_ignored_and_the_request_answered(
    hub: Hub, capsys: pytest.CaptureFixture[str], today: list[date]
) -> None:
    desk = hub.device(SITE_A)
    hub.admin.publish("catalog", catalog_bytes("2026.2"))
    assert _say(desk, None) == 200
    assert _row(hub, desk.device_code) is None  # no header: nothing recorded
    assert _say(desk, GOOD) == 200
    kept = _row(hub, desk.device_code)
    junk: list[str | bytes] = [
        "",
        "x" * 5000,
        "app=<script>alert(1)</script>",
        "app=0.1.0; catalog=<b>2026.9</b>",
        "app=%1b%5b2J%1b%5b31m",  # a terminal's escape sequence, percent-encoded
        "app=0.1.0; calendar=2027:%E2%80%AE1-7202",  # a right-to-left override
        "app=0.1.0; catalog=%ff%fe",
        "app=0.1.0; catalog=2026.%",
        "app=0.1.0; app=0.2.0",
        "app=0.1.0; calendar=1999:1999-1",
        "app=0.1.0; calendar=2026:1,2026:2",
        "app=0.1.0; calendar=" + ",".join(f"{2000 + i}:1" for i in range(40)),
        "app=0.1.0; catalog-source=evil; catalog=2026.1",
        "catalog=2026.9",
        "app=" + "9" * 101,
        "app",
        ";;;;",
        "app=0.1.0;" * 20,
        "app=0.1.0; calendar=abcd:1",
        "app=é".encode("latin-1"),
        "app=版本".encode(),
        b"app=0.1.0\xff",
    ]
    for value in junk:
        assert _say(desk, value) == 200, value
    assert _say(desk, GOOD.replace("2026.1", "2026.3"), (HEADER, GOOD)) == 200  # given twice: ignored
    assert hub.http.get("/api/v1/health").status_code == 200  # the hub is well
    assert _row(hub, desk.device_code) == kept  # nothing of the junk was stored, the last good report stays
    listed, _err = _listed(hub, capsys)
    assert listed[desk.device_code]["holds"]["catalog"] == "2026.1"
    # a key a later desk may send is skipped, the rest is kept
    assert _say(desk, "app=0.2.0; printer=HP; catalog=2026.2; catalog-source=hub") == 200
    listed, _err = _listed(hub, capsys)
    assert (listed[desk.device_code]["holds"]["app"], listed[desk.device_code]["behind"]) == ("0.2.0", [])


def test_an_unchanged_report_is_not_written_again_at_each_round(hub: Hub) -> None:
    desk = hub.device(SITE_A)
    assert _say(desk, GOOD) == 404
    first = _row(hub, desk.device_code)
    for _ in range(3):
        assert _say(desk, GOOD) == 404
    assert _row(hub, desk.device_code) == first  # the same report, within ten minutes: no write
    assert _say(desk, GOOD.replace("0.1.0", "0.2.0")) == 404
    changed = _row(hub, desk.device_code)
    assert changed.app_version == "0.2.0" and changed.changed_at > first.changed_at


def test_december_warns_of_desks_lacking_next_years_calendar(
    hub: Hub, capsys: pytest.CaptureFixture[str], today: list[date]
) -> None:
    has, lacks, silent, quiet = hub.device(SITE_A), hub.device(SITE_A), hub.device(SITE_A), hub.device(SITE_A)
    assert _say(has, "app=0.1.0; calendar=2026:2026-1,2027:2027-1") == 404
    assert _say(lacks, "app=0.1.0; calendar=2026:2026-1") == 404
    assert _say(silent, "app=0.1.0; calendar=2026:2026-1,2027:2027-1") == 404
    hub.admin.revoke(silent.device_code)  # out of use: never warned of

    _listed_, err = _listed(hub, capsys)
    assert err == ""  # November: nothing to say
    today[0] = date(2026, 12, 7)
    _listed_, err = _listed(hub, capsys)
    assert f"尚未发布 2027 年的节假日安排，1 台电脑没有该年的节假日安排（{lacks.device_code}）" in err
    assert err.count("county-hub: ") == 1  # the one that never reported is not said to lack it: unknown

    hub.admin.publish("calendar", calendar_2027())
    listed, err = _listed(hub, capsys)
    assert f"已发布 2027 年的节假日安排（2027-1），1 台电脑尚未取得：{lacks.device_code}；1 台电脑未报告" in err
    assert err.count("county-hub: ") == 1 and quiet.device_code in err
    assert has.device_code not in err and silent.device_code not in err
    assert json.loads(json.dumps(list(listed)))  # stdout is still the JSON list
    # with --table too, and the warning stays on stderr
    capsys.readouterr()
    assert hub_cli(["device", "list", "--table", "--db", hub.db_url]) == 0
    out = capsys.readouterr()
    assert "已发布 2027 年" in out.err and "已发布" not in out.out

    assert _say(lacks, "app=0.1.0; calendar=2026:2026-1,2027:2027-1") == 404
    _listed_, err = _listed(hub, capsys)
    assert "尚未取得" not in err and quiet.device_code in err
    assert _say(quiet, "app=0.1.0; calendar=2026:2026-1,2027:2027-1") == 404
    _listed_, err = _listed(hub, capsys)
    assert err == ""
    # January: this year's calendar is what a desk must have
    today[0] = date(2027, 1, 4)
    assert _say(lacks, "app=0.1.0; calendar=2026:2026-1") == 404
    _listed_, err = _listed(hub, capsys)
    assert f"已发布 2027 年的节假日安排（2027-1），1 台电脑尚未取得：{lacks.device_code}。" in err


def test_the_migration_goes_up_and_down(fresh_hub_db_url: str) -> None:
    engine = make_engine(fresh_hub_db_url)
    try:
        upgrade(engine)
        assert "device_holdings" in inspect(engine).get_table_names()
        with write_engine(engine).begin() as conn:
            command.downgrade(alembic_config(conn), "0007_county_item_names")
        assert "device_holdings" not in inspect(engine).get_table_names()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == (
                "0007_county_item_names"
            )
        upgrade(engine)
        assert "device_holdings" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_a_desk_holding_a_calendar_whose_version_has_punctuation_is_not_behind(
    hub: Hub, capsys: pytest.CaptureFixture[str], today: list[date]
) -> None:
    """The county publishes 2027 as ``2027-1（国办发明电〔2026〕7号）`` (a version is any text with a number): a desk
    that took it is up to date, and December's warning does not name it as lacking the year."""
    version = "2027-1（国办发明电〔2026〕7号）"
    hub.admin.publish("calendar", calendar_2027(version))
    desk = hub.device(SITE_A)
    said = encode(Holdings("0.1.0", None, None, {2026: "2026-1", 2027: version}))
    assert _say(desk, said) == 404  # no catalog published: still recorded
    today[0] = date(2026, 12, 7)
    listed, err = _listed(hub, capsys)
    assert listed[desk.device_code]["holds"]["calendar"] == {"2026": "2026-1", "2027": version}
    assert listed[desk.device_code]["behind"] == []
    assert err == ""


def test_the_same_unreadable_header_is_logged_once_not_at_every_round(
    hub: Hub, caplog: pytest.LogCaptureFixture
) -> None:
    """A desk (or anyone holding its token) sending the same junk at every request wrote a warning each time,
    as many as it cared to send: the log grows with what a device says. Said once per ten minutes, as a good
    report is written; a different one is logged again."""
    desk = hub.device(SITE_A)
    caplog.set_level(logging.WARNING, logger="county_hub.holdings")
    for _ in range(5):
        assert _say(desk, "app=<b>1</b>") == 404
    assert _say(desk, "app=0.1.0; catalog=%zz") == 404
    warned = [r for r in caplog.records if r.name == "county_hub.holdings"]
    assert len(warned) == 2 and all("<b>" not in r.getMessage() for r in warned)
    assert _say(desk, GOOD) == 404 and _row(hub, desk.device_code).app_version == "0.1.0"
