"""The items' names in the county figures, on a real hub over HTTP (SQLite and PostgreSQL): every push keeps
the name each item code's intakes gave it (the latest by occurred_at), the figures and the 督办 list send the
names of their codes, a rebuild and the upgrade to 0007 make the same names again from the log (docs/hub.md,
"County figures")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from alembic import command
from sqlalchemy import select

from clerk_desk.domain.workdays import SHANGHAI
from county_hub import county_rebuild, county_supervision
from county_hub.db import write_engine
from county_hub.migrate import alembic_config, upgrade
from county_hub.models import CountyItem
from tests.hub.hubkit import SITE_A, SITE_B, DeviceClient, Hub, new_case

COUNTY_SITE = "421224000"
LOCAL = "LOCAL-MZ-0a1b2c3d"  # an item only township A's own catalog holds
SHARED = "002014006009"


def _intake(device: DeviceClient, at: datetime, code: str, name: Any, *, kind: str = "accepted",
            dept: str = "rs") -> dict[str, Any]:  # fmt: skip
    payload = {"case_number": f"N-{device.seq + 1}", "item_code": code, "channel": "window"}
    if name is not None:
        payload["item_name"] = name
    return device.event(new_case(), 0, kind, dept, occurred_at=at.isoformat(), payload=payload)


def _kept(hub: Hub) -> dict[str, tuple[str, str]]:
    with hub.engine.connect() as conn:
        rows = conn.execute(select(CountyItem.item_code, CountyItem.item_name, CountyItem.named_at))
        return {code: (name, at) for code, name, at in rows}


def _push_names(hub: Hub) -> datetime:
    """Two townships' intakes naming their items; returns the hub's clock when they were made."""
    now = datetime.now(UTC).replace(microsecond=0)
    a, b = hub.device(SITE_A, "clerk"), hub.device(SITE_B, "clerk")
    a.push_ok([_intake(a, now - timedelta(minutes=8), LOCAL, "高龄津贴<b>（通羊）</b>", dept="mz")])
    b.push_ok([
        _intake(b, now - timedelta(minutes=8), SHARED, "城乡居民养老保险注销"),
        _intake(b, now - timedelta(minutes=7), "rs-x", 7),  # not text: no name
        _intake(b, now - timedelta(minutes=7), "rs-y", "  \t "),  # blank: no name
        _intake(b, now - timedelta(minutes=7), "rs-z", "换行\n与\x00零\x1f" + "长" * 400, kind="refused"),
    ])  # fmt: skip
    # A later intake renames it; one made earlier (a desk long offline, an older catalog) pushed afterwards
    # does not bring the older name back; a push of both orders within one batch follows the same rule.
    b.push_ok([_intake(b, now - timedelta(minutes=2), SHARED, "城乡居民基本养老保险注销登记")])
    b.push_ok([_intake(b, now - timedelta(minutes=6), SHARED, "城乡居民养老保险注销")])
    b.push_ok([
        _intake(b, now - timedelta(minutes=1), "rs-w", "新名", kind="completed_on_spot"),
        _intake(b, now - timedelta(minutes=5), "rs-w", "旧名", kind="supplement_notified"),
    ])  # fmt: skip
    return now


WANT = {
    LOCAL: "高龄津贴<b>（通羊）</b>",  # names are text: kept as they came
    SHARED: "城乡居民基本养老保险注销登记",
    "rs-z": "换行 与 零 " + "长" * (256 - len("换行 与 零 ")),
    "rs-w": "新名",
}


def test_the_figures_name_every_item_their_townships_named(hub: Hub) -> None:
    now = _push_names(hub)
    assert {code: name for code, (name, _at) in _kept(hub).items()} == WANT
    county = hub.device(COUNTY_SITE, "county")
    today = now.astimezone(SHANGHAI).date()
    day, yesterday = today.isoformat(), (today - timedelta(days=1)).isoformat()  # (a run at midnight)
    body = county.get("/county/figures", params={"from": yesterday, "to": day}).json()
    assert {r["item_code"] for r in body["by_item"]} == {*WANT, "rs-x", "rs-y"}
    assert body["item_names"] == WANT  # only the codes named; the desk falls back to its catalog for others
    one = county.get("/county/figures", params={"from": yesterday, "to": day, "site": SITE_A}).json()
    assert one["item_names"] == {LOCAL: WANT[LOCAL]}  # the names of the codes the answer holds
    before = county.get("/county/figures", params={"from": "2020-01-01", "to": "2020-01-31"}).json()
    assert before["by_item"] == [] and before["item_names"] == {}
    # The 督办 list: every accepted case is past its 15 minutes an hour on.
    with hub.engine.connect() as conn:
        listed = county_supervision.overdue(conn, now + timedelta(hours=1))
    assert {c["item_code"] for c in listed["cases"]} >= {LOCAL, SHARED}
    assert listed["item_names"] == {c: WANT[c] for c in {c["item_code"] for c in listed["cases"]} if c in WANT}
    r = county.get("/county/overdue")
    assert r.status_code == 200 and set(r.json()["item_names"]) <= set(WANT)


def test_a_rebuild_and_the_upgrade_make_the_same_names_from_the_log(hub: Hub) -> None:
    _push_names(hub)
    kept = _kept(hub)
    assert len(kept) == len(WANT)
    assert county_rebuild.rebuild(hub.engine)["items"] == len(WANT)
    assert _kept(hub) == kept
    # A hub at 0006 holding these events: the upgrade fills the names from the log, no rebuild needed.
    with write_engine(hub.engine).begin() as conn:
        command.downgrade(alembic_config(conn), "0006_county_supervision")
    upgrade(hub.engine)
    assert _kept(hub) == kept
    # And the pushes after the upgrade go on from there.
    b = hub.device(SITE_B, "clerk")
    b.push_ok([_intake(b, datetime.now(UTC), SHARED, "新的名称")])
    assert _kept(hub)[SHARED][0] == "新的名称"


def test_a_nul_in_an_intake_s_texts_is_stored_as_a_replacement_character(hub: Hub) -> None:
    """PostgreSQL refuses NUL in text: an item code, case number or channel holding one failed every push
    of that event (500), so the desk's outbox never emptied. The log keeps the payload as sent."""
    a = hub.device(SITE_A, "clerk")
    at = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    event = a.event(new_case(), 0, "accepted", occurred_at=at,
                    payload={"case_number": "N\x001", "item_code": "rs\x00-1", "item_name": "名\x00称", "channel": "w\x00"})  # fmt: skip
    assert a.push_ok([event])[0]["status"] == "stored"
    assert a.pull()["events"][0]["payload"]["item_code"] == "rs\x00-1"
    assert _kept(hub)["rs\ufffd-1"][0] == "名 称"
    kept = _kept(hub)
    county_rebuild.rebuild(hub.engine)
    assert _kept(hub) == kept
    with write_engine(hub.engine).begin() as conn:
        command.downgrade(alembic_config(conn), "0006_county_supervision")
    upgrade(hub.engine)
    assert _kept(hub) == kept
