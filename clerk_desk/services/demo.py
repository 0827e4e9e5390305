"""The demo site: a township centre with the plan's five windows and one account per role.

Only ``--demo`` calls this, into its own data folder, so demo accounts never exist on a real site.
Passwords are random per demo folder and kept in ``demo-accounts.txt`` there so they can be shown again.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from pathlib import Path

from clerk_desk.domain.org import WindowKind
from clerk_desk.services import accounts, site_setup
from clerk_desk.store.database import Database

DEMO_SITE = ("421224100", "通山县通羊镇便民服务中心")
DEMO_DEVICE = "01"
DEMO_WINDOWS = (
    ("综合窗口（一）", WindowKind.COMPREHENSIVE, None),
    ("综合窗口（二）", WindowKind.COMPREHENSIVE, None),
    ("综合窗口（三）", WindowKind.COMPREHENSIVE, None),
    ("公安窗口", WindowKind.POLICE, "ga"),
    ("咨询服务窗口", WindowKind.CONSULTATION, None),
)
# username, name, roles, served departments (approver)
DEMO_USERS = (
    ("admin", "系统管理员", ["admin"], ()),
    ("clerk1", "张小红", ["clerk"], ()),
    ("clerk2", "李明", ["clerk"], ()),
    ("approver1", "王芳", ["approver"], ("rs", "yb", "mz")),
    ("manager", "陈大厅", ["supervisor", "clerk"], ()),
)
ACCOUNTS_FILE = "demo-accounts.txt"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    password: str
    roles: tuple[str, ...]


def _password() -> str:
    alphabet = string.ascii_lowercase + string.digits
    while True:
        pw = "demo-" + "".join(secrets.choice(alphabet) for _ in range(6))
        if any(c.isdigit() for c in pw):
            return pw


def ensure_demo_site(db: Database) -> list[DemoAccount]:
    """Create the demo site (and its demo catalog) once; return its accounts (read back on later starts)."""
    from clerk_desk.services.catalog_service import ensure_demo_catalog

    ensure_demo_catalog(db)  # a newer shipped demo catalog replaces an older one
    file = Path(db.data_dir) / ACCOUNTS_FILE
    if site_setup.site_info(db).demo and file.exists():
        return _read(file)
    site_setup.set_site(db, site_code=DEMO_SITE[0], site_name=DEMO_SITE[1], device_code=DEMO_DEVICE)
    site_setup.mark_demo(db)
    existing = {w.name for w in site_setup.list_windows(db, include_inactive=True)}
    for name, kind, dept in DEMO_WINDOWS:
        if name not in existing:
            site_setup.add_window(db, name=name, kind=kind.value, department_code=dept, actor="demo")
    made = []
    have = {u.username for u in accounts.list_users(db)}
    for username, display, roles, depts in DEMO_USERS:
        pw = _password()
        if username in have:
            accounts.reset_password(db, username, pw, actor="demo", must_change=False)
        else:
            accounts.add_user(
                db,
                username=username,
                display_name=display,
                password=pw,
                roles=list(roles),
                serves=[(DEMO_SITE[0], d) for d in depts],
                source="demo",
                actor="demo",
            )
        made.append(DemoAccount(username, display, pw, tuple(roles)))
    file.write_text("".join(f"{a.username}\t{a.password}\t{a.display_name}\t{','.join(a.roles)}\n" for a in made))
    return made


def _read(file: Path) -> list[DemoAccount]:
    out = []
    for line in file.read_text().splitlines():
        username, pw, display, roles = line.split("\t")
        out.append(DemoAccount(username, display, pw, tuple(roles.split(","))))
    return out
