"""Helpers shared by the sub-command modules."""

from __future__ import annotations

import argparse
import getpass
import sys

from clerk_desk.domain.errors import InputError
from clerk_desk.store.database import Database

_told_locked: set[str] = set()


def open_db(args: argparse.Namespace) -> Database:
    """The data folder's database, brought to this version (said on stderr when it was older). If it was
    sealed with another PC's key (a restored backup, a lost or replaced key file) the command says so in
    Chinese, once: its log record goes to the log file only."""
    from clerk_desk.cli import data_dir_of
    from clerk_desk.store.data_keys import LOCKED_MESSAGE

    db = Database(data_dir_of(args))
    done = db.migration
    if done is not None and done.before is not None and done.before != done.after:
        # opening brought an older database to this version: IT hears it from whatever command it ran
        saved = f"，升级前备份：{done.backup}" if done.backup else ""
        print(f"注意：已将数据库由 {done.before} 升级到 {done.after}{saved}", file=sys.stderr)
    if not db.keys.readable and str(db.path) not in _told_locked:
        _told_locked.add(str(db.path))
        print(f"注意：{LOCKED_MESSAGE}", file=sys.stderr)
        hint = kept_key_hint(db)
        if hint:
            print(hint, file=sys.stderr)
    return db


def kept_key_hint(db: Database) -> str | None:
    """When the database is sealed with a key this PC rotated out and kept (docs/personal-data.md, "Rotating
    the key"): what IT runs to bring it under the current key."""
    from clerk_desk.store import machine_key

    kept = machine_key.kept_key_for(db.data_dir, db.sealed_with)
    if kept is None:
        return None
    return (f"本数据库是用本机已更换下来的旧密钥加密的（保存在 {kept}）。请先退出 Clerk Desk，再运行："
            f"clerk-desk --data-dir {db.data_dir} db rekey --old-key {kept}")  # fmt: skip


def read_password(given: str | None, prompt: str = "密码：") -> str:
    """--password wins; else prompt twice on a terminal; else read one line from stdin (scripts)."""
    if given:
        return given
    if sys.stdin is None or not sys.stdin.isatty():
        line = sys.stdin.readline() if sys.stdin else ""
        if not line.strip():
            raise InputError("没有提供密码：请用 --password 或在标准输入中给出")
        return line.rstrip("\n")
    first = getpass.getpass(prompt)
    if first != getpass.getpass("再输入一次："):
        raise InputError("两次输入的密码不一致")
    return first


def table(rows: list[list[str]], headers: list[str]) -> str:
    from unicodedata import east_asian_width

    def width(s: str) -> int:
        return sum(2 if east_asian_width(c) in "WF" else 1 for c in s)

    cols = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = ["  ".join(h + " " * (cols[i] - width(h)) for i, h in enumerate(headers))]
    for r in rows:
        lines.append("  ".join(c + " " * (cols[i] - width(c)) for i, c in enumerate(r)))
    return "\n".join(line.rstrip() for line in lines)
