"""The window directory: each site's windows as county IT registered them (docs/hub.md, "Window directory").

The hub does not trust the window an intake event says it came from. County IT registers the windows of a
site at the hub (``county-hub window add / end / list``), or imports the list the site's admin desk exports
(``clerk-desk window export`` -> ``county-hub window import``): for each window its kind, its department
(部门专窗), its named items (a 潮汐窗口 takes them, a 部门专窗 keeps them), its dates (潮汐窗口), and the PCs
that work it (none named: any PC of the site). Like role grants (county_hub.grants) nothing is deleted: a
window taken out of use gets ``ended_at``, and an event made before that stays valid. Every change is in
the audit trail.

Once a site has a window in the directory, an intake event of that site is judged by the directory
(county_hub.admission.refuse_route): the window it names must be registered, open when the event
happened, worked by the pushing PC, and take the item by the routing rules (clerk_desk/domain/routing.py)
with the 部门专窗 of the directory keeping their items. A site without any (a hub before the directory)
is judged by the facts the event carries, as before.

The item's department is checked against the catalogs the hub published (:func:`catalog_departments`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from clerk_desk.domain.org import WINDOW_KIND_ZH, WindowKind
from clerk_desk.domain.routing import WindowRoute
from county_hub import audit
from county_hub.admission import RegisteredWindow, RouteFacts
from county_hub.devices import AdminError, check_code
from county_hub.models import HubWindow, Publication, Site, utcnow
from county_hub.schemas import iso_utc

MAX_ITEMS = 500


def _kind(text: str) -> WindowKind:
    try:
        return WindowKind(text)
    except ValueError:
        kinds = "、".join(f"{k.value}（{WINDOW_KIND_ZH[k]}）" for k in WindowKind)
        raise AdminError(f"窗口类型须为以下之一：{kinds}") from None


def _check(name: str, kind: WindowKind, department: str | None, items: Sequence[str],
           valid_from: date | None, valid_to: date | None) -> None:  # fmt: skip
    if not name.strip() or len(name) > 64 or any(ord(c) < 32 for c in name):
        raise AdminError("窗口名称须为 1-64 个可显示的字符")
    if kind is WindowKind.DEPARTMENT and not department:
        raise AdminError("部门专窗须用 --department 部门代码 给出所属部门")
    if department:
        check_code(department, "部门代码")
    if kind is WindowKind.TIDAL and not items:
        raise AdminError("潮汐窗口须用 --items 事项编码 … 给出它受理的事项")
    if len(items) > MAX_ITEMS or any(not i or len(i) > 64 for i in items):
        raise AdminError(f"事项编码最多 {MAX_ITEMS} 个，每个 1-64 个字符")
    if valid_from and valid_to and valid_to < valid_from:
        raise AdminError("窗口的最后一天（--to）不能早于第一天（--from）")


def put(
    conn: Connection,
    site_code: str,
    name: str,
    kind: str,
    *,
    department_code: str | None = None,
    items: Sequence[str] = (),
    valid_from: date | None = None,
    valid_to: date | None = None,
    devices: Sequence[str] = (),
    actor: str = "admin",
) -> None:
    """Register the window ``name`` of the site, or change it (a window ended before is in use again)."""
    wk = _kind(kind)
    name = name.strip()
    items = list(dict.fromkeys(i.strip() for i in items if i.strip()))
    devices = list(dict.fromkeys(d.strip() for d in devices if d.strip()))
    _check(name, wk, department_code, items, valid_from, valid_to)
    for d in devices:
        check_code(d, "设备编号")
    if not conn.execute(select(Site.code).where(Site.code == site_code)).first():
        raise AdminError(f"没有服务中心 {site_code}：请先用 county-hub site add 添加，或改正代码（county-hub site list）")
    values: dict[str, Any] = dict(
        kind=wk.value, department_code=department_code or None, items=items, valid_from=valid_from,
        valid_to=valid_to, devices=devices, ended_at=None, updated_at=utcnow(), updated_by=actor[:200],
    )  # fmt: skip
    where = (HubWindow.site_code == site_code) & (HubWindow.name == name)
    if conn.execute(select(HubWindow.id).where(where)).first():
        conn.execute(update(HubWindow).where(where).values(**values))
        action = "window_changed"
    else:
        conn.execute(insert(HubWindow).values(site_code=site_code, name=name, **values))
        action = "window_added"
    audit.record(
        conn, action, actor, f"{site_code}:{name}", kind=wk.value, department=department_code, items=items,
        valid_from=valid_from.isoformat() if valid_from else None,
        valid_to=valid_to.isoformat() if valid_to else None, devices=devices,
    )  # fmt: skip


def end(
    conn: Connection, site_code: str, name: str, at: datetime | None = None, actor: str = "admin"
) -> None:
    """Take the window out of use from ``at`` (default now): later intake events naming it are refused."""
    when = at or utcnow()
    where = (HubWindow.site_code == site_code) & (HubWindow.name == name) & HubWindow.ended_at.is_(None)
    if conn.execute(update(HubWindow).where(where).values(ended_at=when, updated_at=utcnow(),
                                                         updated_by=actor[:200])).rowcount != 1:  # fmt: skip
        raise AdminError(
            f"服务中心 {site_code} 没有在用的窗口「{name}」（可能已停用或名称有误）：请用 county-hub window list "
            f"--site {site_code} 查看"
        )
    audit.record(conn, "window_ended", actor, f"{site_code}:{name}", at=iso_utc(when))


def import_site(
    conn: Connection, site_code: str, data: Mapping[str, Any], actor: str = "admin"
) -> tuple[int, int]:
    """Make the site's directory what the admin desk exported (``clerk-desk window export``): every window
    of the file registered as it says, the site's other windows ended. Returns (registered, ended)."""
    if data.get("format") != "clerk-desk-windows" or not isinstance(data.get("windows"), list):
        raise AdminError("文件不是 clerk-desk window export 导出的窗口清单（format 应为 clerk-desk-windows）")
    if data.get("site_code") not in (None, site_code):
        raise AdminError(
            f"文件中是服务中心 {data.get('site_code')} 的窗口，不是 {site_code} 的：请核对 --site 或所选文件"
        )
    names = []
    for w in data["windows"]:
        if not isinstance(w, Mapping):
            raise AdminError("文件格式有误：windows 中的每一项都应是一个窗口对象，请重新导出")
        try:
            put(conn, site_code, str(w["name"]), str(w["kind"]), department_code=w.get("department_code"),
                items=[str(i) for i in w.get("items") or ()],
                valid_from=_day(w.get("valid_from")), valid_to=_day(w.get("valid_to")),
                devices=[str(d) for d in w.get("devices") or ()], actor=actor)  # fmt: skip
        except (KeyError, TypeError) as exc:
            raise AdminError(f"文件中有窗口缺少 {exc} 一项，请重新导出") from None
        names.append(str(w["name"]).strip())
    others = conn.execute(
        select(HubWindow.name).where(
            HubWindow.site_code == site_code, HubWindow.ended_at.is_(None), HubWindow.name.notin_(names)
        )
    ).scalars()
    ended = list(others)
    for name in ended:
        end(conn, site_code, name, actor=actor)
    return len(names), len(ended)


def _day(value: Any) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise AdminError(f"「{value}」不是日期，应写成 2026-11-01 这样") from None


def list_windows(conn: Connection, site_code: str | None = None) -> list[dict[str, Any]]:
    q = select(HubWindow.__table__).order_by(HubWindow.site_code, HubWindow.id)
    if site_code is not None:
        q = q.where(HubWindow.site_code == site_code)
    return [
        {
            "site_code": w.site_code,
            "name": w.name,
            "kind": w.kind,
            "department_code": w.department_code,
            "items": list(w.items or ()),
            "valid_from": w.valid_from.isoformat() if w.valid_from else None,
            "valid_to": w.valid_to.isoformat() if w.valid_to else None,
            "devices": list(w.devices or ()),
            "ended_at": iso_utc(w.ended_at) if w.ended_at else None,
        }  # fmt: skip
        for w in conn.execute(q)
    ]


def site_windows(conn: Connection, site_code: str) -> dict[str, RegisteredWindow]:
    """The site's windows by name, ended ones included (an event made before the end stays valid)."""
    out = {}
    for w in conn.execute(select(HubWindow.__table__).where(HubWindow.site_code == site_code)):
        route = WindowRoute(w.name, WindowKind(w.kind), w.department_code, tuple(w.items or ()), w.valid_from,
                            w.valid_to)  # fmt: skip
        out[w.name] = RegisteredWindow(route, tuple(w.devices or ()), w.ended_at)
    return out


# --- the published catalogs' item departments, kept in memory by the newest publication ---------------------

_catalog_lock = threading.Lock()
_catalog_cache: dict[str, tuple[tuple[Any, ...], dict[str, frozenset[str]]]] = {}


def catalog_departments(conn: Connection) -> dict[str, frozenset[str]] | None:
    """Every item code of every published catalog with the departments it was published under (an item a
    desk accepted under an older publication stays known); None when no catalog was published. Parsed once
    per process and publication, then answered from memory."""
    mark = tuple(conn.execute(select(func.count(Publication.id), func.max(Publication.id))
                              .where(Publication.kind == "catalog")).one())  # fmt: skip
    if not mark[0]:
        return None
    key = str(conn.engine.url)
    with _catalog_lock:
        cached = _catalog_cache.get(key)
        if cached is not None and cached[0] == mark:
            return cached[1]
    found: dict[str, set[str]] = {}
    for content in conn.execute(select(Publication.content).where(Publication.kind == "catalog")).scalars():
        for code, dept in _items_of(bytes(content)):
            found.setdefault(code, set()).add(dept)
    table = {code: frozenset(depts) for code, depts in found.items()}
    with _catalog_lock:
        _catalog_cache[key] = (mark, table)
    return table


def _items_of(content: bytes) -> Iterable[tuple[str, str]]:
    """(code, department) of each item of a published file, read as the desk reads it (the codes the desk
    gives items without one included)."""
    from clerk_desk.catalog.format import CatalogFileError, parse, parse_bytes

    try:
        raw, checksum = parse_bytes(content)
        doc = parse(raw, checksum)
    except (CatalogFileError, KeyError, TypeError, ValueError):  # published files were checked: not expected
        return
    for item in doc.items:
        yield item.code, item.department


def route_facts(engine: Engine, site_code: str, device_code: str) -> RouteFacts:
    """The facts a push's intake events are judged by (one short read, outside the append lock)."""
    with engine.connect() as conn:
        return RouteFacts(device_code, site_windows(conn, site_code), catalog_departments(conn))
