"""Catalog and calendar downloads with ETag, the user directory for offline login."""

from __future__ import annotations

import json

from clerk_desk.domain.passwords import verify_password
from tests.hub.hubkit import SITE_A, SITE_B, Hub
from tests.support.catalogs import catalog_bytes

CALENDAR = {
    "format": "clerk-desk-calendar",
    "format_version": 1,
    "version": "2026.1",
    "published_at": "2025-11-04",
    "years": {
        "2026": {
            "holidays": [{"date": "2026-01-01", "name": "元旦"}],
            "makeup_workdays": [{"date": "2026-01-04", "for": "元旦"}],
        }
    },
}


def test_catalog_etag_and_304(hub: Hub) -> None:
    desk = hub.device()
    r = desk.get("/catalog")
    assert r.status_code == 404 and r.json()["detail"]["code"] == "not_published"
    raw = catalog_bytes("2026.3")
    published = hub.admin.publish("catalog", raw)
    r = desk.get("/catalog")
    assert r.status_code == 200 and r.content == raw  # byte for byte
    assert r.headers["etag"] == f'"{published["etag"]}"'
    assert r.headers["x-publication-version"] == "1"
    again = desk.get("/catalog", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    hub.admin.publish("catalog", raw)  # same bytes: no new version
    newer = hub.admin.publish("catalog", raw.replace(b"2026.3", b"2026.4"))
    assert newer["version"] == 2
    r = desk.get("/catalog", headers={"If-None-Match": f'W/"{published["etag"]}"'})
    assert r.status_code == 200 and r.headers["x-publication-version"] == "2"


def test_calendar_is_validated_and_served(hub: Hub) -> None:
    desk = hub.device()
    hub.admin.publish("calendar", CALENDAR)
    r = desk.get("/calendar")
    assert r.status_code == 200 and r.json()["version"] == "2026.1"
    assert desk.get("/calendar", headers={"If-None-Match": r.headers["etag"]}).status_code == 304


def test_user_directory_for_the_devices_site_and_scope(hub: Hub) -> None:
    desk_a, desk_b = hub.device(SITE_A, actors=False), hub.device(SITE_B, actors=False)
    approver = hub.device(SITE_A, kind="approver", serves=((SITE_B, "rs"),), os_account="ap", actors=False)
    hub.admin.user("wangfang", "window2026a", ["clerk"], site=SITE_A, display_name="王芳")
    hub.admin.user("lisi", "window2026b", ["clerk"], site=SITE_B)
    hub.admin.user("zhao", "approve2026", ["approver"], serves=[(SITE_B, "rs")])
    users_a = {u["username"]: u for u in desk_a.get("/users").json()["users"]}
    assert set(users_a) == {"wangfang"}
    entry = users_a["wangfang"]
    assert entry["display_name"] == "王芳" and entry["roles"] == ["clerk"] and entry["active"]
    assert verify_password("window2026a", entry["verifier"])  # a verifier, never the password
    assert "window2026a" not in json.dumps(entry)
    assert [(g["role"], g["site_code"], g["department_code"], g["valid_to"]) for g in entry["grants"]] == [
        ("clerk", SITE_A, "*", None)
    ]
    assert {u["username"] for u in desk_b.get("/users").json()["users"]} == {"lisi", "zhao"}
    # An approver PC at site A serving B's 人社: the people of its own site, and whoever serves that pair.
    assert {u["username"] for u in approver.get("/users").json()["users"]} == {"wangfang", "zhao"}
    r = desk_a.get("/users")
    assert desk_a.get("/users", headers={"If-None-Match": r.headers["etag"]}).status_code == 304


def test_response_is_gzipped_when_asked(hub: Hub) -> None:
    desk = hub.device()
    desk.push_ok([desk.event(f"00000000-0000-4000-8000-{i:012d}", 0, "accepted") for i in range(30)])
    r = desk.get("/events", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers.get("content-encoding") == "gzip"
    assert len(r.json()["events"]) == 30
