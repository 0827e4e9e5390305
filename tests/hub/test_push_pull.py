"""Push and pull over real HTTP: idempotency, the lifecycle rules, scope, snapshot."""

from __future__ import annotations

from tests.hub.hubkit import SITE_A, SITE_B, Hub, new_case


def test_health_needs_no_token_and_reports_time(hub: Hub) -> None:
    r = hub.http.get("/api/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["api"] == "v1"
    assert body["server_time"].endswith("Z")


def test_push_stores_then_answers_duplicate_with_same_seq(hub: Hub) -> None:
    desk = hub.device()
    case = new_case()
    events = [desk.event(case, 0, "accepted"), desk.event(case, 1, "transferred")]
    first = desk.push_ok(events)
    assert [r["status"] for r in first] == ["stored", "stored"]
    assert first[1]["seq"] == first[0]["seq"] + 1
    again = desk.push_ok(events)
    assert [(r["status"], r["seq"]) for r in again] == [
        ("duplicate", first[0]["seq"]),
        ("duplicate", first[1]["seq"]),
    ]
    assert hub.counts() == {"events": 2, "rejected_events": 0, "cases": 1}


def test_same_uuid_with_a_different_body_is_a_conflict(hub: Hub) -> None:
    desk = hub.device()
    case = new_case()
    event = desk.event(case, 0, "accepted", payload={"item": "A"})
    desk.push_ok([event])
    [answer] = desk.push_ok([{**event, "payload": {"item": "B"}}])
    assert answer["status"] == "rejected" and answer["code"] == "uuid_conflict"
    assert hub.counts()["events"] == 1


def test_rejected_event_gets_the_same_answer_again_and_stores_nothing(hub: Hub) -> None:
    desk = hub.device()
    case = new_case()
    bad = desk.event(case, 0, "received")  # the window cannot sign for a case that was never transferred
    [first] = desk.push_ok([bad])
    assert first["status"] == "rejected" and first["code"] == "illegal_transition" and first["reason"]
    [second] = desk.push_ok([bad])
    assert second == first
    assert hub.counts() == {"events": 0, "rejected_events": 1, "cases": 0}
    assert "event_rejected" in hub.audit_actions()


def test_batch_applies_in_order_and_a_rejection_does_not_stop_the_others(hub: Hub) -> None:
    desk = hub.device()
    case, other = new_case(), new_case()
    batch = [
        desk.event(case, 0, "accepted"),
        desk.event(case, 1, "delivered"),  # illegal: nothing to deliver yet
        desk.event(case, 2, "transferred"),  # made against version 2 on the desk: stale now
        desk.event(other, 0, "accepted"),  # another case is not held up
    ]
    results = desk.push_ok(batch)
    assert [r["status"] for r in results] == ["stored", "rejected", "rejected", "stored"]
    assert results[1]["code"] == "illegal_transition"
    assert results[2]["code"] == "stale_version"
    assert results[3]["seq"] == results[0]["seq"] + 1  # rejected events take no seq: no gaps


def test_both_sides_work_a_case_through_the_hub(hub: Hub) -> None:
    desk = hub.device(SITE_A)
    approver = hub.device(SITE_A, kind="approver", serves=((SITE_A, "rs"),), os_account="approver")
    case = new_case()
    desk.push_ok([desk.event(case, 0, "accepted"), desk.event(case, 1, "transferred")])
    pulled = approver.pull()
    assert [e["type"] for e in pulled["events"]] == ["accepted", "transferred"]
    results = approver.push_ok(
        [
            approver.event(case, 2, "received"),
            approver.event(case, 3, "decided"),
            approver.event(case, 4, "result_returned"),
        ]
    )
    assert {r["status"] for r in results} == {"stored"}
    # The window may not act while the back office holds the case ...
    [late] = desk.push_ok([desk.event(case, 2, "withdrawn")])
    assert late["status"] == "rejected" and late["code"] == "stale_version"
    # ... and delivers once the result is back.
    [done] = desk.push_ok([desk.event(case, 5, "delivered")])
    assert done["status"] == "stored"
    snap = desk.get("/snapshot").json()
    [state] = [c for c in snap["cases"] if c["case_uuid"] == case]
    assert (state["status"], state["version"], state["owner"]) == ("delivered", 6, "window")
    assert snap["seq"] == state["last_seq"]


def test_case_cannot_move_to_another_department(hub: Hub) -> None:
    desk = hub.device()
    case = new_case()
    desk.push_ok([desk.event(case, 0, "accepted", dept="rs")])
    [moved] = desk.push_ok([desk.event(case, 1, "transferred", dept="yb")])
    assert moved["status"] == "rejected" and moved["code"] == "case_moved"


def test_pull_sees_only_the_devices_scope(hub: Hub) -> None:
    desk_a, desk_b = hub.device(SITE_A), hub.device(SITE_B)
    approver = hub.device(SITE_A, kind="approver", serves=((SITE_A, "yb"), (SITE_B, "rs")), os_account="ap")
    a_rs, a_yb, b_rs = new_case(), new_case(), new_case()
    desk_a.push_ok(
        [desk_a.event(a_rs, 0, "accepted", dept="rs"), desk_a.event(a_yb, 0, "accepted", dept="yb")]
    )
    desk_b.push_ok([desk_b.event(b_rs, 0, "accepted", dept="rs")])
    assert {e["case_uuid"] for e in desk_a.pull()["events"]} == {a_rs, a_yb}
    assert {e["case_uuid"] for e in desk_b.pull()["events"]} == {b_rs}
    assert {e["case_uuid"] for e in approver.pull()["events"]} == {a_yb, b_rs}
    assert {c["case_uuid"] for c in approver.get("/snapshot").json()["cases"]} == {a_yb, b_rs}
    assert desk_b.get(f"/cases/{a_rs}/events").status_code == 404
    assert [e["type"] for e in desk_a.get(f"/cases/{a_rs}/events").json()["events"]] == ["accepted"]


def test_pull_pages_with_the_cursor(hub: Hub) -> None:
    desk, other = hub.device(SITE_A), hub.device(SITE_B)
    cases = [new_case() for _ in range(7)]
    desk.push_ok([desk.event(c, 0, "accepted") for c in cases])
    other.push_ok([other.event(new_case(), 0, "accepted") for _ in range(3)])  # out of scope for desk
    seen, cursor = [], 0
    while True:
        page = desk.pull(after=cursor, limit=3)
        seen += [e["case_uuid"] for e in page["events"]]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert seen == cases
    assert cursor == 10  # jumps over the other township's events
    event = desk.pull(after=0, limit=1)["events"][0]
    assert (
        event["received_at"].endswith("Z")
        and event["occurred_at"].endswith("Z")
        and len(event["occurred_at"]) == 27
    )
    assert desk.pull(after=cursor)["events"] == []


def test_cursor_beyond_the_log_asks_for_a_snapshot(hub: Hub) -> None:
    desk = hub.device()
    r = desk.get("/events", params={"after": 99})
    assert r.status_code == 409 and r.json()["detail"]["code"] == "cursor_ahead"


def test_devices_me_reports_highest_device_seq(hub: Hub) -> None:
    desk = hub.device()
    desk.seq = 41
    desk.push_ok([desk.event(new_case(), 0, "accepted"), desk.event(new_case(), 0, "accepted")])
    me = desk.get("/devices/me").json()
    assert me["max_device_seq"] == 43
    assert me["device_code"] == desk.device_code and me["kind"] == "clerk"
    assert me["scope"] == [{"site_code": SITE_A, "department_code": "*"}]


def test_gzip_push_is_accepted(hub: Hub) -> None:
    desk = hub.device()
    r = desk.push([desk.event(new_case(), 0, "accepted", payload={"申请人": "张三" * 100})], gzipped=True)
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "stored"


def test_empty_batch_is_fine(hub: Hub) -> None:
    desk = hub.device()
    assert desk.push_ok([]) == []
