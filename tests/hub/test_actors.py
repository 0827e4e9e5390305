"""The hub checks who acted (issue #10, item 3), over HTTP on SQLite and PostgreSQL: each pushed event against
the role its actor held at ``occurred_at``, refused per event with a stable code and a Chinese reason,
before anything is written (on PostgreSQL before ``hub_append`` is called)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from county_hub import directory
from county_hub.db import write_engine
from county_hub.models import AuditEntry, Device, RoleGrant
from county_hub.schemas import iso_utc
from tests.hub.hubkit import APPROVER, SITE_A, SITE_B, DeviceClient, Hub, new_case


def _answers(desk: DeviceClient, events: list[dict]) -> list[tuple[str, str | None]]:  # type: ignore[type-arg]
    return [(a["status"], a.get("code")) for a in desk.push_ok(events)]


def _transferred_case(hub: Hub, desk: DeviceClient) -> str:
    case = new_case()
    assert _answers(desk, [desk.event(case, 0, "accepted"), desk.event(case, 1, "transferred")]) == [
        ("stored", None), ("stored", None)
    ]  # fmt: skip
    return case


def _enrolled_days_ago(hub: Hub, desk: DeviceClient, days: int) -> None:
    """As if the device had been enrolled ``days`` ago (events may not be dated before its enrolment)."""
    with hub.engine.begin() as conn:
        conn.execute(
            update(Device)
            .where(Device.code == desk.device_code)
            .values(enrolled_at=datetime.now(UTC) - timedelta(days=days))
        )


def test_a_window_device_cannot_store_an_approvers_transfer(hub: Hub) -> None:
    desk = hub.device(SITE_A)
    hub.device(SITE_A, kind="approver", serves=((SITE_A, "rs"),), os_account="ap")  # approver1 serves A:rs
    case = new_case()
    desk.push_ok([desk.event(case, 0, "accepted")])
    before = hub.counts()
    answers = desk.push_ok([desk.event(case, 1, "transferred", actor=APPROVER)])
    assert [(a["status"], a["code"]) for a in answers] == [("rejected", "actor_not_authorized")]
    assert "approver1" in answers[0]["reason"] and "窗口人员" in answers[0]["reason"]
    after = hub.counts()
    assert after["events"] == before["events"] and after["rejected_events"] == before["rejected_events"] + 1


def test_an_approver_device_cannot_sign_as_a_clerk_of_another_site(hub: Hub) -> None:
    window = hub.device(SITE_A)
    approver = hub.device(SITE_A, kind="approver", serves=((SITE_A, "rs"),), os_account="ap")
    hub.device(SITE_B)  # site B exists, its clerk1 is a clerk there
    hub.admin.user("zhaoli", "Window-2026b", ["clerk"], site=SITE_B)
    case = _transferred_case(hub, window)
    refused = approver.push_ok([approver.event(case, 2, "received", actor="zhaoli")])
    assert [(a["status"], a["code"]) for a in refused] == [("rejected", "actor_not_authorized")]
    # The same event by the approver who serves A's 人社 is taken.
    assert _answers(approver, [approver.event(case, 2, "received")]) == [("stored", None)]


def test_a_decision_by_nonexistent_user_is_refused(hub: Hub) -> None:
    window = hub.device(SITE_A)
    approver = hub.device(SITE_A, kind="approver", serves=((SITE_A, "rs"),), os_account="ap")
    case = _transferred_case(hub, window)
    assert _answers(approver, [approver.event(case, 2, "received")]) == [("stored", None)]
    forged = approver.event(case, 3, "decided", actor="nonexistent-user", payload={"outcome": "approved"})
    answers = approver.push_ok([forged])
    assert [(a["status"], a["code"]) for a in answers] == [("rejected", "unknown_actor")]
    assert "nonexistent-user" in answers[0]["reason"]
    # Sent again: the same answer (a rejection is remembered), and the case did not move.
    assert approver.push_ok([forged]) == answers
    history = approver.get(f"/cases/{case}/events").json()["events"]
    assert [e["type"] for e in history] == ["accepted", "transferred", "received"]
    with hub.engine.connect() as conn:
        rejected = conn.execute(
            select(AuditEntry.detail).where(AuditEntry.action == "event_rejected")
        ).scalars()
        assert [d["code"] for d in rejected] == ["unknown_actor"]  # recorded once, answered twice


def test_offline_work_stays_valid_after_the_role_ends(hub: Hub) -> None:
    desk = hub.device(SITE_A, actors=False)
    _enrolled_days_ago(hub, desk, 10)
    started = datetime.now(UTC) - timedelta(days=9)
    hub.admin.user("wangfang", "Window-2026a", ["clerk"], site=SITE_A, valid_from=started)
    hub.admin.revoke_role("wangfang", "clerk", at=datetime.now(UTC) - timedelta(days=2))
    made_while_clerk, made_after = new_case(), new_case()
    answers = desk.push_ok([
        desk.event(made_while_clerk, 0, "accepted", actor="wangfang", occurred_at=iso_utc(started + timedelta(days=3))),
        desk.event(made_after, 0, "accepted", actor="wangfang", occurred_at=iso_utc(datetime.now(UTC) - timedelta(days=1))),
        desk.event(new_case(), 0, "accepted", actor="wangfang", occurred_at=iso_utc(started - timedelta(hours=1))),
    ])  # fmt: skip
    assert [(a["status"], a.get("code")) for a in answers] == [
        ("stored", None), ("rejected", "actor_not_authorized"), ("rejected", "actor_not_authorized")
    ]  # fmt: skip
    # Granted again later: from then on she acts again, the gap stays closed.
    hub.admin.grant("wangfang", "clerk", SITE_A)
    assert _answers(desk, [desk.event(new_case(), 0, "accepted", actor="wangfang")]) == [("stored", None)]
    periods = {(g["valid_from"] is not None, g["valid_to"] is not None) for g in _grants(desk, "wangfang")}
    assert periods == {(True, True), (True, False)}


def _grants(desk: DeviceClient, username: str) -> list[dict]:  # type: ignore[type-arg]
    users = {u["username"]: u for u in desk.get("/users").json()["users"]}
    return list(users[username]["grants"])


def test_a_disabled_user_acts_no_more_and_is_back_when_enabled(hub: Hub) -> None:
    desk = hub.device(SITE_A, actors=False)
    _enrolled_days_ago(hub, desk, 1)
    hub.admin.user(
        "lisi", "Window-2026c", ["clerk"], site=SITE_A, valid_from=datetime.now(UTC) - timedelta(hours=2)
    )
    with write_engine(hub.engine).begin() as conn:
        directory.set_active(conn, "lisi", False, "test")
        # as if she had been disabled an hour ago (an end now would still cover the skew allowance after it)
        conn.execute(
            update(RoleGrant)
            .where(RoleGrant.username == "lisi")
            .values(valid_to=datetime.now(UTC) - timedelta(hours=1))
        )
    [period] = _grants(desk, "lisi")
    assert period["valid_to"] is not None
    answers = desk.push_ok([
        desk.event(new_case(), 0, "accepted", actor="lisi", occurred_at=iso_utc(datetime.now(UTC) - timedelta(minutes=90))),
        desk.event(new_case(), 0, "accepted", actor="lisi", occurred_at=iso_utc(datetime.now(UTC) - timedelta(minutes=30))),
    ])  # fmt: skip
    assert [(a["status"], a.get("code")) for a in answers] == [
        ("stored", None),
        ("rejected", "actor_not_authorized"),
    ]
    with write_engine(hub.engine).begin() as conn:
        directory.set_active(conn, "lisi", True, "test")
    assert _answers(desk, [desk.event(new_case(), 0, "accepted", actor="lisi")]) == [("stored", None)]
    actions = hub.audit_actions()
    assert {"user_disabled", "role_revoked", "user_enabled", "role_granted"} <= set(actions)


def test_occurred_at_cannot_reach_far_from_the_hubs_clock(hub: Hub) -> None:
    desk = hub.device(SITE_A)
    now = datetime.now(UTC)
    answers = desk.push_ok([
        desk.event(new_case(), 0, "accepted", occurred_at=iso_utc(now + timedelta(hours=2))),
        desk.event(new_case(), 0, "accepted", occurred_at=iso_utc(now - timedelta(days=1))),  # before enrolment
        desk.event(new_case(), 0, "accepted", occurred_at=iso_utc(now + timedelta(minutes=3))),  # a fast clock
    ])  # fmt: skip
    assert [(a["status"], a.get("code")) for a in answers] == [
        ("rejected", "occurred_in_future"), ("rejected", "occurred_before_enrolment"), ("stored", None)
    ]  # fmt: skip
    assert "校准本机时钟" in answers[0]["reason"]


def test_the_events_of_a_refused_actor_leave_the_rest_of_the_batch_alone(hub: Hub) -> None:
    desk = hub.device(SITE_A)
    good, forged = new_case(), new_case()
    answers = desk.push_ok([
        desk.event(good, 0, "accepted"),
        desk.event(forged, 0, "accepted", actor="nonexistent-user"),
        desk.event(good, 1, "transferred"),
        desk.event(forged, 1, "transferred"),  # by clerk1, but its case never began
    ])  # fmt: skip
    assert [(a["status"], a.get("code")) for a in answers] == [
        ("stored", None), ("rejected", "unknown_actor"), ("stored", None), ("rejected", "stale_version"),
    ]  # fmt: skip
    assert [e["case_uuid"] for e in desk.pull()["events"]] == [good, good]
