"""``clerk-desk audit verify|show``: check the audit log's hash chain, read its last entries.

The chain and what each check means: store/audit_chain.py, docs/personal-data.md ("Audit log").
"""

from __future__ import annotations

import argparse
import json

from clerk_desk.cli.common import open_db, table
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.store import audit_chain
from clerk_desk.store.sqlite_file import from_db

EXIT_BROKEN = 1
EXIT_UNVERIFIABLE = 3  # signed with another PC's key: not broken, just not checkable here


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("audit", help="审计日志：校验哈希链、查看最近的条目")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    asub.add_parser("verify", help="校验审计日志的哈希链，指出第一处断开的条目").set_defaults(handler=_verify)
    s = asub.add_parser("show", help="显示最近的审计条目")
    s.add_argument("--last", type=int, default=20, metavar="N", help="显示最后 N 条（默认 20）")
    s.set_defaults(handler=_show)


def _local(at: object) -> str:
    when = from_db(str(at)) if at is not None else None
    return when.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") if when else "—"


def _detail(text: object) -> str:
    try:
        value = json.loads(str(text))
    except ValueError:
        return str(text)
    return json.dumps(value, ensure_ascii=False) if value else ""


def _verify(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        if not db.keys.readable:
            print(
                "无法校验审计日志：本数据库是用另一台电脑的密钥签名的（在别的电脑上备份后恢复到本机，或本机的"
                "个人信息密钥已丢失、被替换），本机无法判断日志是否被改动。请在原电脑上校验，或恢复原电脑的"
                "密钥后再校验。"
            )
            return EXIT_UNVERIFIABLE
        with db.plain_reading() as c:
            verdict = audit_chain.verify(c.execute, db.keys)
    finally:
        db.close()
    if verdict.ok:
        print(f"审计日志完整：共 {verdict.entries} 条，哈希链与链尾印记均相符。")
        return 0
    b = verdict.first_break
    assert b is not None
    where = f"条目 {b.entry_id}" if b.entry_id is not None else "审计日志"
    when = f"（{b.at.astimezone(SHANGHAI):%Y-%m-%d %H:%M:%S}）" if b.at else ""
    print(f"审计日志已被改动：第一处断开在{where}{when}：{b.problem}")
    return EXIT_BROKEN


def _show(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        with db.plain_reading() as c:
            rows = c.execute("SELECT id, at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?",
                             (max(1, args.last),)).fetchall()  # fmt: skip
    finally:
        db.close()
    if not rows:
        print("审计日志为空")
        return 0
    body = [[str(r[0]), _local(r[1]), r[2] or "—", r[3], _detail(r[4])] for r in reversed(rows)]
    print(table(body, ["条目", "时间", "操作人", "动作", "详情"]))
    return 0
