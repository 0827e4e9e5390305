"""``clerk-desk window add|list|export``. ``export`` writes the site's windows as the county hub's window
directory takes them (``county-hub window import FILE --site CODE``; docs/hub.md, "Window directory")."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from clerk_desk.cli.common import open_db, table
from clerk_desk.domain.errors import InputError
from clerk_desk.domain.org import WindowKind
from clerk_desk.services import site_setup
from clerk_desk.store.database import Database


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("window", help="窗口设置")
    wsub = p.add_subparsers(dest="window_command", metavar="ACTION", required=True)
    a = wsub.add_parser("add", help="添加窗口")
    a.add_argument("name", help="窗口名称，如 综合窗口（一）")
    a.add_argument("--kind", required=True, choices=[k.value for k in WindowKind])
    a.add_argument("--department", default=None, help="部门编码（部门专窗、公安窗口）")
    a.add_argument("--from", dest="valid_from", default=None, help="开放起始日期 YYYY-MM-DD（潮汐窗口）")
    a.add_argument("--to", dest="valid_to", default=None, help="开放结束日期 YYYY-MM-DD（潮汐窗口）")
    a.add_argument("--items", default="", help="事项编码，逗号分隔（潮汐窗口受理的事项；部门专窗专办的事项）")
    a.set_defaults(handler=_add)
    ls = wsub.add_parser("list", help="列出窗口")
    ls.add_argument("--all", action="store_true", help="包括已停用的窗口")
    ls.set_defaults(handler=_list)
    ex = wsub.add_parser("export", help="导出本中心的窗口（交县级平台登记：county-hub window import）")
    ex.add_argument("file", help="写入的 JSON 文件")
    ex.add_argument("--devices", action="append", default=[], metavar="窗口=电脑编号",
                    help="某窗口只在这些电脑上办理，如 公安窗口=03（可多次给出；不写则本中心任何电脑均可）")
    ex.set_defaults(handler=_export)


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def _add(args: argparse.Namespace) -> int:
    w = site_setup.add_window(
        open_db(args),
        name=args.name,
        kind=args.kind,
        department_code=args.department,
        valid_from=_date(args.valid_from),
        valid_to=_date(args.valid_to),
        items=[c for c in args.items.split(",") if c.strip()],
        actor="cli",
    )
    print(f"已添加窗口：{w.name}（{w.kind_zh}）")
    return 0


def _list(args: argparse.Namespace) -> int:
    rows = [
        [
            w.name,
            w.kind_zh,
            w.department_name or "",
            f"{w.valid_from or ''}~{w.valid_to or ''}" if (w.valid_from or w.valid_to) else "",
            "启用" if w.active else "停用",
        ]
        for w in site_setup.list_windows(open_db(args), include_inactive=args.all)
    ]
    print(table(rows, ["窗口", "类型", "部门", "开放日期", "状态"]) if rows else "还没有窗口")
    return 0


def export_data(db: Database, devices: Sequence[str] = ()) -> dict[str, Any]:
    """The site's windows as ``county-hub window import`` takes them; ``devices``: "窗口=电脑编号,…" each."""
    site = site_setup.site_info(db).site_code
    if not site:
        raise InputError("本机还没有设置中心编码（clerk-desk site set --code …）")
    found = site_setup.list_windows(db)
    names = {w.name for w in found}
    pcs: dict[str, list[str]] = {}
    for given in devices:
        name, sep, codes = given.partition("=")
        if not sep or name not in names or not codes.strip():
            raise InputError(f"--devices 应为 窗口名称=电脑编号（逗号分隔），且窗口须已添加：{given}")
        pcs.setdefault(name, []).extend(c.strip() for c in codes.split(",") if c.strip())
    return {
        "format": "clerk-desk-windows",
        "site_code": site,
        "windows": [
            {"name": w.name, "kind": w.kind, "department_code": w.department_code, "items": list(w.items),
             "valid_from": w.valid_from.isoformat() if w.valid_from else None,
             "valid_to": w.valid_to.isoformat() if w.valid_to else None, "devices": pcs.get(w.name, [])}
            for w in found
        ],
    }  # fmt: skip


def _export(args: argparse.Namespace) -> int:
    data = export_data(open_db(args), args.devices)
    Path(args.file).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"已导出 {len(data['windows'])} 个窗口到 {args.file}：请县级信息技术人员在县级平台执行 "
          f"county-hub window import {args.file} --site {data['site_code']}")
    return 0
