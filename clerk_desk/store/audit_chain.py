"""The audit log as a hash chain: every entry carries the previous entry's hash and its own, an HMAC
with this PC's audit key (store/data_keys.py), so an entry edited, removed or moved in a copied file
breaks the chain and nobody without the key can mend it (docs/personal-data.md, "Audit log").

- ``hash`` = HMAC(audit key, [id, at, actor, action, detail, prev_hash]) over the stored text.
- ``prev_hash`` = the previous entry's ``hash`` (NULL for the first entry); ids have no gaps.
- The last link is sealed in the ``audit_head`` setting (HMAC of its id and hash), so cutting entries
  off the end shows too.
- Triggers (migration 0004) refuse UPDATE and DELETE on audit_log, and an INSERT that does not
  continue the chain (wrong id or prev_hash): every writer goes through :func:`link`.

Plain SQL on whatever connection the caller writes with: sqlite3 for sign-in (no SQLAlchemy on the
start path), the ORM's connection inside a flush (store/sealed.py), or a migration's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from clerk_desk.store.data_keys import DataKeys
from clerk_desk.store.sqlite_file import json_to_db, to_db

HEAD_SETTING = "audit_head"
Run = Callable[[str, tuple[Any, ...]], Any]  # (sql, params) -> a cursor with fetchone/fetchall


@dataclass(frozen=True)
class Link:
    """One audit entry's place in the chain: its id, the hash it continues and its own."""

    id: int
    prev_hash: str | None
    hash: str


def message(entry_id: int, at: str, actor: str | None, action: str, detail: str, prev: str | None) -> bytes:
    """What an entry's ``hash`` is the HMAC of."""
    return json.dumps([entry_id, at, actor, action, detail, prev], ensure_ascii=False).encode("utf-8")


def _head_mac(keys: DataKeys, entry_id: int, entry_hash: str) -> str:
    return keys.audit_mac(b"head\x00" + json.dumps([entry_id, entry_hash]).encode())


def tail(run: Run) -> tuple[int, str] | None:
    row = run("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", ()).fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def link(
    run: Run,
    keys: DataKeys,
    at: str,
    actor: str | None,
    action: str,
    detail: str,
    after: tuple[int, str] | None = None,
) -> Link:
    """The next link for an entry with these stored values, and the head seal moved onto it.
    ``after``: the tail when the caller knows it better than the table (entries not yet flushed)."""
    last = after if after is not None else tail(run)
    entry_id = (last[0] if last else 0) + 1
    prev = last[1] if last else None
    entry_hash = keys.audit_mac(message(entry_id, at, actor, action, detail, prev))
    seal_head(run, keys, entry_id, entry_hash)
    return Link(entry_id, prev, entry_hash)


def seal_head(run: Run, keys: DataKeys, entry_id: int, entry_hash: str) -> None:
    """Seal the last link (``audit_head``): entry ``entry_id`` with ``entry_hash`` ends the log."""
    run(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (HEAD_SETTING, json.dumps({"id": entry_id, "mac": _head_mac(keys, entry_id, entry_hash)})),
    )


def append(
    conn: Any, keys: DataKeys, at: datetime, actor: str | None, action: str, detail: dict[str, Any]
) -> int:
    """Write one entry on a DB-API connection already inside a write transaction."""
    at_text, detail_text = to_db(at), json_to_db(detail)
    new = link(conn.execute, keys, at_text, actor, action, detail_text)
    conn.execute(
        "INSERT INTO audit_log (id, at, actor, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (new.id, at_text, actor, action, detail_text, new.prev_hash, new.hash),
    )
    return new.id


def rechain(run: Run, keys: DataKeys) -> int:
    """Chain the entries written before the chain existed (migration 0004); returns how many."""
    rows = run("SELECT id, at, actor, action, detail FROM audit_log ORDER BY id", ()).fetchall()
    run("DELETE FROM audit_log", ())
    last: tuple[int, str] | None = None
    for _old_id, at, actor, action, detail in rows:
        new = link(run, keys, str(at), actor, action, str(detail), after=last)
        run(
            "INSERT INTO audit_log (id, at, actor, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (new.id, at, actor, action, detail, new.prev_hash, new.hash),
        )
        last = (new.id, new.hash)
    return len(rows)


# -- verification -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Break:
    """Where and how the audit chain stops being whole."""

    entry_id: int | None
    at: datetime | None
    problem: str


@dataclass(frozen=True)
class Verdict:
    """The check of the whole audit log: how many entries, and the first break if there is one."""

    entries: int
    first_break: Break | None

    @property
    def ok(self) -> bool:
        return self.first_break is None


def _at(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text)).replace(tzinfo=UTC)
    except ValueError:
        return None


def verify(run: Run, keys: DataKeys) -> Verdict:
    """Walk the chain from the first entry; the first broken link is named (entry, time, what)."""
    if not keys.readable:
        return Verdict(0, Break(None, None, "审计日志是用另一台电脑的密钥签名的，本机无法验证"))
    rows = run(
        "SELECT id, at, actor, action, detail, prev_hash, hash FROM audit_log ORDER BY id", ()
    ).fetchall()
    prev_id, prev_hash, last_at = 0, None, None
    for entry_id, at, actor, action, detail, stored_prev, stored_hash in rows:
        when = _at(at)
        if entry_id != prev_id + 1:
            missing = f"{prev_id + 1}" if entry_id == prev_id + 2 else f"{prev_id + 1}–{entry_id - 1}"
            return Verdict(len(rows), Break(entry_id, when, f"此前的条目 {missing} 不见了（被删除）"))
        if stored_prev != prev_hash:
            return Verdict(
                len(rows),
                Break(entry_id, when, f"与上一条（{prev_id}）的链接断开：条目被删除、改动或调换了顺序"),
            )
        if stored_hash != keys.audit_mac(
            message(entry_id, str(at), actor, action, str(detail), stored_prev)
        ):
            return Verdict(len(rows), Break(entry_id, when, "内容与其哈希不符：条目在写入后被改动"))
        prev_id, prev_hash, last_at = entry_id, stored_hash, when
    head = run("SELECT value FROM settings WHERE key = ?", (HEAD_SETTING,)).fetchone()
    if head is None:
        if rows:
            return Verdict(len(rows), Break(prev_id, last_at, "缺少链尾印记：日志末尾可能被截断"))
        return Verdict(0, None)
    try:
        sealed = json.loads(head[0])
        head_id, head_mac = int(sealed["id"]), str(sealed["mac"])
    except (ValueError, KeyError, TypeError):
        return Verdict(len(rows), Break(prev_id or None, last_at, "链尾印记已损坏"))
    if head_id != prev_id:
        if head_id > prev_id:
            lost = f"{prev_id + 1}" if head_id == prev_id + 1 else f"{prev_id + 1}–{head_id}"
            return Verdict(
                len(rows), Break(prev_id or None, last_at, f"其后、日志末尾的条目 {lost} 不见了（被删除）")
            )
        return Verdict(
            len(rows), Break(head_id + 1, None, f"链尾印记停在条目 {head_id}，其后的条目不是本机写入的")
        )
    if prev_hash is None or head_mac != _head_mac(keys, prev_id, prev_hash):
        return Verdict(len(rows), Break(prev_id or None, last_at, "链尾印记与最后一条不符：日志末尾被改动"))
    return Verdict(len(rows), None)
