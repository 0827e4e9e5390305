"""Every desk follows the county's catalog and calendar by itself (sync/follow.py): real desk databases
with real sync engines against a real county hub on 127.0.0.1 (docs/sync-protocol.md, "Catalog and
calendar")."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from clerk_desk.services import catalog_service as cs
from clerk_desk.services.intake_forms import Delivery, IntakeForm, ItemRef, MaterialCheck, Party
from clerk_desk.store.models import Case, CaseEvent
from clerk_desk.sync import follow
from tests.services.test_intake import ID
from tests.support.hub_server import HubAdmin
from tests.sync.conftest import Desk, make_desk

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
    from county_hub import publications
    from county_hub.db import write_engine

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
