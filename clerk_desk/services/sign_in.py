"""Sign-in: who may use the desk, the password check, and the lockout after repeated failures.

Plain SQL (Database.plain_reading / plain_transaction), no ORM: sign-in is on the start-up path, which
must not wait for SQLAlchemy to load (store/sqlite_file.py). Accounts are managed in accounts.py.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from clerk_desk.domain import passwords
from clerk_desk.domain.errors import AuthError
from clerk_desk.domain.org import ROLE_ZH, Role
from clerk_desk.store.database import Database
from clerk_desk.store.sqlite_file import from_db, json_from_db, json_to_db, to_db

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)


@dataclass(frozen=True)
class UserInfo:
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


def _audit(c: sqlite3.Connection, action: str, actor: str) -> None:
    c.execute(
        "INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)",
        (to_db(datetime.now(UTC)), actor, action, json_to_db({})),
    )


def authenticate(db: Database, username: str, password: str, *, now: datetime | None = None) -> UserInfo:
    """Check a password; 5 failures in a row lock the account for 15 minutes (recorded in the audit log)."""
    now = now or datetime.now(UTC)
    name = username.strip()
    with db.plain_reading() as c:
        found = c.execute("SELECT password_verifier, active, locked_until FROM users WHERE username = ?",
                          (name,)).fetchone()  # fmt: skip
    if found is None or not found["active"]:
        passwords.verify_password(password, passwords.hash_password("x-timing-equaliser1"))
        raise AuthError("用户名或密码不正确")
    locked_until = from_db(found["locked_until"])
    if locked_until and locked_until > now:
        minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
        raise AuthError(f"连续输错密码次数过多，账户已锁定，请 {minutes} 分钟后再试或请管理员重置密码")
    ok = passwords.verify_password(password, found["password_verifier"] or "")  # slow on purpose: no lock held
    with db.plain_transaction() as c:
        row = c.execute("SELECT * FROM users WHERE username = ?", (name,)).fetchone()
        if row is None:  # removed while the password was being checked
            raise AuthError("用户名或密码不正确")
        if ok:
            verifier = row["password_verifier"]
            if passwords.needs_rehash(verifier):
                verifier = passwords.hash_password(password)
            c.execute("UPDATE users SET failed_logins = 0, locked_until = NULL, password_verifier = ? WHERE id = ?",
                      (verifier, row["id"]))  # fmt: skip
            _audit(c, "login", row["username"])
            return _user_info(c, c.execute("SELECT * FROM users WHERE id = ?", (row["id"],)).fetchone())
        failed = row["failed_logins"] + 1
        left = MAX_FAILED_LOGINS - failed
        if left <= 0:
            c.execute("UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?",
                      (to_db(now + LOCKOUT), row["id"]))  # fmt: skip
            _audit(c, "locked", row["username"])
            msg = f"连续输错密码 {MAX_FAILED_LOGINS} 次，账户已锁定 {int(LOCKOUT.total_seconds() // 60)} 分钟"
        else:
            c.execute("UPDATE users SET failed_logins = ? WHERE id = ?", (failed, row["id"]))
            _audit(c, "login_failed", row["username"])
            msg = f"用户名或密码不正确（再输错 {left} 次将锁定账户）"
    raise AuthError(msg)
