"""``clerk-desk db upgrade|current|backup|restore|recount|rekey ...``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from clerk_desk.cli.common import kept_key_hint, table
from clerk_desk.domain.errors import ClerkDeskError
from clerk_desk.store import migrate
from clerk_desk.store.data_keys import LOCKED_MESSAGE
from clerk_desk.store.engine import database_path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("db", help="数据库：升级、查看版本、备份、恢复、更换密钥")
    dsub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    dsub.add_parser("upgrade", help="备份后升级到本程序的数据库版本").set_defaults(handler=_upgrade)
    dsub.add_parser("current", help="显示数据库版本").set_defaults(handler=_current)
    b = dsub.add_parser("backup", help="在线备份数据库（SQLite 备份接口）")
    b.add_argument("--to", type=Path, default=None, help="备份文件夹（默认：数据文件夹/backups）")
    b.set_defaults(handler=_backup)
    r = dsub.add_parser("restore", help="用备份文件替换当前数据库（当前数据库先另行备份）")
    r.add_argument("backup_file", type=Path)
    r.set_defaults(handler=_restore)
    dsub.add_parser("backups", help="列出备份文件").set_defaults(handler=_list)
    pg = dsub.add_parser("purge", help="清除已办结、超过保存期限且县级平台已全部确认的办件中的个人信息")
    pg.add_argument("--dry-run", action="store_true", help="只统计将清除多少，不做任何改动")
    pg.add_argument("--days", type=int, default=None, help="本次使用的保存期限（天），默认用已设置的期限")
    pg.set_defaults(handler=_purge)
    dsub.add_parser("recount", help="重新统计各状态、各日的办件数（列表标签上的数字）及统计页所用的办理行为").set_defaults(handler=_recount)
    rk = dsub.add_parser(
        "rekey",
        help="更换本机的个人信息密钥：全部个人信息重新加密、审计日志重新签名（须先退出 Clerk Desk）",
        description="生成新的个人信息密钥，在一个事务中用它重新加密本数据文件夹的全部个人信息、重建检索索引、"
        "重新签名审计日志，并记录本次更换；旧密钥另存在密钥文件旁（文件名含其指纹），供读取更换前的备份。"
        "Clerk Desk 正在使用该数据文件夹、数据库不是用本机密钥加密的、或审计日志校验未通过时拒绝执行，不做任何改动。"
        "详见 docs/personal-data.md 的 “Rotating the key” 一节。",
    )
    rk.add_argument(
        "--old-key", type=Path, default=None, metavar="FILE",
        help="数据库仍是用这个已更换下来的旧密钥加密的（共用密钥文件的另一个数据文件夹、恢复的旧备份）："
        "改用本机当前的密钥重新加密，不生成新密钥",
    )  # fmt: skip
    rk.set_defaults(handler=_rekey)
    rt = dsub.add_parser("retention", help="查看或设置个人信息的保存期限（天，默认 180）")
    rt.add_argument("days", type=int, nargs="?", default=None)
    rt.set_defaults(handler=_retention)


def _db(args: argparse.Namespace) -> Path:
    from clerk_desk.cli import data_dir_of

    return database_path(data_dir_of(args))


def _upgrade(args: argparse.Namespace) -> int:
    res = migrate.upgrade(_db(args))
    if res.before == res.after:
        print(f"数据库已是最新版本：{res.after}")
    else:
        print(f"已升级：{res.before or '（空）'} -> {res.after}")
        if res.backup:
            print(f"升级前备份：{res.backup}")
    return 0


def _current(args: argparse.Namespace) -> int:
    db = _db(args)
    rev = migrate.current_revision(db)
    head = migrate.head_revision()
    state = "（最新）" if rev == head else ("（比本程序新！）" if rev and rev not in migrate.known_revisions() else "（需升级）")
    print(f"数据库：{db}\n版本：{rev or '（空）'} {state}\n本程序版本：{head}")
    return 0


def _recount(args: argparse.Namespace) -> int:
    """Count the cases again into case_counts (store/case_counts.py) and case_name_counts
    (store/name_counts.py), and the acts of the figures into figure_acts / figure_days
    (store/figure_counts.py), triggers checked first."""
    from clerk_desk.store import case_counts, figure_counts, name_counts
    from clerk_desk.store.database import Database

    db = Database(_db(args).parent)  # at head: the tables and their triggers are there
    try:
        with db.plain_transaction() as c:
            case_counts.install(c)
            rows = case_counts.rebuild(c)
            name_counts.install(c)
            name_counts.rebuild(c)
            total = c.execute("SELECT coalesce(sum(n), 0) FROM case_counts").fetchone()[0]
            acts = figure_counts.rebuild(c)
    finally:
        db.close()
    print(f"已重新统计：{total} 件办件，{rows} 组（状态 × 日期 × 部门）；统计用办理行为 {acts} 条")
    return 0


def _backup(args: argparse.Namespace) -> int:
    db = _db(args)
    if not db.exists():
        raise ClerkDeskError(f"没有数据库文件：{db}")
    dest = migrate.backup(db, args.to, label="manual")
    print(f"已备份到：{dest}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from clerk_desk.store.database import Database

    if not args.backup_file.exists():
        raise ClerkDeskError(f"备份文件不存在：{args.backup_file}")
    safety = migrate.restore(args.backup_file, _db(args))
    print(f"已恢复：{args.backup_file}\n恢复前的数据库已另存为：{safety}")
    db = Database(_db(args).parent)  # brings an older backup up to date (and seals it) at once
    try:
        done = db.migration
        if done is not None and done.before is not None and done.before != done.after:
            print(f"恢复的数据库版本为 {done.before}，已升级到 {done.after}")
        if not db.keys.readable:
            print(f"注意：{LOCKED_MESSAGE}", file=sys.stderr)
            hint = kept_key_hint(db)
            if hint:
                print(hint, file=sys.stderr)
    finally:
        db.close()
    return 0


def _rekey(args: argparse.Namespace) -> int:
    from clerk_desk.cli import data_dir_of
    from clerk_desk.store import rekey

    data_dir = data_dir_of(args)
    r = rekey.rekey(data_dir, old_key=args.old_key, actor="it-cli")
    if r.kept_key is not None:
        print(f"已更换个人信息密钥：{r.old_fingerprint} -> {r.new_fingerprint}（用时 {r.seconds:.1f} 秒）")
    else:
        print(f"已改用本机当前的密钥重新加密：{r.old_fingerprint} -> {r.new_fingerprint}（用时 {r.seconds:.1f} 秒）")
    print(f"重新加密：{r.persons} 人的个人信息等共 {r.values} 项；姓名检索索引 {r.name_keys} 条；"
          f"审计日志 {r.audit_entries} 条已重新签名，本次更换已记入审计日志。")  # fmt: skip
    if r.kept_key is not None:
        kept_as = "仅所有者可读" if os.name == "posix" else "与密钥一样经本机 DPAPI 加密，只能在本机解开"
        print(f"旧密钥另存为：{r.kept_key}（{kept_as}）。更换前的备份只能用它读取："
              f"恢复这样的备份后运行 clerk-desk db rekey --old-key {r.kept_key}。"
              "不再需要这些备份时，删除该文件和这些备份；若旧密钥已泄露，请尽快删除用它加密的备份。")  # fmt: skip
        print("本机若有其他数据文件夹共用同一个密钥文件（Linux），它们仍是用旧密钥加密的："
              f"请对每个运行 clerk-desk --data-dir 该文件夹 db rekey --old-key {r.kept_key}。"
              "建议现在用 clerk-desk db backup 做一次新的备份。")  # fmt: skip
    return 0


def _list(args: argparse.Namespace) -> int:
    folder = _db(args).parent / migrate.BACKUP_DIRNAME
    files = sorted(folder.glob("*.sqlite3")) if folder.exists() else []
    print(table([[f.name, f"{f.stat().st_size // 1024} KiB"] for f in files], ["备份文件", "大小"]) if files else "没有备份")
    return 0


def _purge(args: argparse.Namespace) -> int:
    from clerk_desk.cli.common import open_db
    from clerk_desk.domain.workdays import SHANGHAI
    from clerk_desk.services import purge

    db = open_db(args)
    try:
        r = purge.purge(db, dry_run=args.dry_run, days=args.days, actor="it-cli")
    finally:
        db.close()
    head = "将清除（试运行，未改动）" if r.dry_run else "已清除"
    print(f"{head}：办结于 {r.cutoff.astimezone(SHANGHAI):%Y-%m-%d %H:%M} 之前且已全部上传的办件 {r.cases} 件，"
          f"其中个人信息 {r.persons} 人、事件 {r.events} 条；过期的受理草稿 {r.drafts} 份。")
    return 0


def _retention(args: argparse.Namespace) -> int:
    from clerk_desk.cli.common import open_db
    from clerk_desk.services import purge

    db = open_db(args)
    try:
        if args.days is not None:
            purge.set_retention_days(db, args.days, actor="it-cli")
        print(f"个人信息保存期限：办结后 {purge.retention_days(db)} 天")
    finally:
        db.close()
    return 0
