"""A push is planned before it takes the append lock (county_hub.push): what it read may change meanwhile.

Each test plans a push, then - after the plan is made, before the lock is taken (the ``after_plan``
hook) - lets another push write the same case or the same uuid over HTTP. The first push must see
that under the lock and answer exactly as if it had come second: no error, no gap in the log, no
event both stored and rejected, the case's state as the rules make it.
"""

from __future__ import annotations

from typing import Any

import pytest

from county_hub import push_plan
from county_hub.push import push_events
from county_hub.push_plan import Answer
from county_hub.schemas import WireEvent
from tests.hub.hubkit import SITE_A, DeviceClient, Hub, new_case


@pytest.fixture
def plans(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many plans each push made: 1 when what it read held under the lock, 2 when it planned again."""
    made: list[int] = []
    plan = push_plan.make_plan

    def counting(*args: Any) -> Any:
        made.append(1)
        return plan(*args)

    monkeypatch.setattr(push_plan, "make_plan", counting)
    return made


def _push_after(
    hub: Hub, desk: DeviceClient, events: list[dict[str, Any]], meanwhile: Any, plans: list[int]
) -> tuple[list[Answer], int]:
    """Push ``events`` as ``desk`` in process; ``meanwhile`` runs between the plan and the lock.
    Returns the answers and the number of plans the push made."""
    device = hub.storage.device(desk.token)
    ran: list[bool] = []

    def hook() -> None:
        assert not ran, "the plan is made once without the lock"
        ran.append(True)
        made = len(plans)
        meanwhile()
        del plans[made:]  # the other push's own plans

    before = len(plans)
    answers = push_events(hub.storage, device, [WireEvent.model_validate(e) for e in events], after_plan=hook)
    assert ran
    return answers, len(plans) - before


def _log(desk: DeviceClient) -> list[dict[str, Any]]:
    page = desk.pull(after=0)
    assert not page["has_more"]
    return page["events"]


def test_case_changed_between_plan_and_lock_is_checked_again(hub: Hub, plans: list[int]) -> None:
    desk, other = hub.device(SITE_A, os_account="a"), hub.device(SITE_A, os_account="b")
    case = new_case()
    desk.push_ok([desk.event(case, 0, "accepted")])
    mine = desk.event(case, 1, "transferred")
    theirs = other.event(case, 1, "transferred")

    def meanwhile() -> None:
        assert other.push_ok([theirs])[0]["status"] == "stored"

    [answer], planned = _push_after(hub, desk, [mine], meanwhile, plans)
    assert planned == 2
    assert answer.status == "rejected" and answer.code == "stale_version"  # planned as stored, now stale
    log = _log(desk)
    assert [e["seq"] for e in log] == [1, 2] and log[1]["uuid"] == theirs["uuid"]
    assert hub.counts() == {"events": 2, "rejected_events": 1, "cases": 1}
    r = desk.push([mine])  # re-sent: the same answer
    assert r.json()["results"][0] == {
        "uuid": mine["uuid"],
        "status": "rejected",
        "code": "stale_version",
        "reason": answer.reason,
    }


def test_same_event_stored_meanwhile_is_a_duplicate(hub: Hub, plans: list[int]) -> None:
    desk = hub.device(SITE_A)
    event = desk.event(new_case(), 0, "accepted")
    stored: list[dict[str, Any]] = []

    def meanwhile() -> None:  # the desk's retry of a push that timed out, say
        stored.extend(desk.push_ok([event]))

    [answer], planned = _push_after(hub, desk, [event], meanwhile, plans)
    assert planned == 2
    assert stored[0]["status"] == "stored"
    assert answer == Answer(event["uuid"], "duplicate", seq=stored[0]["seq"])
    assert [e["uuid"] for e in _log(desk)] == [event["uuid"]]
    assert hub.counts() == {"events": 1, "rejected_events": 0, "cases": 1}


def test_same_rejection_recorded_meanwhile_gets_the_same_answer(hub: Hub, plans: list[int]) -> None:
    desk = hub.device(SITE_A)
    case = new_case()
    desk.push_ok([desk.event(case, 0, "accepted")])
    bad = desk.event(case, 5, "transferred")  # a version the case never had
    first: list[dict[str, Any]] = []

    def meanwhile() -> None:
        first.extend(desk.push_ok([bad]))

    [answer], planned = _push_after(hub, desk, [bad], meanwhile, plans)
    assert planned == 2
    assert first[0]["status"] == "rejected"
    assert answer.as_dict() == first[0]
    assert hub.counts() == {"events": 1, "rejected_events": 1, "cases": 1}
    assert hub.audit_actions().count("event_rejected") == 1


def test_case_created_meanwhile_by_another_event(hub: Hub, plans: list[int]) -> None:
    desk, other = hub.device(SITE_A, os_account="a"), hub.device(SITE_A, os_account="b")
    case, fresh = new_case(), new_case()
    mine = [
        desk.event(case, 0, "accepted"),
        desk.event(fresh, 0, "accepted"),
        desk.event(fresh, 1, "transferred"),
    ]
    theirs = other.event(case, 0, "accepted")

    def meanwhile() -> None:
        assert other.push_ok([theirs])[0]["seq"] == 1

    answers, planned = _push_after(hub, desk, mine, meanwhile, plans)
    assert planned == 2
    assert [a.status for a in answers] == ["rejected", "stored", "stored"]
    assert [a.seq for a in answers[1:]] == [2, 3]  # numbered after the other push, no gap
    log = _log(desk)
    assert [(e["seq"], e["uuid"]) for e in log] == [
        (1, theirs["uuid"]),
        (2, mine[1]["uuid"]),
        (3, mine[2]["uuid"]),
    ]
    assert hub.counts() == {"events": 3, "rejected_events": 1, "cases": 2}


def test_unrelated_push_meanwhile_keeps_the_plan(hub: Hub, plans: list[int]) -> None:
    desk, other = hub.device(SITE_A, os_account="a"), hub.device(SITE_A, os_account="b")
    case = new_case()
    desk.push_ok([desk.event(case, 0, "accepted")])
    mine = [desk.event(case, 1, "transferred"), desk.event(new_case(), 0, "accepted")]

    def meanwhile() -> None:
        other.push_ok([other.event(new_case(), 0, "accepted"), other.event(new_case(), 0, "accepted")])

    answers, planned = _push_after(hub, desk, mine, meanwhile, plans)
    assert planned == 1  # nothing it read changed: numbered after the other push, no second plan
    assert [(a.status, a.seq) for a in answers] == [("stored", 4), ("stored", 5)]
    assert [e["seq"] for e in _log(desk)] == [1, 2, 3, 4, 5]
    snapshot = desk.get("/snapshot").json()
    versions = {c["case_uuid"]: (c["version"], c["first_seq"], c["last_seq"]) for c in snapshot["cases"]}
    assert versions[case] == (2, 1, 4)
