"""The hub's user directory, copied locally so clerks can sign in while the link is down.

Only verifiers travel (never passwords). Accounts that came from the hub (``source = "hub"``) follow the
hub: new ones are added, changed ones updated, one that disappears or is disabled is deactivated. An
account created on this PC (``source = "local"``) is never taken over by a hub entry of the same name:
it keeps its source, verifier, display name, roles and state, so a hub (or something posing as one)
cannot replace the local admin's password. A demo desk's fixture accounts (``demo``, only on a desk
marked demo) are the hub's to take: the demo hub registers the same accounts (scripts/demo_hub.py). Such a clash is written to the audit log once and shown
to the clerk once (ui/sync/desk_sync.py); the hub account of that name cannot sign in on this PC until
county IT resolves it. Local counters (failed logins, lock-out) are kept: they protect this PC.
Entries that are not well formed are skipped (logged, never shown: they may carry anything).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.domain.org import Role
from clerk_desk.services import audit
from clerk_desk.store.database import Database
from clerk_desk.store.models import Department, Setting, Site, User, UserService, utcnow
from clerk_desk.sync.hub_client import HubClient

log = logging.getLogger(__name__)

ETAG_KEY = "hub_users_etag"
CLASHES_KEY = "hub_directory_clashes"  # {username: {"since": iso time, "shown": bool}}
ROLES = {r.value for r in Role}
ADOPTABLE = ("hub", "demo")  # sources a hub entry of the same name may update (never "local")


def sync_users(db: Database, client: HubClient) -> int | None:
    """Fetch the directory if it changed; returns how many accounts were written (None: unchanged)."""
    with db.reading() as s:
        row = s.get(Setting, ETAG_KEY)
        etag = row.value if row else None
    body, new_etag = client.users(etag)
    if body is None:
        return None
    return apply_directory(db, body["users"], new_etag)


def _text(value: object, longest: int) -> bool:
    return isinstance(value, str) and 0 < len(value) <= longest and value.isprintable()


def _well_formed(entry: object) -> dict[str, Any] | None:
    """The entry with its roles narrowed to known ones, or None when it cannot be used."""
    if not isinstance(entry, dict):
        return None
    if not (_text(entry.get("username"), 64) and _text(entry.get("display_name"), 64)
            and _text(entry.get("verifier"), 200)):
        return None
    roles, serves = entry.get("roles"), entry.get("serves", [])
    if not isinstance(roles, list) or not isinstance(serves, list):
        return None
    known = [r for r in roles if isinstance(r, str) and r in ROLES]  # none: an account without a role now
    pairs = [p for p in serves if isinstance(p, dict) and _text(p.get("site_code"), 32)
             and _text(p.get("department_code"), 32)]
    if len(pairs) != len(serves):
        return None
    return {**entry, "roles": known, "serves": pairs}


def _clashes(s: Session) -> dict[str, dict[str, Any]]:
    row = s.get(Setting, CLASHES_KEY)
    try:
        found = json.loads(row.value) if row and row.value else {}
    except ValueError:
        found = {}
    return found if isinstance(found, dict) else {}


def _put(s: Session, key: str, value: str) -> None:
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=value))
    else:
        row.value = value


def apply_directory(db: Database, users: list[Any], etag: str | None) -> int:
    with db.transaction() as s:
        existing = {u.username: u for u in s.scalars(select(User))}
        known_clashes = _clashes(s)
        clashes: dict[str, dict[str, Any]] = {}
        seen: set[str] = set()
        skipped = 0
        for raw in users:
            entry = _well_formed(raw)
            if entry is None or entry["username"] in seen:
                skipped += 1
                continue
            name = entry["username"]
            seen.add(name)
            u = existing.get(name)
            if u is not None and u.source not in ADOPTABLE:
                # Created on this PC: it stays as it is (see the module's note).
                clashes[name] = known_clashes.get(name) or {"since": utcnow().isoformat(), "shown": False}
                if name not in known_clashes:
                    audit.record(s, "directory_clash", None, username=name, local_source=u.source)
                    log.warning("hub directory names a local account %r: the local account is kept", name)
                continue
            if u is None:
                u = User(username=name, display_name=entry["display_name"], password_verifier=entry["verifier"],
                         roles=list(entry["roles"]), source="hub")
                s.add(u)
            else:
                u.display_name, u.password_verifier, u.roles = entry["display_name"], entry["verifier"], list(
                    entry["roles"])
                u.source = "hub"  # a demo fixture account becomes the hub's
            u.active = entry.get("active", True) is not False
            u.serves = []
            s.flush()
            for pair in entry["serves"]:
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
        if skipped:
            log.warning("hub directory: %d entries were not well formed and were skipped", skipped)
        _put(s, CLASHES_KEY, json.dumps(clashes, ensure_ascii=False))
        _put(s, ETAG_KEY, etag or "")
        audit.record(s, "directory_synced", None, accounts=len(seen), skipped=skipped, clashes=sorted(clashes))
    return len(seen)


def clashes_to_show(db: Database) -> list[str]:
    """Local account names the hub's directory also names, not yet shown to anyone on this PC."""
    with db.reading() as s:
        return sorted(name for name, c in _clashes(s).items() if not c.get("shown"))


def mark_shown(db: Database, names: list[str]) -> None:
    with db.transaction() as s:
        clashes = _clashes(s)
        for name in names:
            if name in clashes:
                clashes[name]["shown"] = True
        _put(s, CLASHES_KEY, json.dumps(clashes, ensure_ascii=False))
