"""The hub refuses an intake outcome for an item its window does not take (county_hub.admission.refuse_route),
over HTTP, on SQLite and PostgreSQL: a forged accept of a police item from a 综合窗口 device first."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from clerk_desk.domain.org import WindowKind
from clerk_desk.domain.routing import WindowRoute, facts_of
from county_hub.admission import refuse_route
from county_hub.schemas import WireEvent
from tests.hub.hubkit import Hub, new_case

COMPREHENSIVE = WindowRoute("综合窗口（一）", WindowKind.COMPREHENSIVE)
POLICE = WindowRoute("公安窗口", WindowKind.POLICE, "ga")
FOREST = WindowRoute("林业专窗", WindowKind.DEPARTMENT, "ly")
TIDAL = WindowRoute("潮汐窗口", WindowKind.TIDAL, None, ("YB-1",), date(2026, 11, 1), date(2026, 12, 31))
CONSULTATION = WindowRoute("咨询服务窗口", WindowKind.CONSULTATION)
SITE = [COMPREHENSIVE, POLICE, FOREST, TIDAL, CONSULTATION]


def intake(window: WindowRoute | None, item: str, name: str, **more: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {"item_code": item, "item_name": name, **more}
    if window is not None:
        payload["window"] = facts_of(window, SITE)
    return payload


def at(day: date, hour: int, minute: int) -> str:
    """``hour:minute`` in the hall (UTC+8) on ``day``, as the wire's UTC timestamp."""
    moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC).timestamp() - 8 * 3600
    return datetime.fromtimestamp(moment, UTC).isoformat().replace("+00:00", "Z")


@pytest.mark.parametrize(
    ("window", "dept", "item", "event_type", "code"),
    [
        (COMPREHENSIVE, "ga", "GA-1", "accepted", "window_cannot_take"),  # the forged police accept
        (None, "ga", "GA-1", "accepted", "window_cannot_take"),  # no facts: judged as a 综合窗口
        (COMPREHENSIVE, "ga", "GA-1", "completed_on_spot", "window_cannot_take"),
        (COMPREHENSIVE, "ly", "LY-1", "accepted", "window_cannot_take"),  # kept by the 林业专窗
        (COMPREHENSIVE, "rs", "RS-1", "accepted", None),
        (None, "rs", "RS-1", "accepted", None),  # a desk before routing: a 综合窗口's accept
        (POLICE, "ga", "GA-1", "accepted", None),
        (POLICE, "rs", "RS-1", "refused", "window_cannot_take"),
        (FOREST, "ly", "LY-1", "accepted", None),
        (FOREST, "rs", "RS-1", "accepted", "window_cannot_take"),
        (CONSULTATION, "rs", "RS-1", "accepted", "window_cannot_take"),
        (TIDAL, "rs", "RS-1", "accepted", "window_cannot_take"),  # not named for it
    ],
)
def test_window_kinds_at_the_hub(hub: Hub, window, dept, item, event_type, code) -> None:
    dev = hub.device()
    ev = dev.event(new_case(), 0, event_type, dept, payload=intake(window, item, "某事项"))
    (result,) = dev.push_ok([ev])
    if code is None:
        assert result["status"] == "stored"
    else:
        assert (result["status"], result["code"]) == ("rejected", code)
        assert "不能在" in result["reason"] and "受理" in result["reason"]
        assert hub.counts()["events"] == 0


def test_the_forged_police_accept_names_the_police_window(hub: Hub) -> None:
    dev = hub.device()
    ev = dev.event(
        new_case(), 0, "accepted", "ga", payload=intake(COMPREHENSIVE, "GA-1", "临时居民身份证申领")
    )
    (result,) = dev.push_ok([ev])
    assert result["reason"] == (
        "“临时居民身份证申领”不能在综合窗口（一）受理：公安事项由公安窗口受理，综合窗口不能受理，不予接收"
    )
    # later events of that case find no case; a later event that is not an intake is not judged by routing
    assert dev.push_ok([dev.event(ev["case_uuid"], 1, "transferred", "ga")])[0]["status"] == "rejected"


@pytest.mark.parametrize(
    ("moment", "taken"),
    [
        (at(date(2026, 10, 31), 23, 59), False),
        (at(date(2026, 11, 1), 0, 0), True),
        (at(date(2026, 12, 31), 23, 59), True),
        (at(date(2027, 1, 1), 0, 0), False),
    ],
)
def test_tidal_dates_at_the_edges_in_hall_time(moment: str, taken: bool) -> None:
    """The rule the push applies, on the wire event itself: the hub's clock and the enrolment bound would
    refuse these dates first over HTTP, for reasons of their own."""
    wire = WireEvent.model_validate(
        {
            "uuid": new_case(),
            "case_uuid": new_case(),
            "case_version": 0,
            "type": "accepted",
            "side": "window",
            "site_code": "421224100",
            "department_code": "yb",
            "payload": intake(TIDAL, "YB-1", "医保参保"),
            "actor": "clerk1",
            "device_code": "01",
            "occurred_at": moment,
            "device_seq": 1,
        }
    )
    refusal = refuse_route(wire)
    assert (refusal is None) is taken
    if refusal is not None:
        assert "开放日期为 2026-11-01 至 2026-12-31" in refusal.reason


def test_window_facts_that_are_not_facts_are_refused(hub: Hub) -> None:
    dev = hub.device()
    bad = dev.event(
        new_case(), 0, "accepted", "rs", payload={"item_code": "RS-1", "window": {"kind": "bank"}}
    )
    worse = dev.event(new_case(), 0, "accepted", "rs", payload={"item_code": "RS-1", "window": "综合窗口"})
    assert [r["code"] for r in dev.push_ok([bad, worse])] == ["bad_window_facts", "bad_window_facts"]


def test_the_hall_operation_events_are_taken_in_their_place(hub: Hub) -> None:
    """applicant_notified (the window's call about a result) and materials_verified (当面核实 at 签收) are
    annotations the hub stores where the lifecycle allows them, and refuses elsewhere."""
    from tests.hub.hubkit import SITE_A

    window = hub.device()
    office = hub.device(kind="approver", serves=((SITE_A, "rs"),))
    case = new_case()
    verified = {"materials": [{"name": "居民身份证", "verified": True, "note": ""}]}
    assert [r["status"] for r in window.push_ok([
        window.event(case, 0, "accepted", payload=intake(COMPREHENSIVE, "RS-1", "某事项")),
        window.event(case, 1, "transferred"),
    ])] == ["stored", "stored"]
    too_early = window.event(case, 2, "applicant_notified", payload={"outcome": "reached"})
    assert window.push_ok([too_early])[0]["code"] == "illegal_transition"
    results = office.push_ok([
        office.event(case, 2, "received"),
        office.event(case, 3, "materials_verified", payload=verified),
        office.event(case, 4, "decided", payload={"decision": "approved"}),
        office.event(case, 5, "result_returned"),
    ])
    assert [r["status"] for r in results] == ["stored"] * 4
    calls = window.push_ok([
        window.event(case, 6, "applicant_notified", payload={"outcome": "no_answer"}),
        window.event(case, 7, "applicant_notified", payload={"outcome": "reached"}),
    ])
    assert [r["status"] for r in calls] == ["stored", "stored"]
