"""``clerk-desk user add|list|reset-password``."""

from __future__ import annotations

import argparse

from clerk_desk.cli.common import open_db, read_password, table
from clerk_desk.domain.errors import InputError
from clerk_desk.services import accounts


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("user", help="账户管理")
    usub = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    a = usub.add_parser("add", help="添加账户（空数据库上第一个账户应为管理员）")
    a.add_argument("username")
    a.add_argument("--name", required=True, help="姓名")
    a.add_argument("--role", action="append", required=True, choices=["clerk", "approver", "supervisor", "admin"])
    a.add_argument("--serves", action="append", default=[], metavar="SITE:DEPT", help="审批人员服务的中心与部门")
    a.add_argument("--password", default=None, help="密码（不给则提示输入或从标准输入读取）")
    a.set_defaults(handler=_add)
    usub.add_parser("list", help="列出账户").set_defaults(handler=_list)
    r = usub.add_parser("reset-password", help="重置密码并解锁（下次登录须修改）")
    r.add_argument("username")
    r.add_argument("--password", default=None)
    r.set_defaults(handler=_reset)


def _serves(values: list[str]) -> list[tuple[str, str]]:
    out = []
    for v in values:
        site, sep, dept = v.partition(":")
        if not sep or not site or not dept:
            raise InputError(f"--serves 格式应为 中心编码:部门编码，例如 421224100:rs（收到：{v}）")
        out.append((site.strip().upper(), dept.strip()))
    return out


def _add(args: argparse.Namespace) -> int:
    db = open_db(args)
    if not accounts.has_users(db) and "admin" not in args.role:
        raise InputError("这是第一个账户，必须包含 admin（管理员）角色")
    u = accounts.add_user(
        db,
        username=args.username,
        display_name=args.name,
        password=read_password(args.password),
        roles=args.role,
        serves=_serves(args.serves),
        actor="cli",
    )
    print(f"已添加账户：{u.username}（{u.display_name}，{u.roles_zh}）")
    return 0


def _list(args: argparse.Namespace) -> int:
    rows = [
        [
            u.username,
            u.display_name,
            u.roles_zh,
            " ".join(f"{s}:{d}" for s, d in u.serves),
            ("停用" if not u.active else "锁定" if u.locked_until else "正常"),
        ]
        for u in accounts.list_users(open_db(args))
    ]
    print(table(rows, ["用户名", "姓名", "角色", "服务范围", "状态"]) if rows else "还没有账户")
    return 0


def _reset(args: argparse.Namespace) -> int:
    accounts.reset_password(open_db(args), args.username, read_password(args.password, "新密码："), actor="cli")
    print(f"已重置 {args.username} 的密码并解锁，下次登录时须修改密码")
    return 0
