"""The county figures over a generated month on a real hub (SQLite and PostgreSQL): every figure equals a
count straight over the log, the 督办 list equals a replay of the log at several clock times, a rebuild
equals what the pushes kept, and only county supervisor devices may read them (docs/hub.md)."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from clerk_desk.domain.calendar_file import parse_calendar
from clerk_desk.domain.supervision import Rules
from clerk_desk.domain.workdays import SHANGHAI, WorkCalendar
from county_hub import county_rebuild, county_supervision
from county_hub.cli import main
from county_hub.county_projection import GROWTH, bucket_edge, duration_bucket
from county_hub.devices import AdminError
from county_hub.models import (
    CountyCase,
    CountyDaily,
    CountyDuration,
    CountyDurationMonthly,
    CountyItem,
    CountyMonthly,
)
from tests.hub import county_month as m
from tests.hub.hubkit import Hub, new_case

API = "/county"


@pytest.fixture
def month(hub: Hub) -> tuple[Hub, m.Month]:
    now = datetime.now(UTC).replace(microsecond=0)
    return hub, m.push_month(hub, now)


def _county(hub: Hub) -> Any:
    return hub.device(m.COUNTY_SITE, "county")


def _projection(hub: Hub) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
    with hub.engine.connect() as conn:
        cases = conn.execute(select(CountyCase.__table__).order_by(CountyCase.case_uuid)).all()
        days = conn.execute(
            select(CountyDaily.__table__).order_by(
                CountyDaily.site_code, CountyDaily.department_code, CountyDaily.day, CountyDaily.item_code,
                CountyDaily.channel,
            )
        ).all()  # fmt: skip
        spans = conn.execute(select(CountyDuration.__table__)).all()
        months = [sorted(tuple(r) for r in conn.execute(select(t.__table__)))
                  for t in (CountyMonthly, CountyDurationMonthly, CountyItem)]  # fmt: skip
    return [tuple(r) for r in cases], [tuple(r) for r in days], sorted(tuple(r) for r in spans), months


def test_every_figure_equals_a_count_over_the_log(month: tuple[Hub, m.Month]) -> None:
    hub, mo = month
    county = _county(hub)
    rows = m.log(hub)
    for first, last in (
        (mo.start.date(), mo.end.date()),  # the whole month
        (mo.start.date().replace(day=1), mo.end.date()),  # a whole calendar month and some days (both tables)
        (mo.start.date() + timedelta(days=7), mo.start.date() + timedelta(days=13)),  # one week
        (mo.end.date(), mo.end.date()),  # today
    ):
        r = county.get(f"{API}/figures", params={"from": first.isoformat(), "to": last.isoformat()})
        assert r.status_code == 200, r.text
        body = r.json()
        expected = m.brute_figures(rows, first, last)
        intakes = m.sql_intakes(hub, first, last)
        got = {(t["site_code"], t["department_code"]): t for t in body["by_township"]}
        assert body["township_names"] == {site: f"site {site}" for site, _ in got}  # the sites table's names
        assert {k for k, v in got.items() if v["intakes"] or v["transfers"] or v["decisions"]} == set(
            expected
        )
        for key, want in expected.items():
            row = got[key]
            for name in ("intakes", "accepted", "on_spot", "notified", "refused", "transfers",
                         "transfers_on_time", "decisions", "decided_in_time"):  # fmt: skip
                assert row[name] == want.get(name, 0), (key, name)
            for name, event_type in (("accepted", "accepted"), ("on_spot", "completed_on_spot"),
                                     ("notified", "supplement_notified"), ("refused", "refused")):  # fmt: skip
                assert row[name] == intakes.get((*key, event_type), 0), (key, name)
            decided = want.get("decisions", 0)
            if decided:
                assert row["avg_decision_seconds"] == round(want["decision_seconds"] / decided, 1)
                # From the per-day histogram: never below the exact p90, at most 1 % and a second above.
                assert want["p90"] <= row["p90_decision_seconds"] <= want["p90"] * GROWTH + 1, (
                    key,
                    want["p90"],
                )
                assert row["decided_in_time_rate"] == round(want["decided_in_time"] / decided, 4)
            else:
                assert row["p90_decision_seconds"] is None and row["avg_decision_seconds"] is None
            if want.get("intakes"):
                assert row["refused_rate"] == round(want.get("refused", 0) / want["intakes"], 4)
                assert row["notified_rate"] == round(want.get("notified", 0) / want["intakes"], 4)
        if (first, last) == (mo.start.date(), mo.end.date()):  # the month has each outcome both ways
            total = {
                n: sum(v.get(n, 0) for v in expected.values())
                for n in (
                    "transfers",
                    "transfers_on_time",
                    "decisions",
                    "decided_in_time",
                    "notified",
                    "refused",
                )
            }
            assert 0 < total["transfers_on_time"] < total["transfers"], total
            assert 0 < total["decided_in_time"] < total["decisions"], total
            assert total["notified"] and total["refused"], total
        # Results waiting: the hub's own case states (a projection kept apart from the figures).
        for key, row in got.items():
            assert row["results_waiting"] == m.sql_count(
                hub,
                "SELECT COUNT(*) FROM cases WHERE status = 'result_at_window' AND site_code = :s "
                "AND department_code = :d",
                s=key[0],
                d=key[1],
            )
        # Volumes by day, item and channel: each a count of the intake events.
        assert sum(v["intakes"] for v in body["by_day"]) == sum(intakes.values())
        by_day: dict[tuple[str, str], int] = {}
        by_item: dict[tuple[str, str, str], int] = {}
        by_channel: dict[tuple[str, str], int] = {}
        for _uuid, kind, site, dept, _actor, occurred, payload in rows:
            if kind in ("accepted", "completed_on_spot", "supplement_notified", "refused"):
                day = m.day_of(occurred)
                if first.isoformat() <= day <= last.isoformat():
                    by_day[(site, day)] = by_day.get((site, day), 0) + 1
                    item = (site, dept, payload["item_code"])
                    by_item[item] = by_item.get(item, 0) + 1
                    channel = (site, payload["channel"])
                    by_channel[channel] = by_channel.get(channel, 0) + 1
        assert {(v["site_code"], v["day"]): v["intakes"] for v in body["by_day"]} == by_day
        assert {
            (v["site_code"], v["department_code"], v["item_code"]): v["intakes"] for v in body["by_item"]
        } == by_item
        assert {(v["site_code"], v["channel"]): v["intakes"] for v in body["by_channel"]} == by_channel
    # One township only.
    site = m.SITES[1]
    r = county.get(f"{API}/figures", params={"from": mo.start.date().isoformat(), "to": mo.end.date().isoformat(),
                                             "site": site})  # fmt: skip
    assert r.status_code == 200 and {t["site_code"] for t in r.json()["by_township"]} == {site}


def _listed(got: dict[str, Any]) -> list[tuple[str, str, str, str, str, str, bool]]:
    return [(c["site_code"], c["case_number"], c["stage"], c["level"], c["holder"], c["deadline"], c["late"])
            for c in got["cases"]]  # fmt: skip


def _times(now: datetime) -> tuple[datetime, ...]:
    return (now, now + timedelta(minutes=7), now + timedelta(hours=3), now + timedelta(days=1, hours=5),
            now + timedelta(days=4), now - timedelta(hours=2))  # fmt: skip


def _calendar_with_days_off(year: int, days_off: list[date]) -> bytes:
    """The year as the chinesecalendar library has it, and ``days_off`` as holidays besides (a county may
    publish its own arrangement); the format of docs/calendar-format.md."""
    import chinese_calendar

    holidays, makeup = [], []
    day = date(year, 1, 1)
    while day.year == year:
        works = chinese_calendar.is_workday(day) and day not in days_off
        if not works and (day.weekday() < 5 or day in days_off):
            holidays.append(
                {"date": day.isoformat(), "name": "县定休息日" if day in days_off else "法定节假日"}
            )
        elif works and day.weekday() >= 5:
            makeup.append({"date": day.isoformat(), "for": "法定节假日"})
        day += timedelta(days=1)
    body = {"format": "clerk-desk-calendar", "format_version": 1, "version": f"{year}-9",
            "years": {str(year): {"holidays": holidays, "makeup_workdays": makeup}}}  # fmt: skip
    return json.dumps(body, ensure_ascii=False).encode()


def test_the_overdue_list_equals_the_site_rules_at_several_clock_times(
    month: tuple[Hub, m.Month], tmp_path: Path
) -> None:
    """Every stage of the site page (transfer, 签收, decision, result, 容缺 pledge, archive), pauses honoured,
    amber one working day ahead on the county's calendar, the county's values: as the rules judge the
    replayed cases, at six clock times, before and after the county publishes other values and days off."""
    hub, mo = month
    rows = m.log(hub)
    library = WorkCalendar()
    seen: dict[tuple[str, str], int] = {}
    for at in _times(mo.end):
        with hub.engine.connect() as conn:
            got = county_supervision.overdue(conn, at)
        want = m.brute_overdue(rows, at, library)
        assert _listed(got) == want, at
        assert got["total"] == len(got["cases"]) and (got["sign_minutes"], got["result_days"]) == (30, 5)
        stages: dict[str, dict[str, int]] = {}
        for _site, _number, stage, level, *_ in want:
            stages.setdefault(stage, {"red": 0, "amber": 0})[level] += 1
        assert got["by_stage"] == stages
        for limit in (7, len(want) - 3):  # the first few only (late paper counted, not all read)
            with hub.engine.connect() as conn:
                first = county_supervision.overdue(conn, at, limit=limit)
            assert _listed(first) == want[:limit] and (first["total"], first["by_stage"]) == (len(want), stages)
        for c in got["cases"]:
            seen[(c["stage"], c["level"])] = seen.get((c["stage"], c["level"]), 0) + 1
    # The month has every stage late, and amber at the stages that have it.
    stages = {"transfer", "sign", "decision", "result", "pledge", "archive"}
    assert {stage for stage, level in seen if level == "red"} == stages, seen
    # (amber paper needs window paper closed on the last working day: there or not, by the hour of the run)
    assert {stage for stage, level in seen if level == "amber"} >= {"decision", "pledge"}, seen
    assert any(w.paused_since is not None for w in m.brute_watched(rows))  # paused cases are judged too

    # The county sets other values and gives the next two working days off: the list follows at once.
    today = mo.end.astimezone(SHANGHAI).date()
    days_off = [today + timedelta(days=i) for i in range(1, 8) if (today + timedelta(days=i)).weekday() < 5][
        :2
    ]
    cal_path = tmp_path / "calendar.json"
    cal_path.write_bytes(_calendar_with_days_off(today.year, days_off))
    assert main(["calendar", "publish", str(cal_path), "--db", hub.db_url]) == 0
    assert main(["supervision", "set", "--sign-minutes", "60", "--result-days", "2", "--db", hub.db_url]) == 0
    county_cal = WorkCalendar(parse_calendar(json.loads(cal_path.read_bytes())))
    rules = Rules(sign_minutes=60, result_days=2)
    changed = 0
    for at in _times(mo.end):
        with hub.engine.connect() as conn:
            got = county_supervision.overdue(conn, at)
        assert _listed(got) == m.brute_overdue(rows, at, county_cal, rules), at
        assert (got["sign_minutes"], got["result_days"]) == (60, 2)
        changed += _listed(got) != m.brute_overdue(rows, at, library)
    assert changed  # the values and the calendar made a difference
    with hub.engine.connect() as conn:  # the calendar alone changes the decision stage's amber
        amber = {a.case_uuid for a in county_supervision.alerts(conn, mo.end, given=rules)
                 if a.stage.value == "decision" and a.level.value == "amber"}  # fmt: skip
        before = {a.case_uuid for a in county_supervision.alerts(conn, mo.end, given=rules, cal=library)
                  if a.stage.value == "decision" and a.level.value == "amber"}  # fmt: skip
    assert amber != before

    county = _county(hub)
    r = county.get(f"{API}/overdue")
    assert r.status_code == 200, r.text
    body = r.json()
    at = datetime.fromisoformat(body["at"].replace("Z", "+00:00"))
    with hub.engine.connect() as conn:
        assert body == county_supervision.overdue(conn, at, limit=500)
    assert all("id_number" not in c and "applicant" not in str(c) for c in body["cases"])
    assert set(body["cases"][0]) == {"site_code", "department_code", "case_number", "item_code", "stage", "level",
                                     "holder", "deadline", "late", "late_seconds", "over_days"}  # fmt: skip


def test_the_decision_histogram_counts_every_decision(month: tuple[Hub, m.Month]) -> None:
    hub, mo = month
    with hub.engine.connect() as conn:
        kept = {(r.day, r.site_code, r.department_code, r.bucket): r.n
                for r in conn.execute(select(CountyDuration.__table__))}  # fmt: skip
    want: dict[tuple[str, str, str, int], int] = {}
    accepted: dict[str, datetime] = {}
    for case_uuid, kind, site, dept, _actor, occurred, _payload in m.log(hub):
        if kind == "accepted":
            accepted[case_uuid] = m.moment(occurred)
        elif kind == "decided":
            took = int((m.moment(occurred) - accepted[case_uuid]).total_seconds())
            key = (m.day_of(occurred), site, dept, duration_bucket(took))
            want[key] = want.get(key, 0) + 1
    with hub.engine.connect() as conn:  # the months hold the days' sums
        months = {(r.month, r.site_code, r.department_code, r.bucket): r.n
                  for r in conn.execute(select(CountyDurationMonthly.__table__))}  # fmt: skip
    by_month: dict[tuple[str, str, str, int], int] = {}
    for (day, site, dept, bucket), n in want.items():
        by_month[(day[:7], site, dept, bucket)] = by_month.get((day[:7], site, dept, bucket), 0) + n
    assert months == by_month
    assert kept == want and sum(kept.values()) == m.sql_count(
        hub, "SELECT COUNT(*) FROM events WHERE type = 'decided'"
    )
    for took in (*range(0, 400), *(int(1.37**k) for k in range(20, 60))):  # the stated resolution
        edge = bucket_edge(duration_bucket(took))
        assert took <= edge <= took * GROWTH + 1 and duration_bucket(edge) == duration_bucket(took), took


def test_a_rebuild_equals_what_the_pushes_kept(month: tuple[Hub, m.Month]) -> None:
    hub, _mo = month
    kept = _projection(hub)
    assert kept[0] and kept[1] and kept[2] and kept[3][0] and kept[3][1] and len(kept[3][2]) == 6  # six items named
    counts = county_rebuild.rebuild(hub.engine)
    assert (
        counts["cases"] == len(kept[0])
        and counts["days"] == len(kept[1])
        and counts["durations"] == len(kept[2])
    )
    assert _projection(hub) == kept


def test_a_county_device_reads_figures_only(hub: Hub) -> None:
    clerk = hub.device(m.SITES[0], "clerk")
    case = new_case()
    clerk.push_ok([clerk.event(case, 0, "accepted", payload={"case_number": "100-1", "item_code": "rs-001"})])
    county = _county(hub)
    # No case reaches it: nothing to pull, no snapshot, no case's history.
    assert county.pull()["events"] == []
    assert county.get(f"/cases/{case}/events").status_code == 404
    snapshot = county.get("/snapshot").json()
    assert snapshot.get("cases", []) == []
    # It pushes nothing, for any township (its own site's window side included).
    for site in (m.SITES[0], m.COUNTY_SITE):
        event = county.event(new_case(), 0, "accepted", site_code=site, side="window", actor="clerk1")
        r = county.push([event])
        assert r.status_code == 403 and r.json()["detail"]["code"] == "county_device_read_only", r.text
    assert hub.counts()["events"] == 1
    # It can be given no township to serve.
    with pytest.raises(AdminError, match="不服务任何服务中心"):
        hub.admin.device(m.COUNTY_SITE, "county", [(m.SITES[0], "*")])


def test_only_county_devices_read_the_figures(hub: Hub) -> None:
    clerk = hub.device(m.SITES[0], "clerk")
    approver = hub.device(m.SITES[0], "approver", ((m.SITES[0], "rs"),))
    period = {"from": "2026-11-01", "to": "2026-11-30"}
    for device in (clerk, approver):
        for path, params in ((f"{API}/figures", period), (f"{API}/overdue", {})):
            r = device.get(path, params=params)
            assert r.status_code == 403 and r.json()["detail"]["code"] == "county_device_required", r.text
    assert hub.http.get(f"/api/v1{API}/overdue").status_code == 401
    county = _county(hub)
    for bad in ({"from": "2026-11-30", "to": "2026-11-01"}, {"from": "2025-01-01", "to": "2026-11-30"},
                {"from": "2026-13-01", "to": "2026-11-30"}, {"from": "2026-11-01"}):  # fmt: skip
        assert county.get(f"{API}/figures", params=bad).status_code == 422, bad
    assert county.get(f"{API}/figures", params={**period, "site": "x' OR 1=1"}).status_code == 422
    empty = county.get(f"{API}/figures", params=period).json()
    assert empty["by_township"] == [] and empty["by_day"] == []
    nothing = county.get(f"{API}/overdue").json()
    assert (nothing["total"], nothing["cases"]) == (0, [])


def test_county_it_reads_and_rebuilds_the_figures_with_the_cli(
    month: tuple[Hub, m.Month], capsys: pytest.CaptureFixture[str]
) -> None:
    hub, mo = month
    kept = _projection(hub)
    first, last = mo.start.date().isoformat(), mo.end.date().isoformat()
    assert main(["county", "rebuild", "--db", hub.db_url]) == 0
    assert re.search(r"已根据 \d+ 条事件重建全县统计：\d+ 件业务", capsys.readouterr().out)
    assert _projection(hub) == kept
    assert main(["county", "figures", "--from", first, "--to", last, "--db", hub.db_url]) == 0
    printed = json.loads(capsys.readouterr().out)
    answer = _county(hub).get(f"{API}/figures", params={"from": first, "to": last}).json()
    assert printed == answer
    assert main(["county", "overdue", "--db", hub.db_url]) == 0
    assert json.loads(capsys.readouterr().out)["total"] > 0
    assert main(["device", "add", "--site", m.SITES[0], "--kind", "county", "--db", hub.db_url]) == 0
    assert "（县级督办电脑，county），服务中心" in capsys.readouterr().out
