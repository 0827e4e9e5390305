"""Every desk follows the county's catalog and calendar by itself (sync/follow.py): real desk databases
with real sync engines against a real county hub on 127.0.0.1 (docs/sync-protocol.md, "Catalog and
calendar")."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from clerk_desk.domain.workdays import SHANGHAI, is_provisional
from clerk_desk.services import calendar_service, print_log
from clerk_desk.services import catalog_service as cs
from clerk_desk.services.intake_forms import Delivery, IntakeForm, ItemRef, MaterialCheck, Party
from clerk_desk.store.models import Case, CaseEvent
from clerk_desk.sync import follow
from county_hub import publications
from county_hub.db import write_engine
from tests.services.test_intake import ID, form
from tests.support.catalogs import calendar_2027
from tests.support.hub_server import HubAdmin, running_hub
from tests.sync.conftest import SITE, Desk, make_desk

NEW_ITEM = "FOLLOW-NEW-1"


def county_catalog(version: str, *, extra: str | None = None) -> dict[str, Any]:
    """The demo catalog as a county would publish it (not marked demo), under ``version``."""
    doc = json.loads(cs.demo_catalog_path().read_text(encoding="utf-8"))
    doc["demo"] = False
    doc["catalog_version"] = version
    for theme in doc.get("themes", []):
        theme["demo"] = False
    if extra:
        item = copy.deepcopy(doc["items"][0])
        item.update(code=NEW_ITEM, name=extra, local_code=False)
        doc["items"].append(item)
    return doc


def publish(admin: HubAdmin, doc: dict[str, Any], *, force: bool = False) -> dict[str, Any]:
    data = json.dumps(doc, ensure_ascii=False).encode()
    with write_engine(admin.engine).begin() as conn:
        return publications.publish(conn, "catalog", data, "test", force=force)


def version(desk: Desk) -> str | None:
    info = cs.catalog_info(desk.db)
    return info.version if info else None


def test_a_publication_reaches_two_desks_in_one_cycle_and_is_not_downloaded_again(hub, tmp_path: Path) -> None:
    url, admin = hub
    second, third = make_desk(tmp_path / "d2", url, admin), make_desk(tmp_path / "d3", url, admin)
    assert cs.catalog_info(second.db).is_demo  # the demo catalog until the county publishes one
    publish(admin, county_catalog("2027.1", extra="跟随测试新事项"))
    for desk in (second, third):
        cs.search_index(desk.db)  # the desk's catalog page has its index loaded
        desk.engine.run_once()
        info = cs.catalog_info(desk.db)
        assert (info.version, info.source, info.is_demo) == ("2027.1", "hub", False)
        # the open catalog page and intake search the new version (its index was rebuilt on the sync thread)
        assert [h.code for h in cs.search(desk.db, "跟随测试新事项")][:1] == [NEW_ITEM]
        assert desk.engine.status().follow_fault is None
    # unchanged at the hub: the next cycle asks with If-None-Match and downloads nothing
    etag = follow.state(second.db)["catalog"]["etag"]
    client = second.engine._client_factory()
    assert client is not None
    try:
        assert client.catalog(etag) == (None, etag)
        assert follow.follow_catalog(second.db, client) is None
    finally:
        client.close()


def test_a_desk_offline_through_two_publications_ends_on_the_newest(hub, tmp_path: Path) -> None:
    url, admin = hub
    desk = make_desk(tmp_path / "d", url, admin)
    publish(admin, county_catalog("2027.1"))
    desk.engine.run_once()
    assert version(desk) == "2027.1"
    publish(admin, county_catalog("2027.2"))  # the desk is offline for both
    publish(admin, county_catalog("2027.3", extra="第三版新增"))
    desk.engine.run_once()
    assert version(desk) == "2027.3"
    assert cs.get_item(desk.db, NEW_ITEM).catalog_version == "2027.3"


def test_a_newer_catalog_imported_by_hand_is_kept_and_a_rollback_is_followed(hub, tmp_path: Path) -> None:
    url, admin = hub
    by_hand, follower = make_desk(tmp_path / "hand", url, admin), make_desk(tmp_path / "f", url, admin)
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(county_catalog("2027.9"), ensure_ascii=False), encoding="utf-8")
    cs.import_file(by_hand.db, newer)
    publish(admin, county_catalog("2027.2"))
    by_hand.engine.run_once()
    follower.engine.run_once()
    assert version(by_hand) == "2027.9" and version(follower) == "2027.2"
    kept = follow.state(by_hand.db)["catalog"]
    assert kept["outcome"] == follow.KEPT_NEWER and "保留本机的版本" in kept["message"]
    # the county goes back to 2027.1: the desk that follows the hub goes back; the one ahead by hand stays
    publish(admin, county_catalog("2027.1"), force=True)
    by_hand.engine.run_once()
    follower.engine.run_once()
    assert version(by_hand) == "2027.9" and version(follower) == "2027.1"
    assert follow.state(follower.db)["catalog"]["outcome"] == follow.ROLLED_BACK


def test_a_case_keeps_the_checklist_and_days_it_was_accepted_under(hub, tmp_path: Path) -> None:
    url, admin = hub
    desk = make_desk(tmp_path / "d", url, admin)
    first = county_catalog("2027.1")
    publish(admin, first)
    desk.engine.run_once()
    code = next(i["code"] for i in first["items"] if i.get("promised_days") and i.get("materials"))
    item = cs.get_item(desk.db, code)
    ref = ItemRef(item.code, item.name, item.department_code, item.handling_kind, False, item.promised_days,
                  item.legal_days, catalog_version=item.catalog_version)
    checklist = tuple(MaterialCheck(m.name, required=m.required, provided=True, form="original", copies=1)
                      for m in item.materials)
    form = IntakeForm(items=(ref,), applicant=Party("person", "张三", ID, phone="13812345678"), checklist=checklist)
    at = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
    uid = desk.intake.accept(form, desk.clerk, delivery=Delivery("window"), now=at).cases[0].case_uuid
    with desk.db.reading() as s:
        before = s.get(Case, uid)
        assert before is not None
        due_before, details_before = before.due_at, dict(before.details)
    assert details_before["item"]["catalog_version"] == "2027.1"

    second = copy.deepcopy(first)
    changed = next(i for i in second["items"] if i["code"] == code)
    changed["materials"] = [{"name": "新增的证明材料", "required": True}, *changed["materials"][1:]]
    changed["promised_days"] = changed["promised_days"] + 5
    changed["legal_days"] = changed["promised_days"] + 10
    second["catalog_version"] = "2027.2"
    publish(admin, second)
    desk.engine.run_once()
    assert version(desk) == "2027.2"
    assert cs.get_item(desk.db, code).materials[0].name == "新增的证明材料"  # the catalog changed ...
    with desk.db.reading() as s:
        after = s.get(Case, uid)
        assert after is not None
        # ... the case did not: its checklist, days and due date are the ones it was accepted under
        assert after.details["checklist"] == details_before["checklist"]
        assert after.details["days"] == details_before["days"] == item.promised_days
        assert after.details["item"] == details_before["item"]
        assert after.due_at == due_before
        accepted = s.scalars(select(CaseEvent).where(CaseEvent.case_uuid == uid, CaseEvent.type == "accepted")).one()
        assert accepted.payload["catalog_version"] == "2027.1"
        assert [m["name"] for m in accepted.payload["checklist"]] == [m.name for m in item.materials]


def test_next_years_calendar_from_the_hub_on_a_clock_at_the_years_end(tmp_path: Path) -> None:
    """Clock at 2026-12-31: a case accepted for 5 working days is due 7 January, counted on weekends only;
    the county publishes 2027; clock at 2027-01-04: both desks (the accepting one and another that pulled
    the case) take the calendar in one cycle and count the date again (8 January), and keep it when the
    case is rebuilt from its events by a later pull."""
    dec_31 = datetime(2026, 12, 31, 2, 0, tzinfo=UTC)
    jan_4 = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)
    clock = [dec_31]
    with running_hub(tmp_path / "hub", clock_skew_s=60 * 86400) as url, HubAdmin(tmp_path / "hub") as admin:
        admin.site(SITE, "通羊镇便民服务中心")
        window = make_desk(tmp_path / "w", url, admin, clock=lambda: clock[0])
        other = make_desk(tmp_path / "o", url, admin, clock=lambda: clock[0])
        for desk in (window, other):
            assert calendar_service.missing_years(desk.db.data_dir, dec_31.astimezone(SHANGHAI).date()) == (2027,)
        five = replace(form(), items=(replace(form().items[0], promised_days=5),))
        uid = window.intake.accept(five, window.clerk, delivery=Delivery("window"), now=dec_31).cases[0].case_uuid
        window.intake.transfer(uid, window.clerk, now=dec_31 + timedelta(minutes=3))
        window.engine.run_once()
        other.engine.run_once()

        def due(desk: Desk) -> tuple[Any, str]:
            with desk.db.reading() as s:
                case = s.get(Case, uid)
                assert case is not None and case.due_at is not None
                return case.due_at.astimezone(SHANGHAI).date(), case.due_calendar_version or ""

        for desk in (window, other):
            day, version = due(desk)
            assert day.isoformat() == "2027-01-07" and is_provisional(version)

        with write_engine(admin.engine).begin() as conn:
            publications.publish(conn, "calendar", json.dumps(calendar_2027(), ensure_ascii=False).encode(), "it")
        clock[0] = jan_4
        for desk in (window, other):
            desk.engine.run_once()
            assert follow.state(desk.db)["calendar"]["outcome"] == follow.IMPORTED
            assert calendar_service.missing_years(desk.db.data_dir, jan_4.astimezone(SHANGHAI).date()) == ()
            day, version = due(desk)
            assert day.isoformat() == "2027-01-08" and not is_provisional(version)
        # a later act on the case (a reprint) rebuilds it from its events on both desks: the date stays counted
        with other.db.reading() as s:
            seen = s.get(Case, uid).version  # type: ignore[union-attr]
        print_log.record_print(window.db, uid, "receipt", actor="clerk1", paper="a4")
        window.engine.run_once()
        other.engine.run_once()
        with other.db.reading() as s:
            assert s.get(Case, uid).version == seen + 1  # type: ignore[union-attr]
        for desk in (window, other):
            day, version = due(desk)
            assert day.isoformat() == "2027-01-08" and not is_provisional(version)


def test_a_calendar_file_lost_with_the_data_folder_is_fetched_again(hub, tmp_path: Path) -> None:
    # A backup holds the database, not calendar.json: restored into a new data folder (or with the file
    # deleted), the desk still held the hub's ETag, got 304 for ever and counted next year on weekends only,
    # while the hub refuses the same bytes published again (内容相同).
    url, admin = hub
    desk = make_desk(tmp_path / "d", url, admin)
    admin.publish("calendar", calendar_2027())
    desk.engine.run_once()
    data_file = tmp_path / "d" / calendar_service.DATA_FILE
    assert calendar_service.calendar_info(tmp_path / "d").version == "2027-1" and data_file.exists()
    data_file.unlink()
    assert calendar_service.calendar_info(tmp_path / "d").source == "shipped"
    desk.engine.run_once()
    info = calendar_service.calendar_info(tmp_path / "d")
    assert (info.version, info.source) == ("2027-1", "data")
    assert 2027 in info.years
    # and once it is back, the hub is asked with the ETag again: nothing downloaded
    client = desk.engine._client_factory()
    assert client is not None
    try:
        assert follow.follow_calendar(desk.db, client, tmp_path / "d") is None
    finally:
        client.close()
