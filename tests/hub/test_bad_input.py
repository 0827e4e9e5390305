"""Bad input: every one is a 4xx with a code and a plain reason, and nothing is stored."""

from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from county_hub.models import EnrolmentCode
from tests.hub.hubkit import SITE_A, SITE_B, Hub, new_case
from tests.support.hub_server import API, enrol

NOTHING = {"events": 0, "rejected_events": 0, "cases": 0}


def _detail(r) -> dict:  # type: ignore[no-untyped-def]
    body = r.json()
    assert set(body) == {"detail"}, body
    detail = body["detail"]
    assert detail["code"] and isinstance(detail["code"], str)
    assert detail["message"] and isinstance(detail["message"], str)
    return detail


def _post_raw(hub: Hub, token: str, body: bytes, **headers: str):  # type: ignore[no-untyped-def]
    return hub.http.post(
        f"{API}/events",
        content=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", **headers},
    )


def test_malformed_json(hub: Hub) -> None:
    desk = hub.device()
    r = _post_raw(hub, desk.token, b'{"events": [ {"uuid": ')
    assert r.status_code == 400 and _detail(r)["code"] == "malformed_json"
    assert hub.counts() == NOTHING


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("case_version", "0"),  # a string where an integer belongs
        ("case_version", True),
        ("case_version", -1),
        ("device_seq", 1.5),
        ("payload", ["not", "an", "object"]),
        ("uuid", "not-a-uuid"),
        ("occurred_at", "2026-03-02 09:30"),  # no zone
        ("occurred_at", 1772415000),
        ("side", "county"),
        ("site_code", "bad code with spaces"),
        ("actor", ""),
    ],
)
def test_wrong_types(hub: Hub, field: str, value: object) -> None:
    desk = hub.device()
    event = desk.event(new_case(), 0, "accepted")
    event[field] = value
    r = desk.push([desk.event(new_case(), 0, "accepted"), event])
    assert r.status_code == 422
    detail = _detail(r)
    assert detail["code"] == "invalid_request" and field in detail["message"]
    assert "payload" not in str(detail.get("errors")) or field == "payload"  # input is never echoed
    assert hub.counts() == NOTHING


def test_unknown_field_and_missing_field(hub: Hub) -> None:
    desk = hub.device()
    extra = {**desk.event(new_case(), 0, "accepted"), "surprise": 1}
    missing = desk.event(new_case(), 0, "accepted")
    del missing["case_uuid"]
    for event in (extra, missing):
        r = desk.push([event])
        assert r.status_code == 422 and _detail(r)["code"] == "invalid_request"
    assert hub.counts() == NOTHING


def test_unknown_event_type(hub: Hub) -> None:
    desk = hub.device()
    r = desk.push([desk.event(new_case(), 0, "teleported")])
    assert r.status_code == 422 and "type" in _detail(r)["message"]
    assert hub.counts() == NOTHING


def test_batch_over_the_cap(hub: Hub) -> None:
    desk = hub.device()
    r = desk.push([desk.event(new_case(), 0, "accepted") for _ in range(501)])
    assert r.status_code == 413 and _detail(r)["code"] == "batch_too_large"
    assert hub.counts() == NOTHING


def test_gzip_bomb_is_stopped(hub: Hub) -> None:
    desk = hub.device()
    # 64 MiB of spaces inside a valid JSON document compress to about 64 KiB (the cap is 8 MiB).
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [comp.compress(b'{"events": [], "pad": "')]
    chunk = b" " * (1 << 20)
    parts += [comp.compress(chunk) for _ in range(64)]
    parts.append(comp.compress(b'"}') + comp.flush())
    bomb = b"".join(parts)
    assert len(bomb) < 128 << 10
    r = _post_raw(hub, desk.token, bomb, **{"Content-Encoding": "gzip"})
    assert r.status_code == 413 and _detail(r)["code"] == "body_too_large"
    assert hub.counts() == NOTHING


def test_broken_gzip_and_unknown_encoding(hub: Hub) -> None:
    desk = hub.device()
    good = gzip.compress(b'{"events": []}')
    r = _post_raw(hub, desk.token, good[:-6], **{"Content-Encoding": "gzip"})
    assert r.status_code == 400 and _detail(r)["code"] == "bad_gzip"
    r = _post_raw(hub, desk.token, b"not gzip at all", **{"Content-Encoding": "gzip"})
    assert r.status_code == 400 and _detail(r)["code"] == "bad_gzip"
    r = _post_raw(hub, desk.token, good, **{"Content-Encoding": "br"})
    assert r.status_code == 415 and _detail(r)["code"] == "unsupported_encoding"


def test_plain_body_over_the_cap(hub: Hub) -> None:
    desk = hub.device()
    r = _post_raw(hub, desk.token, b'{"events": [], "pad": "' + b" " * (9 << 20) + b'"}')
    assert r.status_code == 413 and _detail(r)["code"] == "body_too_large"


def test_another_townships_token_cannot_write_or_read_its_cases(hub: Hub) -> None:
    desk_a, desk_b = hub.device(SITE_A), hub.device(SITE_B)
    case = new_case()
    desk_a.push_ok([desk_a.event(case, 0, "accepted")])
    before = hub.counts()
    # B writes an event for A's township: refused whole, nothing of it kept.
    intruder = desk_b.event(case, 1, "transferred", site_code=SITE_A)
    r = desk_b.push([desk_b.event(new_case(), 0, "accepted"), intruder])
    assert r.status_code == 403
    detail = _detail(r)
    assert detail["code"] == "out_of_scope" and detail["uuids"] == [intruder["uuid"]]
    assert hub.counts() == before
    # B reads: A's case is not there.
    assert desk_b.pull()["events"] == []
    assert desk_b.get("/snapshot").json()["cases"] == []
    assert desk_b.get(f"/cases/{case}/events").status_code == 404
    assert "push_refused" in hub.audit_actions()


def test_approver_outside_its_departments(hub: Hub) -> None:
    approver = hub.device(SITE_A, kind="approver", serves=((SITE_A, "rs"),), os_account="ap")
    r = approver.push([approver.event(new_case(), 0, "received", dept="yb")])
    assert r.status_code == 403 and _detail(r)["code"] == "out_of_scope"
    r = approver.push([approver.event(new_case(), 0, "accepted", dept="rs", side="window")])
    assert r.status_code == 403 and _detail(r)["code"] == "side_not_allowed"
    assert hub.counts() == NOTHING


def test_events_of_another_device_are_refused(hub: Hub) -> None:
    desk, other = hub.device(), hub.device()
    r = desk.push([other.event(new_case(), 0, "accepted")])
    assert r.status_code == 403 and _detail(r)["code"] == "device_mismatch"
    assert hub.counts() == NOTHING


def test_replayed_enrolment_code(hub: Hub) -> None:
    hub.admin.site(SITE_A, "A")
    _device, code = hub.admin.device(SITE_A)
    enrol(hub.base_url, code, "clerk1")
    r = hub.http.post(f"{API}/enrol", json={"code": code, "os_account": "clerk2", "device_info": {}})
    assert r.status_code == 403 and _detail(r)["code"] == "enrolment_code_used"
    assert "enrolment_refused" in hub.audit_actions()


def test_expired_and_unknown_enrolment_code(hub: Hub) -> None:
    hub.admin.site(SITE_A, "A")
    _device, code = hub.admin.device(SITE_A)
    with hub.engine.begin() as conn:
        conn.execute(update(EnrolmentCode).values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    r = hub.http.post(f"{API}/enrol", json={"code": code, "os_account": "clerk1"})
    assert r.status_code == 403 and _detail(r)["code"] == "enrolment_code_expired"
    r = hub.http.post(f"{API}/enrol", json={"code": "AAAA-BBBB-CCCC-DDDD", "os_account": "clerk1"})
    assert r.status_code == 403 and _detail(r)["code"] == "enrolment_code_unknown"


def test_revoked_token_and_revoked_device(hub: Hub) -> None:
    desk = hub.device(os_account="alice")
    second = hub.admin.enrolment_code(desk.device_code)
    bob = enrol(hub.base_url, second, "bob")
    assert bob["token_id"] != desk.token_id  # one token per OS account on the same device
    hub.admin.revoke(desk.device_code, desk.token_id)
    r = desk.push([desk.event(new_case(), 0, "accepted")])
    assert r.status_code == 401 and _detail(r)["code"] == "token_revoked"
    bob_headers = {"Authorization": f"Bearer {bob['token']}"}
    assert hub.http.get(f"{API}/devices/me", headers=bob_headers).status_code == 200
    hub.admin.revoke(desk.device_code)
    r = hub.http.get(f"{API}/devices/me", headers=bob_headers)
    assert r.status_code == 401 and _detail(r)["code"] == "token_revoked"
    assert hub.counts() == NOTHING


def test_missing_and_unknown_token(hub: Hub) -> None:
    r = hub.http.get(f"{API}/events")
    assert r.status_code == 401 and _detail(r)["code"] == "missing_token"
    r = hub.http.get(f"{API}/events", headers={"Authorization": "Bearer nonsense"})
    assert r.status_code == 401 and _detail(r)["code"] == "invalid_token"


def test_a_bad_token_is_answered_before_a_bad_request(hub: Hub) -> None:
    """The push checks its token itself (one thread hand-off): a body or query FastAPI refuses first must
    still be answered 401 to a request without a valid token, and 422 only to its device."""
    desk = hub.device()
    unknown_type = desk.event(new_case(), 0, "teleported")
    too_many = [desk.event(new_case(), 0, "accepted") for _ in range(501)]
    for token, expected in ((None, "missing_token"), ("nonsense", "invalid_token")):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        r = hub.http.post(f"{API}/events", json={"events": [unknown_type]}, headers=headers)
        assert (r.status_code, _detail(r)["code"]) == (401, expected)
        r = hub.http.post(f"{API}/events", json={"events": too_many}, headers=headers)
        assert (r.status_code, _detail(r)["code"]) == (401, expected)
        r = hub.http.get(f"{API}/events", params={"after": -1}, headers=headers)
        assert (r.status_code, _detail(r)["code"]) == (401, expected)
    hub.admin.revoke(desk.device_code, desk.token_id)
    r = desk.push([unknown_type])
    assert (r.status_code, _detail(r)["code"]) == (401, "token_revoked")
    assert hub.counts() == NOTHING


def test_a_stranger_gets_401_before_any_refusal_of_the_request(hub: Hub) -> None:
    """An unknown query parameter is refused by a check every route runs first (county_hub.api), and GET
    /changes checks its token itself, as the push does: a request without a valid token got 422 there, and
    a stranger learnt what a route takes before being told it has no business asking. Every route that needs a
    device token answers 401 first; the device with a valid token gets the 422."""
    desk = hub.device()
    requests = [
        ("POST", f"{API}/events", {"x": 1}),
        ("GET", f"{API}/events", {"cursor": 1}),
        ("GET", f"{API}/snapshot", {"x": 1}),
        ("GET", f"{API}/cases/{new_case()}/events", {"x": 1}),
        ("GET", f"{API}/streams/consultation/events", {"x": 1}),
        ("GET", f"{API}/changes", {"x": 1, "timeout": 0}),
        ("GET", f"{API}/changes", {"after": -1, "timeout": 0}),
        ("GET", f"{API}/changes", {"timeout": "soon"}),
        *[("GET", f"{API}/{path}", {"x": 1}) for path in ("catalog", "calendar", "supervision-settings", "users",
                                                          "devices/me", "county/figures", "county/overdue")],
    ]
    for method, path, params in requests:
        body = {"json": {"events": []}} if method == "POST" else {}
        for token, expected in ((None, "missing_token"), ("nonsense", "invalid_token")):
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            r = hub.http.request(method, path, params=params, headers=headers, **body)
            assert (r.status_code, _detail(r)["code"]) == (401, expected), (method, path, params)
        own = {"Authorization": f"Bearer {desk.token}"}
        r = hub.http.request(method, path, params=params, headers=own, **body)
        assert (r.status_code, _detail(r)["code"]) == (422, "invalid_request"), (method, path, params)
    spec = hub.http.get(f"{API}/openapi.json").json()
    for path, method in ((f"{API}/events", "post"), (f"{API}/events", "get"), (f"{API}/snapshot", "get"),
                         (f"{API}/cases/{{case_uuid}}/events", "get"), (f"{API}/streams/{{stream}}/events", "get"),
                         (f"{API}/changes", "get")):  # fmt: skip
        operation = spec["paths"][path.removeprefix(spec.get("basePath", ""))][method]
        assert operation.get("security"), (method, path)  # still documented as needing the token
        assert {"401", "422"} <= set(operation["responses"]), (method, path)
    assert hub.counts() == NOTHING


def test_unknown_path_and_method(hub: Hub) -> None:
    r = hub.http.get(f"{API}/nowhere")
    assert r.status_code == 404 and _detail(r)["code"] == "not_found"
    r = hub.http.delete(f"{API}/events")
    assert r.status_code == 405 and _detail(r)["code"] == "method_not_allowed"


def test_bad_query_parameters(hub: Hub) -> None:
    desk = hub.device()
    for params in ({"after": -1}, {"after": "x"}, {"limit": 0}, {"limit": 5000}):
        r = desk.get("/events", params=params)
        assert r.status_code == 422 and _detail(r)["code"] == "invalid_request"
