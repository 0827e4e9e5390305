"""``clerk-desk db upgrade|current|backup|restore``."""

from __future__ import annotations

import argparse
from pathlib import Path

from clerk_desk.cli.common import table
from clerk_desk.domain.errors import ClerkDeskError
from clerk_desk.store import migrate
from clerk_desk.store.engine import database_path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("db", help="数据库：升级、查看版本、备份、恢复")
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


def _backup(args: argparse.Namespace) -> int:
    db = _db(args)
    if not db.exists():
        raise ClerkDeskError(f"没有数据库文件：{db}")
    dest = migrate.backup(db, args.to, label="manual")
    print(f"已备份到：{dest}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    if not args.backup_file.exists():
        raise ClerkDeskError(f"备份文件不存在：{args.backup_file}")
    safety = migrate.restore(args.backup_file, _db(args))
    print(f"已恢复：{args.backup_file}\n恢复前的数据库已另存为：{safety}")
    return 0


def _list(args: argparse.Namespace) -> int:
    folder = _db(args).parent / migrate.BACKUP_DIRNAME
    files = sorted(folder.glob("*.sqlite3")) if folder.exists() else []
    print(table([[f.name, f"{f.stat().st_size // 1024} KiB"] for f in files], ["备份文件", "大小"]) if files else "没有备份")
    return 0
