"""The demo site: a township centre with the plan's five kinds of window and one account per role, and a
second demo PC for the back office.

Only ``--demo`` calls this, into its own data folder, so demo accounts never exist on a real site.
Passwords are random per demo folder and kept in ``demo-accounts.txt`` there so they can be shown again.

The windows route as the plan says (domain/routing.py): three 综合窗口, the 公安窗口, a 自然资源专窗 keeping
its department's items, a 潮汐窗口 for the 医保 contribution season and the 咨询服务窗口. The demo PC is a
window PC; the approver demo PC (:func:`ensure_demo_approver_pc`, ``scripts/demo.sh --approver``) is a
folder of its own, device 02 in approver mode, with the same accounts, so ``approver1`` can act there.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import date
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
# Added to the plan's five (older demo folders get them on their next start): a 部门专窗 keeping all of
# 自然资源's items (plan 二(三): a department whose data is not yet shared), and a 潮汐窗口 for the 医保
# contribution season with the two 医保 items it takes.
DEPARTMENT_WINDOW = ("自然资源专窗", "zrzy")
TIDAL_WINDOW = ("潮汐窗口（医保缴费季）", ("LOCAL-YB-ea70fa87", "LOCAL-YB-396be883"))
APPROVER_FOLDER = "approver-pc"
APPROVER_DEVICE = "02"


def tidal_season(today: date) -> tuple[date, date]:
    """The 医保 contribution season around ``today``: 1 September to the end of February (the next one when
    ``today`` falls between seasons, so the window shows as not yet open)."""
    start_year = today.year if today.month >= 9 else today.year - 1 if today.month <= 2 else today.year
    end = date(start_year + 1, 3, 1).toordinal() - 1
    return date(start_year, 9, 1), date.fromordinal(end)
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
    info = site_setup.site_info(db)
    if info.demo and file.exists():
        if info.mode == "clerk":
            add_demo_windows(db)  # windows a newer demo has
        return _read(file)
    site_setup.set_site(db, site_code=DEMO_SITE[0], site_name=DEMO_SITE[1], device_code=DEMO_DEVICE)
    site_setup.mark_demo(db)
    add_demo_windows(db)
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


def add_demo_windows(db: Database, today: date | None = None) -> None:
    """The demo windows the folder lacks (by name)."""
    existing = {w.name for w in site_setup.list_windows(db, include_inactive=True)}
    for name, kind, dept in DEMO_WINDOWS:
        if name not in existing:
            site_setup.add_window(db, name=name, kind=kind.value, department_code=dept, actor="demo")
    name, dept = DEPARTMENT_WINDOW
    if name not in existing:
        site_setup.add_window(db, name=name, kind=WindowKind.DEPARTMENT.value, department_code=dept, actor="demo")
    name, items = TIDAL_WINDOW
    if name not in existing:
        start, end = tidal_season(today or date.today())
        site_setup.add_window(db, name=name, kind=WindowKind.TIDAL.value, valid_from=start, valid_to=end,
                              items=items, actor="demo")


def ensure_demo_approver_pc(db: Database, accounts_: list[DemoAccount]) -> None:
    """The back office's demo PC in its own folder: the demo site, device 02 in approver mode, the demo
    catalog, and the window PC's demo accounts with the same passwords (so the sign-in works before the
    first sync brings the hub's directory). Does nothing to a folder already made."""
    from clerk_desk.services.catalog_service import ensure_demo_catalog

    ensure_demo_catalog(db)
    file = Path(db.data_dir) / ACCOUNTS_FILE
    if site_setup.site_info(db).demo and file.exists():
        return
    site_setup.set_site(db, site_code=DEMO_SITE[0], site_name=DEMO_SITE[1], device_code=APPROVER_DEVICE,
                        mode="approver")
    site_setup.mark_demo(db)
    have = {u.username for u in accounts.list_users(db)}
    served = {username: depts for username, _n, _r, depts in DEMO_USERS}
    for a in accounts_:
        if a.username not in have:
            accounts.add_user(db, username=a.username, display_name=a.display_name, password=a.password,
                              roles=list(a.roles), serves=[(DEMO_SITE[0], d) for d in served.get(a.username, ())],
                              source="demo", actor="demo")
    file.write_text("".join(f"{a.username}\t{a.password}\t{a.display_name}\t{','.join(a.roles)}\n"
                            for a in accounts_))


def _read(file: Path) -> list[DemoAccount]:
    out = []
    for line in file.read_text().splitlines():
        username, pw, display, roles = line.split("\t")
        out.append(DemoAccount(username, display, pw, tuple(roles.split(","))))
    return out
