"""Site set-up: the township centre, its windows, this device. Used by the CLI and the admin screens."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.domain.errors import InputError, NotFound
from clerk_desk.domain.org import DEPARTMENTS, WINDOW_KIND_ZH, WindowKind
from clerk_desk.domain.routing import POLICE_DEPARTMENT
from clerk_desk.services import audit
from clerk_desk.services.workplace import IDLE_LOCK_MAX_MINUTES, SiteInfo, WindowInfo, list_windows, site_info
from clerk_desk.store.database import Database
from clerk_desk.store.models import Department, Device, Setting, Site, Window

__all__ = ["SiteInfo", "WindowInfo", "list_windows", "site_info"]
SITE_CODE_RE = re.compile(r"^[A-Z0-9]{3,12}$")
DEVICE_CODE_RE = re.compile(r"^[A-Z0-9]{2,4}$")


def _get_setting(session: Session, key: str) -> str | None:
    row = session.get(Setting, key)
    return row.value if row else None


def _put_setting(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row:
        row.value = value
    else:
        session.add(Setting(key=key, value=value))


def ensure_departments(session: Session) -> None:
    existing = set(session.scalars(select(Department.code)))
    for order, (code, name) in enumerate(DEPARTMENTS):
        if code not in existing:
            session.add(Department(code=code, name=name, sort_order=order))


def set_site(
    db: Database, *, site_code: str, site_name: str, device_code: str, mode: str = "clerk", actor: str | None = None,
    idle_lock_minutes: int | None = None,
) -> SiteInfo:
    """Set the centre and this PC; ``idle_lock_minutes`` (0: never) changes the screen lock when given."""
    site_code, device_code = site_code.strip().upper(), device_code.strip().upper()
    if not SITE_CODE_RE.match(site_code):
        raise InputError("中心编码应为 3-12 位大写字母或数字，例如行政区划代码 421224100")
    if not site_name.strip():
        raise InputError("请填写中心名称")
    if not DEVICE_CODE_RE.match(device_code):
        raise InputError("本机编号应为 2-4 位大写字母或数字，例如 03")
    if mode not in ("clerk", "approver"):
        raise InputError("模式只能是 clerk（窗口）或 approver（后台审批）")
    if idle_lock_minutes is not None and not 0 <= idle_lock_minutes <= IDLE_LOCK_MAX_MINUTES:
        raise InputError(f"自动锁屏时间应为 0-{IDLE_LOCK_MAX_MINUTES} 分钟（0 表示不自动锁屏）")
    with db.transaction() as s:
        ensure_departments(s)
        old_device = _get_setting(s, "device_code")
        if old_device and old_device != device_code and s.get(Device, old_device).case_seq > 0:  # type: ignore[union-attr]
            # Case numbers embed the device code; changing it after issuing numbers would confuse people.
            raise InputError(f"本机已用编号 {old_device} 出具过办件编号，不能再改为 {device_code}")
        site = s.get(Site, site_code)
        if site:
            site.name = site_name.strip()
        else:
            s.add(Site(code=site_code, name=site_name.strip()))
        s.flush()
        dev = s.get(Device, device_code)
        if dev is None:
            s.add(Device(code=device_code, site_code=site_code, mode=mode, is_local=True))
        else:
            dev.site_code, dev.mode, dev.is_local = site_code, mode, True
        _put_setting(s, "site_code", site_code)
        _put_setting(s, "device_code", device_code)
        _put_setting(s, "mode", mode)
        lock = {}
        if idle_lock_minutes is not None:
            _put_setting(s, "idle_lock_minutes", str(idle_lock_minutes))
            lock["idle_lock_minutes"] = idle_lock_minutes
        audit.record(s, "site_set", actor, site_code=site_code, device_code=device_code, mode=mode, **lock)
    return site_info(db)


def mark_demo(db: Database) -> None:
    with db.transaction() as s:
        _put_setting(s, "demo", "1")


def departments(db: Database) -> list[tuple[str, str]]:
    with db.reading() as s:
        return [(d.code, d.name) for d in s.scalars(select(Department).order_by(Department.sort_order))]


WINDOW_NAME_MAX = 64


def add_window(
    db: Database,
    *,
    name: str,
    kind: str,
    department_code: str | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    items: tuple[str, ...] | list[str] = (),
    actor: str | None = None,
) -> WindowInfo:
    name = name.strip()
    codes = sorted({c.strip() for c in items if c.strip()})
    if not name:
        raise InputError("请填写窗口名称")
    if len(name) > WINDOW_NAME_MAX or not name.isprintable():
        # the county hub registers a site's windows by name, 1-64 printable characters (county_hub/windows.py):
        # a longer one could not be registered, and the hub then refuses every intake made at that window
        raise InputError(f"窗口名称最多 {WINDOW_NAME_MAX} 个字，且不能含换行、制表符等控制字符（现为 {len(name)} 个字）")
    try:
        wk = WindowKind(kind)
    except ValueError:
        kinds = "、".join(f"{k.value}（{v}）" for k, v in WINDOW_KIND_ZH.items())
        raise InputError(f"窗口类型无效：{kind}。可选：{kinds}") from None
    if wk is WindowKind.POLICE:
        department_code = department_code or POLICE_DEPARTMENT
    if wk is WindowKind.DEPARTMENT and not department_code:
        raise InputError("部门专窗需要指定部门")
    if wk is WindowKind.TIDAL and not (valid_from and valid_to):
        raise InputError("潮汐窗口需要填写开放的起止日期")
    if wk is WindowKind.TIDAL and not codes:
        raise InputError("潮汐窗口需要指定它受理的事项（事项编码）")
    if codes and wk not in (WindowKind.TIDAL, WindowKind.DEPARTMENT):
        raise InputError("只有潮汐窗口和部门专窗可以指定事项")
    if valid_from and valid_to and valid_to < valid_from:
        raise InputError("结束日期不能早于开始日期")
    with db.transaction() as s:
        site_code = _get_setting(s, "site_code")
        if not site_code:
            raise NotFound("请先设置本中心（site set）再添加窗口")
        if department_code and s.get(Department, department_code) is None:
            raise InputError(f"没有编码为 {department_code} 的部门")
        if s.scalar(select(Window).where(Window.site_code == site_code, Window.name == name)):
            raise InputError(f"已有名为“{name}”的窗口")
        count = len(list(s.scalars(select(Window.id))))
        w = Window(
            site_code=site_code,
            name=name,
            kind=wk.value,
            department_code=department_code,
            valid_from=valid_from,
            valid_to=valid_to,
            items=codes,
            sort_order=count,
        )
        s.add(w)
        s.flush()
        audit.record(s, "window_added", actor, name=name, kind=wk.value, items=codes)
        window_id = w.id
    return next(w for w in list_windows(db, include_inactive=True) if w.id == window_id)


def set_window_active(db: Database, window_id: str, active: bool, actor: str | None = None) -> None:
    with db.transaction() as s:
        w = s.get(Window, window_id)
        if w is None:
            raise NotFound("窗口不存在")
        w.active = active
        audit.record(s, "window_active", actor, name=w.name, active=active)
