"""Where the desk runs: the site and device settings and the windows, read with plain SQL.

These feed the sign-in dialog (with its window list), which is on the start-up path and must not
wait for SQLAlchemy to load (store/sqlite_file.py). They are changed through site_setup.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from clerk_desk.domain.org import WINDOW_KIND_ZH, WindowKind
from clerk_desk.domain.routing import WindowRoute
from clerk_desk.store.database import Database
from clerk_desk.store.sqlite_file import date_from_db

# The screen locks after this many minutes without keyboard or mouse input (docs/ui.md); 0: never.
IDLE_LOCK_DEFAULT_MINUTES = 5
IDLE_LOCK_MAX_MINUTES = 240


@dataclass(frozen=True)
class SiteInfo:
    """This desk's site, its mode (a hall PC or a back-office one) and its idle-lock time."""

    site_code: str | None
    site_name: str | None
    device_code: str | None
    mode: str
    demo: bool
    idle_lock_minutes: int = IDLE_LOCK_DEFAULT_MINUTES


@dataclass(frozen=True)
class WindowInfo:
    """A window of the hall as the sign-in dialog lists it, with the dates it is open."""

    id: str
    name: str
    kind: str
    kind_zh: str
    department_code: str | None
    department_name: str | None
    valid_from: date | None
    valid_to: date | None
    active: bool
    items: tuple[str, ...] = ()  # named for it: a 潮汐窗口 takes them, a 部门专窗 keeps them

    def route(self) -> WindowRoute:
        return WindowRoute(self.name, WindowKind(self.kind), self.department_code, self.items,
                           self.valid_from, self.valid_to, self.active)

    @property
    def label(self) -> str:
        """How the window is named on screen: its name, and its department when the name does not say it."""
        extra = self.department_name if self.department_name and self.department_name not in self.name else ""
        return f"{self.name}（{extra}）" if extra else self.name

    def open_on(self, day: date) -> bool:
        """A tidal window exists only inside its date range; others while active."""
        if not self.active:
            return False
        return not ((self.valid_from and day < self.valid_from) or (self.valid_to and day > self.valid_to))


def site_info(db: Database) -> SiteInfo:
    with db.plain_reading() as c:
        settings = dict(c.execute(
            "SELECT key, value FROM settings"
            " WHERE key IN ('site_code', 'device_code', 'mode', 'demo', 'idle_lock_minutes')"
        ).fetchall())  # fmt: skip
        code = settings.get("site_code")
        site = c.execute("SELECT name FROM sites WHERE code = ?", (code,)).fetchone() if code else None
    return SiteInfo(
        site_code=code,
        site_name=site["name"] if site else None,
        device_code=settings.get("device_code"),
        mode=settings.get("mode") or "clerk",
        demo=settings.get("demo") == "1",
        idle_lock_minutes=idle_lock_minutes(settings.get("idle_lock_minutes")),
    )


def idle_lock_minutes(stored: str | None) -> int:
    """The stored setting, or the default when it is missing or not a sane number of minutes."""
    try:
        minutes = int(stored) if stored is not None else IDLE_LOCK_DEFAULT_MINUTES
    except ValueError:
        return IDLE_LOCK_DEFAULT_MINUTES
    return minutes if 0 <= minutes <= IDLE_LOCK_MAX_MINUTES else IDLE_LOCK_DEFAULT_MINUTES


def list_windows(db: Database, *, include_inactive: bool = False) -> list[WindowInfo]:
    sql = (
        "SELECT w.id, w.name, w.kind, w.department_code, d.name AS department_name, w.valid_from, w.valid_to,"
        " w.active, w.items FROM windows AS w LEFT JOIN departments AS d ON d.code = w.department_code"
        + ("" if include_inactive else " WHERE w.active = 1")
        + " ORDER BY w.sort_order, w.name"
    )
    with db.plain_reading() as c:
        rows = c.execute(sql).fetchall()
    return [
        WindowInfo(
            r["id"], r["name"], WindowKind(r["kind"]).value, WINDOW_KIND_ZH[WindowKind(r["kind"])],
            r["department_code"], r["department_name"], date_from_db(r["valid_from"]),
            date_from_db(r["valid_to"]), bool(r["active"]), _codes(r["items"]),
        )
        for r in rows
    ]


def _codes(stored: str | None) -> tuple[str, ...]:
    try:
        codes = json.loads(stored or "[]")
    except ValueError:
        return ()
    return tuple(str(c) for c in codes) if isinstance(codes, list) else ()


def window_routes(db: Database) -> list[WindowRoute]:
    """Every window of the site (stopped ones too: routing skips them) as routing sees it."""
    return [w.route() for w in list_windows(db, include_inactive=True)]
