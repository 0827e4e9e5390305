"""The hub's user directory, copied locally so clerks can sign in while the link is down.

Only verifiers travel (never passwords). Hub accounts replace local ones of the same name once the PC
is enrolled (the hub is the authority); a hub account that disappears or is disabled is deactivated.
Local counters (failed logins, lock-out) are kept: they protect this PC.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from clerk_desk.services import audit
from clerk_desk.store.database import Database
from clerk_desk.store.models import Department, Setting, Site, User, UserService
from clerk_desk.sync.hub_client import HubClient

ETAG_KEY = "hub_users_etag"


def sync_users(db: Database, client: HubClient) -> int | None:
    """Fetch the directory if it changed; returns how many accounts were written (None: unchanged)."""
    with db.reading() as s:
        row = s.get(Setting, ETAG_KEY)
        etag = row.value if row else None
    body, new_etag = client.users(etag)
    if body is None:
        return None
    return apply_directory(db, body["users"], new_etag)


def apply_directory(db: Database, users: list[dict[str, Any]], etag: str | None) -> int:
    with db.transaction() as s:
        existing = {u.username: u for u in s.scalars(select(User))}
        seen = set()
        for entry in users:
            seen.add(entry["username"])
            u = existing.get(entry["username"])
            if u is None:
                u = User(username=entry["username"], display_name=entry["display_name"],
                         password_verifier=entry["verifier"], roles=list(entry["roles"]), source="hub")
                s.add(u)
            else:
                u.display_name, u.password_verifier, u.roles = entry["display_name"], entry["verifier"], list(
                    entry["roles"])
                u.source = "hub"
            u.active = bool(entry.get("active", True))
            u.serves = []
            s.flush()
            for pair in entry.get("serves", []):
                site, dept = pair["site_code"], pair["department_code"]
                if dept == "*" or s.get(Department, dept) is None:
                    continue
                if s.get(Site, site) is None:
                    s.add(Site(code=site, name=site))
                    s.flush()
                u.serves.append(UserService(site_code=site, department_code=dept))
        for name, u in existing.items():
            if u.source == "hub" and name not in seen:
                u.active = False
        row = s.get(Setting, ETAG_KEY)
        if row is None:
            s.add(Setting(key=ETAG_KEY, value=etag or ""))
        else:
            row.value = etag or ""
        audit.record(s, "directory_synced", None, accounts=len(users))
    return len(users)
