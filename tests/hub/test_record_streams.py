"""Record streams at the hub, on SQLite and PostgreSQL: a consultation, a 帮办代办 and an attendance stint
interleaved with case events are stored in the one log in push order, pulled by the site's window PCs (not by
an approver of a department), sent with a new desk's snapshot, answered duplicate when sent again, and
refused by the stream's rules without touching the case table."""

from __future__ import annotations

from typing import Any

from tests.hub.hubkit import SITE_A, DeviceClient, Hub, new_case


def record(desk: DeviceClient, uuid: str, version: int, event_type: str, stream: str, **kw: Any) -> dict[str, Any]:
    dept = kw.pop("department_code", "hall")
    return {**desk.event(uuid, version, event_type, dept=dept, **kw), "stream": stream}


def test_record_events_share_the_log_and_its_order(hub: Hub) -> None:
    desk = hub.device()
    case, consult, stint = new_case(), new_case(), new_case()
    batch = [
        desk.event(case, 0, "accepted"),
        record(desk, consult, 0, "consultation_logged", "consultation", payload={"record": {"topic": "低保"}}),
        record(desk, stint, 0, "attendance_signed_on", "attendance"),
        desk.event(case, 1, "transferred"),
        record(desk, stint, 1, "attendance_break_started", "attendance"),
    ]
    answers = desk.push_ok(batch)
    assert [a["status"] for a in answers] == ["stored"] * 5
    assert [a["seq"] for a in answers] == sorted(a["seq"] for a in answers)
    assert [a["status"] for a in desk.push_ok(batch)] == ["duplicate"] * 5  # the same bodies again
    assert hub.counts()["cases"] == 1  # records move no case
    pulled = desk.pull()["events"]
    assert [e["uuid"] for e in pulled] == [e["uuid"] for e in batch]
    other_window = hub.device()
    snap = other_window.get("/snapshot").json()
    assert [c["case_uuid"] for c in snap["cases"]] == [case]
    assert [e["uuid"] for e in snap["records"]] == [batch[1]["uuid"], batch[2]["uuid"], batch[4]["uuid"]]
    assert snap["records"][0]["payload"]["record"]["topic"] == "低保"
    # Per stream: the log read for one stream of the scope.
    r = other_window.get("/streams/attendance/events")
    assert r.status_code == 200, r.text
    assert [e["uuid"] for e in r.json()["events"]] == [batch[2]["uuid"], batch[4]["uuid"]]
    page = other_window.get("/streams/consultation/events", params={"after": answers[1]["seq"]}).json()
    assert page["events"] == [] and page["has_more"] is False
    assert other_window.get("/streams/case/events").status_code == 422
    approver = hub.device(kind="approver", serves=((SITE_A, "rs"),))
    assert approver.get("/streams/attendance/events").json()["events"] == []
    assert {e["uuid"] for e in approver.pull()["events"]} == {batch[0]["uuid"], batch[3]["uuid"]}
    assert approver.get("/snapshot").json()["records"] == []


def test_the_stream_rules_refuse_and_store_nothing(hub: Hub) -> None:
    desk = hub.device()
    case = new_case()
    desk.push_ok([desk.event(case, 0, "accepted")])
    before = hub.counts()
    answers = desk.push_ok([
        record(desk, new_case(), 1, "consultation_logged", "consultation"),  # first event not at version 0
        record(desk, new_case(), 0, "assist_step", "assist"),  # a later step as the first event
        record(desk, new_case(), 0, "attendance_signed_on", "attendance", department_code="rs"),
        record(desk, case, 0, "consultation_logged", "consultation"),  # a case's uuid
    ])
    assert [(a["status"], a.get("code")) for a in answers] == [
        ("rejected", "illegal_transition"), ("rejected", "illegal_transition"), ("rejected", "wrong_department"),
        ("rejected", "not_a_record")]
    after = hub.counts()
    assert after["events"] == before["events"] and after["cases"] == before["cases"]
    # A type under another stream is malformed: 422, nothing stored.
    r = desk.push([record(desk, new_case(), 0, "attendance_signed_on", "consultation")])
    assert r.status_code == 422
    r = desk.push([{**desk.event(case, 1, "transferred"), "stream": "assist"}])
    assert r.status_code == 422


def test_a_records_events_are_taken_in_version_order_against_the_hubs_state(hub: Hub) -> None:
    """county_hub.record_state: each event of a record must be made against the version the hub holds (the
    events stored before it), across pushes and devices; not only in the order one device sends them."""
    desk, other = hub.device(), hub.device()
    stint = new_case()
    assert desk.push_ok([record(desk, stint, 0, "attendance_signed_on", "attendance")])[0]["status"] == "stored"
    skipped = record(desk, stint, 2, "attendance_break_ended", "attendance")  # version 1 never arrived
    assert desk.push_ok([skipped])[0]["code"] == "stale_version"
    first = record(desk, stint, 1, "attendance_break_started", "attendance")
    fork = record(other, stint, 1, "attendance_signed_off", "attendance")  # another PC, the same version
    assert desk.push_ok([first])[0]["status"] == "stored"
    answer = other.push_ok([fork])[0]
    assert (answer["status"], answer["code"]) == ("rejected", "stale_version")
    assert "the record is at version 2" in answer["reason"]
    # within one push, versions follow each other; the same uuid under another stream is refused
    then = [record(desk, stint, 2, "attendance_break_ended", "attendance"),
            record(desk, stint, 3, "attendance_signed_off", "attendance"),
            record(desk, stint, 4, "consultation_logged", "consultation")]  # fmt: skip
    assert [(a["status"], a.get("code")) for a in desk.push_ok(then)] == [
        ("stored", None), ("stored", None), ("rejected", "illegal_transition")]  # fmt: skip
    moved = record(desk, stint, 4, "assist_step", "assist")
    assert desk.push_ok([moved])[0]["code"] == "wrong_stream"
    stored = [e for e in desk.pull()["events"] if e["case_uuid"] == stint]
    assert [e["case_version"] for e in stored] == [0, 1, 2, 3]
