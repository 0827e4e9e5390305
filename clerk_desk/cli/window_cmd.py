"""``clerk-desk window add|list``."""

from __future__ import annotations

import argparse
from datetime import date

from clerk_desk.cli.common import open_db, table
from clerk_desk.domain.errors import InputError
from clerk_desk.domain.org import WindowKind
from clerk_desk.services import site_setup


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
