"""Sign-in: who may use the desk, the password check, and the lockout after repeated failures.

Plain SQL (Database.plain_reading / plain_transaction), no ORM: sign-in is on the start-up path, which
must not wait for SQLAlchemy to load (store/sqlite_file.py). Accounts are managed in accounts.py.

Two rules for a PC at a public counter (docs/personal-data.md, "Sign-in"):
- A failed sign-in never tells whether the user name exists: an unknown name, a disabled account, a
  wrong password and a locked account (with a wrong password) get the same message after the same work
  (one scrypt check, against a dummy verifier for an unknown name, and one small write).
- The lockout is counted on the time since boot (services/boot_clock.py), never on the wall clock:
  moving the PC's clock does not shorten it. After a reboot it starts again from the first attempt
  seen. ``locked_until`` only says that the account is locked (and, for people, about when it ends);
  an administrator unlocks by resetting the password.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from clerk_desk.domain import passwords
from clerk_desk.domain.errors import AuthError
from clerk_desk.domain.org import ROLE_ZH, Role
from clerk_desk.services import boot_clock
from clerk_desk.services.boot_clock import BootReading
from clerk_desk.store import audit_chain
from clerk_desk.store.database import Database
from clerk_desk.store.sqlite_file import from_db, json_from_db, to_db

if TYPE_CHECKING:
    from clerk_desk.services.early_digest import EarlyDigest

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
FAILED = f"用户名或密码不正确（连续输错 {MAX_FAILED_LOGINS} 次将锁定账户 {int(LOCKOUT.total_seconds() // 60)} 分钟）"
# Checked for an unknown user name so that it costs what a wrong password costs. Its parameters must be
# the current ones (tests/services/test_sign_in.py checks needs_rehash); nobody knows its password.
DUMMY_VERIFIER = "scrypt$16384$8$1$q4sH+dg8l3u/YGzV+iyk2w==$nI2xru1+dTkdYCuqBv4ox7aZIHNi95qVP9cEgMh9PoE="


@dataclass(frozen=True)
class UserInfo:
    """A desk account as sign-in and the screens read it (no password verifier)."""

    id: str
    username: str
    display_name: str
    roles: tuple[str, ...]
    active: bool
    locked_until: datetime | None
    must_change_password: bool
    serves: tuple[tuple[str, str], ...]  # (site_code, department_code)
    source: str

    def has(self, role: Role | str) -> bool:
        return Role(role).value in self.roles

    @property
    def roles_zh(self) -> str:
        return "、".join(ROLE_ZH[Role(r)] for r in self.roles)


def has_users(db: Database) -> bool:
    with db.plain_reading() as c:
        return c.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None


def _verifier(db: Database, name: str) -> str | None:
    with db.plain_reading() as c:
        found = c.execute("SELECT password_verifier FROM users WHERE username = ?", (name,)).fetchone()
    return (found["password_verifier"] or None) if found is not None else None


def verifier_for(db: Database, username: str) -> str:
    """The verifier the check compares a password with: the account's, or the dummy one for an unknown name."""
    return _verifier(db, username.strip()) or DUMMY_VERIFIER


def _user_info(c: sqlite3.Connection, row: sqlite3.Row) -> UserInfo:
    serves = c.execute(
        "SELECT site_code, department_code FROM user_services WHERE user_id = ? ORDER BY site_code, department_code",
        (row["id"],),
    ).fetchall()
    return UserInfo(
        row["id"],
        row["username"],
        row["display_name"],
        tuple(json_from_db(row["roles"], [])),
        bool(row["active"]),
        from_db(row["locked_until"]),
        bool(row["must_change_password"]),
        tuple((s[0], s[1]) for s in serves),
        row["source"],
    )


@dataclass(frozen=True)
class _Lock:
    """The lockout as this attempt sees it."""

    locked: bool
    remaining: timedelta
    boot_id: str | None  # what to store: the boot the countdown is counted in
    boot_at: float | None


def _lock_state(row: sqlite3.Row | None, reading: BootReading) -> _Lock:
    if row is None or row["locked_until"] is None:
        return _Lock(False, timedelta(0), None, None)
    started = row["lock_boot_at"]
    if row["lock_boot_id"] != reading.boot_id or started is None or started > reading.seconds:
        # Locked in another boot (or before the lockout was counted this way): count from now.
        return _Lock(True, LOCKOUT, reading.boot_id, reading.seconds)
    remaining = LOCKOUT - timedelta(seconds=reading.seconds - started)
    if remaining <= timedelta(0):
        return _Lock(False, timedelta(0), None, None)
    return _Lock(True, remaining, row["lock_boot_id"], started)


def authenticate(
    db: Database,
    username: str,
    password: str,
    *,
    now: datetime | None = None,
    boot: Callable[[], BootReading] = boot_clock.read,
    meanwhile: Callable[[], None] | None = None,
    early: EarlyDigest | None = None,
) -> UserInfo:
    """Check a password; 5 failures in a row lock the account for 15 minutes of time since boot.

    ``now`` is the wall clock, used only for what is written down (audit times, the ``locked_until``
    shown to people); ``boot`` is the clock the lockout is counted on. ``meanwhile`` is called as the slow
    part begins (scrypt, which lets go of Python's interpreter lock): what it starts runs beside the check.
    ``early`` holds the scrypt worked out while the password was typed (services/early_digest.py)."""
    name = username.strip()
    found = _verifier(db, name)
    if meanwhile is not None:
        meanwhile()
    # The same work whether or not the name exists: slow on purpose, and no lock is held meanwhile.
    verifier = found or DUMMY_VERIFIER
    derived = early.take(name, password, verifier) if early is not None else None
    ok = passwords.verify_password(password, verifier, derived=derived)
    now = now or datetime.now(UTC)
    reading = boot()
    keys = db.keys
    with db.plain_transaction() as c:
        row = c.execute("SELECT * FROM users WHERE username = ?", (name,)).fetchone()
        lock = _lock_state(row, reading)
        if row is not None and row["active"] and ok and found is not None and not lock.locked:
            verifier = row["password_verifier"]
            if passwords.needs_rehash(verifier):
                verifier = passwords.hash_password(password)
            c.execute("UPDATE users SET failed_logins = 0, locked_until = NULL, lock_boot_id = NULL,"
                      " lock_boot_at = NULL, password_verifier = ? WHERE id = ?", (verifier, row["id"]))  # fmt: skip
            audit_chain.append(c, keys, now, row["username"], "login", {})
            return _user_info(c, c.execute("SELECT * FROM users WHERE id = ?", (row["id"],)).fetchone())
        # Every failure takes this one path: one update (of no row for an unknown name) and one audit entry.
        failed = (row["failed_logins"] if row is not None else 0) + 1
        action, detail = "login_failed", {}
        if row is None:
            detail = {"unknown_user": name[:64]}
        elif not row["active"]:
            action = "login_failed_inactive"
        elif lock.locked:
            action, failed = "login_refused_locked", 0
        elif failed >= MAX_FAILED_LOGINS:
            lock = _Lock(True, LOCKOUT, reading.boot_id, reading.seconds)
            action, failed = "locked", 0
        c.execute(
            "UPDATE users SET failed_logins = ?, locked_until = ?, lock_boot_id = ?, lock_boot_at = ? WHERE id = ?",
            (failed, to_db(now + lock.remaining) if lock.locked else None, lock.boot_id, lock.boot_at,
             row["id"] if row is not None else ""),
        )
        audit_chain.append(c, keys, now, row["username"] if row is not None else None, action, detail)
    if lock.locked and ok and row is not None and row["active"]:
        # Only someone who knows the password learns that the account exists and is locked.
        minutes = max(1, int(lock.remaining.total_seconds() // 60) + 1)
        raise AuthError(f"连续输错密码次数过多，账户已锁定，请 {minutes} 分钟后再试或请管理员重置密码")
    raise AuthError(FAILED)
