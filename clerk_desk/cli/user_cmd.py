"""``clerk-desk user add|list|reset-password``.

Changing accounts needs an administrator's name (``--admin``) and password, except for the very first
administrator of an empty database; on a PC enrolled with the county hub, accounts come from the hub and
``user add`` is refused (services/accounts.py). Passwords come from a terminal prompt, or with
``--password-stdin`` (scripts, CI, no terminal) from standard input, one per line: the administrator's
first, then the new account's (unless ``--password`` gives it).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from clerk_desk.cli.common import open_db, table
from clerk_desk.domain.errors import InputError
from clerk_desk.services import accounts
from clerk_desk.store.database import Database


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("user", help="账户管理")
    usub = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    a = usub.add_parser(
        "add", help="添加账户（空数据库上第一个账户应为管理员；已注册到县级平台的电脑由县级平台添加账户）"
    )
    a.add_argument("username")
    a.add_argument("--name", required=True, help="姓名")
    a.add_argument("--role", action="append", required=True, choices=["clerk", "approver", "supervisor", "admin"])
    a.add_argument("--serves", action="append", default=[], metavar="SITE:DEPT", help="审批人员服务的中心与部门")
    a.add_argument("--password", default=None, help="新账户的密码（不给则提示输入或从标准输入读取）")
    _admin_options(a)
    a.set_defaults(handler=_add)
    usub.add_parser("list", help="列出账户").set_defaults(handler=_list)
    r = usub.add_parser("reset-password", help="重置密码并解锁（下次登录须修改；需要管理员的用户名和密码）")
    r.add_argument("username")
    r.add_argument("--password", default=None, help="新密码（不给则提示输入或从标准输入读取）")
    _admin_options(r)
    r.set_defaults(handler=_reset)


def _admin_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--admin", default=None, metavar="USERNAME", help="批准此修改的系统管理员用户名")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="从标准输入读取密码，每行一个：先管理员的密码，再新密码（若未用 --password 给出）",
    )


class _Passwords:
    """Passwords from a terminal prompt, or from standard input (``--password-stdin``, or no terminal)."""

    def __init__(self, from_stdin: bool) -> None:
        self.from_stdin = from_stdin or sys.stdin is None or not sys.stdin.isatty()

    def _line(self, what: str) -> str:
        line = sys.stdin.readline() if sys.stdin else ""
        if not line.strip():
            raise InputError(f"没有提供{what}：请在提示时输入，或用 --password-stdin 从标准输入给出（每行一个）")
        return line.rstrip("\r\n")

    def admin(self, name: str | None) -> str | None:
        if name is None:
            return None
        if self.from_stdin:
            return self._line(f"管理员 {name} 的密码")
        return getpass.getpass(f"管理员 {name} 的密码：")

    def new(self, given: str | None, prompt: str) -> str:
        if given:
            return given
        if self.from_stdin:
            return self._line("新账户的密码")
        first = getpass.getpass(prompt)
        if first != getpass.getpass("再输入一次："):
            raise InputError("两次输入的密码不一致")
        return first


def _serves(values: list[str]) -> list[tuple[str, str]]:
    out = []
    for v in values:
        site, sep, dept = v.partition(":")
        if not sep or not site or not dept:
            raise InputError(f"--serves 格式应为 中心编码:部门编码，例如 421224100:rs（收到：{v}）")
        out.append((site.strip().upper(), dept.strip()))
    return out


def _approved_by(db: Database, args: argparse.Namespace, what: str, passwords: _Passwords) -> str:
    """The administrator's name once their password is checked (the refusal is audited otherwise)."""
    return accounts.authorize_admin(db, args.admin, passwords.admin(args.admin), what=what).username


def _add(args: argparse.Namespace) -> int:
    db = open_db(args)
    accounts.refuse_if_enrolled(db, "user add", admin=args.admin, username=args.username)
    passwords = _Passwords(args.password_stdin)
    if accounts.admin_exists(db):
        actor = _approved_by(db, args, "user add", passwords)
    elif "admin" not in args.role:
        raise InputError("这是第一个账户，必须包含 admin（管理员）角色")
    else:
        actor = "cli"  # the first administrator of this PC: nobody to ask
    u = accounts.add_user(
        db,
        username=args.username,
        display_name=args.name,
        password=passwords.new(args.password, "密码："),
        roles=args.role,
        serves=_serves(args.serves),
        actor=actor,
    )
    print(f"已添加账户：{u.username}（{u.display_name}，{u.roles_zh}）")
    return 0


# Where an account comes from: on an enrolled PC, one made here is unknown to the hub unless it has the name.
_SOURCE_ZH = {"local": "本机", "hub": "县级平台", "demo": "演示"}


def _list(args: argparse.Namespace) -> int:
    rows = [
        [
            u.username,
            u.display_name,
            u.roles_zh,
            " ".join(f"{s}:{d}" for s, d in u.serves),
            ("停用" if not u.active else "锁定" if u.locked_until else "正常"),
            _SOURCE_ZH.get(u.source, u.source),
        ]
        for u in accounts.list_users(open_db(args))
    ]
    print(table(rows, ["用户名", "姓名", "角色", "服务范围", "状态", "来源"]) if rows else "还没有账户")
    return 0


def _reset(args: argparse.Namespace) -> int:
    db = open_db(args)
    passwords = _Passwords(args.password_stdin)
    actor = _approved_by(db, args, "user reset-password", passwords)
    accounts.reset_password(db, args.username, passwords.new(args.password, "新密码："), actor=actor)
    print(f"已重置 {args.username} 的密码并解锁，下次登录时须修改密码")
    return 0
