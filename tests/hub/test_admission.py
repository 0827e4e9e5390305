"""county_hub.admission on its own: who may act for which side, when, and how far a device counter may jump."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from county_hub.admission import Gate, Grant, Refusal
from county_hub.schemas import iso_utc

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
SKEW = timedelta(minutes=10)
SITE, OTHER = "421224100", "421224101"


@dataclass(frozen=True)
class Ev:
    actor: str
    side: str = "window"
    site_code: str = SITE
    department_code: str = "rs"
    occurred_at: str = iso_utc(NOW - timedelta(hours=1))
    device_seq: int = 11


def gate(grants: dict[str, list[Grant]], *, enrolled: datetime | None = NOW - timedelta(days=30)) -> Gate:
    return Gate(SITE, enrolled, 10, grants, NOW, SKEW, 1000)


def at(hours: float) -> str:
    return iso_utc(NOW + timedelta(hours=hours))


CLERK = Grant("clerk", SITE, "*", NOW - timedelta(days=20), None)
APPROVER_RS = Grant("approver", SITE, "rs", NOW - timedelta(days=20), None)
USERS = {
    "wangfang": [CLERK],
    "lisi": [APPROVER_RS],
    "chen": [Grant("supervisor", SITE, "*", None, None)],
    "admin": [Grant("admin", SITE, "*", None, None)],
    "zhao": [Grant("clerk", OTHER, "*", None, None)],
    "left": [Grant("clerk", SITE, "*", NOW - timedelta(days=20), NOW - timedelta(days=2))],
    "nobody": [],
}


def code(refusal: Refusal | None) -> str | None:
    return refusal.code if refusal else None


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (Ev("wangfang"), None),  # a clerk of the site at the window
        (Ev("chen"), None),  # a hall supervisor works a window too
        (Ev("admin"), None),  # so does an administrator (the desk lets them)
        (Ev("lisi"), "actor_not_authorized"),  # an approver's name on a window event
        (Ev("zhao"), "actor_not_authorized"),  # a clerk of another site
        (Ev("nobody"), "actor_not_authorized"),  # known, no role at all
        (Ev("nonexistent-user"), "unknown_actor"),
        (Ev("lisi", side="back_office"), None),  # an approver of the pair
        (Ev("lisi", side="back_office", department_code="yb"), "actor_not_authorized"),  # another department
        (Ev("wangfang", side="back_office"), "actor_not_authorized"),  # a clerk's name on a decision
        (Ev("admin", side="back_office"), "actor_not_authorized"),  # the inbox needs an approver
        (Ev("zhao", site_code=OTHER), "actor_not_authorized"),  # the window events of another site's device
    ],
)
def test_roles_per_side_and_scope(event: Ev, expected: str | None) -> None:
    assert code(gate(USERS).refuse(event, 0)) == expected


@dataclass(frozen=True)
class Noted(Ev):
    type: str = "supervision_issued"


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (Noted("chen"), None),  # the hall supervisor issues a 督办单
        (Noted("admin"), None),
        (Noted("wangfang"), "actor_not_authorized"),  # a clerk may answer one, not issue one
        (Noted("lisi", side="back_office"), "actor_not_authorized"),  # nor may an approver
        (Noted("mz-only"), "actor_not_authorized"),  # a supervisor of another department
        (Noted("chen", type="violation_excused"), None),
        (Noted("wangfang", type="violation_excused"), "actor_not_authorized"),
        (Noted("wangfang", type="supervision_answered"), None),  # the window answers
        (Noted("lisi", side="back_office", type="supervision_answered"), None),  # so does the approver of the pair
    ],
)
def test_only_a_supervisor_of_the_pair_issues_an_order_or_excuses(event: Noted, expected: str | None) -> None:
    users = {**USERS, "mz-only": [Grant("supervisor", SITE, "mz", None, None)]}
    assert code(gate(users).refuse(event, 0)) == expected


def test_the_role_held_at_the_event_counts_not_the_role_held_now() -> None:
    g = gate(USERS)
    # She left two days ago: her work from before is taken (offline work arriving late stays valid) ...
    assert g.refuse(Ev("left", occurred_at=at(-24 * 3)), 0) is None
    # ... what is dated after she left is not, nor what was dated before she started.
    refused = g.refuse(Ev("left", occurred_at=at(-24)), 0)
    assert code(refused) == "actor_not_authorized" and refused is not None and "left" in refused.reason
    assert code(g.refuse(Ev("left", occurred_at=at(-24 * 21)), 0)) == "actor_not_authorized"
    # The ends of a period are widened by the clock-skew allowance, no more.
    ended = NOW - timedelta(days=2)
    assert g.refuse(Ev("left", occurred_at=iso_utc(ended + SKEW - timedelta(seconds=1))), 0) is None
    assert code(g.refuse(Ev("left", occurred_at=iso_utc(ended + SKEW)), 0)) == "actor_not_authorized"


def test_a_role_granted_for_one_department_only() -> None:
    g = gate(
        {"yb": [Grant("approver", SITE, "yb", None, None)], "all": [Grant("approver", SITE, "*", None, None)]}
    )
    assert g.refuse(Ev("yb", side="back_office", department_code="yb"), 0) is None
    assert code(g.refuse(Ev("yb", side="back_office", department_code="rs"), 0)) == "actor_not_authorized"
    assert g.refuse(Ev("all", side="back_office", department_code="mz"), 0) is None


def test_occurred_at_is_bounded_by_the_hubs_clock_and_the_enrolment() -> None:
    g = gate(USERS, enrolled=NOW - timedelta(days=30))
    assert g.refuse(Ev("admin", occurred_at=at(0.1)), 0) is None  # within the skew allowance
    future = g.refuse(Ev("admin", occurred_at=at(1)), 0)
    assert code(future) == "occurred_in_future" and future is not None and "校准本机时钟" in future.reason
    assert g.refuse(Ev("admin", occurred_at=at(-24 * 30)), 0) is None  # the day it was enrolled
    assert code(g.refuse(Ev("admin", occurred_at=at(-24 * 31)), 0)) == "occurred_before_enrolment"


def test_device_seq_may_not_jump_past_what_the_hub_stored() -> None:
    g = gate(USERS)  # 10 stored, jumps of up to 1000
    assert g.refuse(Ev("admin", device_seq=1010), 0) is None
    assert code(g.refuse(Ev("admin", device_seq=1011), 0)) == "device_seq_jump"
    assert code(g.refuse(Ev("admin", device_seq=2**53 - 1), 0)) == "device_seq_jump"
    assert g.refuse(Ev("admin", device_seq=1900), 1000) is None  # events stored earlier in the push count
    assert g.refuse(Ev("admin", device_seq=3), 0) is None  # an older event arriving late (restored outbox)


def test_reasons_are_chinese_and_name_the_actor() -> None:
    refused = gate(USERS).refuse(Ev("nonexistent-user"), 0)
    assert refused is not None and "县级平台没有用户 nonexistent-user" in refused.reason
    refused = gate(USERS).refuse(Ev("lisi"), 0)
    assert refused is not None and "lisi" in refused.reason and "窗口人员" in refused.reason
