"""Rotate a data folder's personal-data key: ``clerk-desk db rekey`` (docs/personal-data.md, "Rotating
the key").

Everything the key touches is done again under a new key in one transaction: every sealed value opened
with the old key and sealed with the new one (the people, the sealed parts of event payloads, case details
and hall records, the three kinds of drafts), the blind indexes (``persons.id_number_key``, ``person_name_keys``)
and the name counts kept by them (store/name_counts.py), the audit chain verified under the old key and
signed again under the new one, the rotation itself as an audit entry, and the fingerprint the database
records. A value the old key cannot open, or an audit log that does not verify, refuses the whole
rotation: nothing is changed, and tampering is never laundered by signing it again.

The order against a power cut (store/machine_key.py): the old key kept aside and the new one written as
pending, the database committed, the pending key moved into place. At each moment one file opens the
database: before the commit the key file, after it the pending file, which the next load of the key
puts in place (:func:`machine_key.settle_rotation`).

With ``old_key`` (a kept old key file), a database still sealed with a rotated-out key (another data folder
that shared the key file on Linux, an older backup restored) is re-sealed under the current key; no key
file changes then.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clerk_desk.domain.errors import StorageError
from clerk_desk.store import audit_chain, desk_lock, machine_key, migrate, name_counts
from clerk_desk.store.data_keys import FINGERPRINT_SETTING, DataKeys
from clerk_desk.store.sealed import SEALED_MARK
from clerk_desk.store.sqlite_file import connect, database_path, json_to_db

log = logging.getLogger(__name__)

ACTION = "personal_data_key_rotated"
PERSON_FIELDS = ("name", "id_number", "phone", "address", "legal_representative")
# (table, column, sealed top-level parts): store/models.py's PartlySealedJSON columns
PARTLY_SEALED = (
    ("case_events", "payload", ("persons", "delivery")),
    ("cases", "details", ("delivery",)),
    ("hall_records", "data", ("person",)),
)
# SealedJSON and SealedText columns (each value sealed whole)
WHOLLY_SEALED = (("intake_drafts", "data"), ("decision_drafts", "data"), ("order_answer_drafts", "text"))
BATCH = 5000
# Tests stop the process at a named step, as a power cut would (no clean-up runs): tests/store/test_rekey.py.
FAIL_ENV = "CLERK_DESK_REKEY_FAIL_AT"
STEPS = ("key_pending", "resealed", "committed", "key_replaced")


class RekeyRefused(StorageError):
    code = "rekey_refused"


@dataclass(frozen=True)
class RekeyResult:
    """What a rotation did: the fingerprints, how much it sealed and signed again, where the old key is kept."""

    old_fingerprint: str
    new_fingerprint: str
    persons: int
    values: int  # sealed values opened and sealed again (person fields, payload parts, drafts)
    name_keys: int
    audit_entries: int  # signed again, the rotation's own entry not counted
    kept_key: Path | None  # None with ``old_key``: the key given stays where it is
    seconds: float


def _step(name: str) -> None:
    if os.environ.get(FAIL_ENV) == name:
        os._exit(75)  # as abruptly as a power cut: no finally, no rollback, no clean-up


class _Resealer:
    def __init__(self, old: DataKeys, new: DataKeys) -> None:
        self.old, self.new = old, new
        self.values = 0

    def again(self, sealed: bytes, purpose: str, where: str) -> tuple[bytes, bytes]:
        """(the plain bytes, sealed with the new key)."""
        plain = self.old.open(bytes(sealed), purpose)
        if plain is None:
            raise RekeyRefused(
                f"{where} 中有一个加密值无法用旧密钥解开（数据已损坏）。为不丢失任何个人信息，本次未做任何改动；"
                "请先从备份恢复数据库，再更换密钥。"
            )
        self.values += 1
        return plain, self.new.seal(plain, purpose)

    def json_text(self, raw: str, purpose: str, parts: tuple[str, ...], where: str) -> str | None:
        """The document with its sealed parts sealed again, every other byte as it was (None: none)."""
        try:
            doc = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(doc, dict):
            return None
        out, resealed = raw, {}
        for part in parts:
            inner = doc.get(part)
            if isinstance(inner, dict) and isinstance(inner.get(SEALED_MARK), str):
                old_text = inner[SEALED_MARK]
                _plain, sealed = self.again(base64.b64decode(old_text), f"{purpose}.{part}", where)
                resealed[part] = base64.b64encode(sealed).decode("ascii")
                # base64 needs no JSON escaping and a fresh nonce makes each seal unique: replaced as text,
                # so every other byte of the document stays as the desk wrote it
                out = out.replace(f'"{old_text}"', f'"{resealed[part]}"', 1)
        if not resealed:
            return None
        check = json.loads(out)
        if any(check[part].get(SEALED_MARK) != text for part, text in resealed.items()):
            for part, text in resealed.items():  # written some other way (escaped): the document again
                doc[part] = {**doc[part], SEALED_MARK: text}
            out = json_to_db(doc)
        return out


def _batches(c: sqlite3.Connection, sql: str) -> Iterator[list[Any]]:
    """Rows of ``sql`` (rowid first, ending in 'rowid > ?') a batch at a time."""
    last = 0
    while True:
        rows = c.execute(f"{sql} ORDER BY rowid LIMIT {BATCH}", (last,)).fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _set_aside_indexes(c: sqlite3.Connection, *tables: str) -> list[str]:
    """Drop the secondary indexes of ``tables`` (in this transaction); returns the SQL that makes them again.
    Every key changes, so a sorted build at the end beats keeping each index up row by row."""
    marks = ", ".join("?" * len(tables))
    found = c.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                      f" AND tbl_name IN ({marks})", tables).fetchall()  # fmt: skip
    for name, _sql in found:
        c.execute(f"DROP INDEX {name}")
    return [str(sql) for _name, sql in found]


def _persons(c: sqlite3.Connection, r: _Resealer) -> tuple[int, int]:
    """Every person's fields sealed again, their ID-number key and name-prefix keys made again; the name
    counts (keyed by those) counted again. Returns (persons, name keys)."""
    key_triggers = [n for n, (table, _) in name_counts.TRIGGERS.items() if table == "person_name_keys"]
    for trigger in key_triggers:  # the counts are made again below, once, instead of key by key
        c.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    indexes = _set_aside_indexes(c, "persons", "person_name_keys")
    c.execute("DELETE FROM person_name_keys")
    persons = 0
    name_rows: list[tuple[bytes, str]] = []
    cols = ", ".join(PERSON_FIELDS)
    for rows in _batches(c, f"SELECT rowid, id, {cols} FROM persons WHERE rowid > ?"):
        updates = []
        for rowid, pid, *values in rows:
            sealed: list[bytes | None] = []
            plain: dict[str, bytes] = {}
            for field, value in zip(PERSON_FIELDS, values, strict=True):
                if value is None:
                    sealed.append(None)
                    continue
                plain[field], again = r.again(value, f"persons.{field}", "persons")
                sealed.append(again)
            id_number = plain.get("id_number")
            name = plain.get("name")
            updates.append((*sealed, r.new.id_number_key(id_number.decode() if id_number else None), rowid))
            if name is not None:
                name_rows += [(k, pid) for k in r.new.name_keys(name.decode())]
        c.executemany(
            f"UPDATE persons SET {', '.join(f + ' = ?' for f in PERSON_FIELDS)}, id_number_key = ? WHERE rowid = ?",
            updates,
        )
        persons += len(rows)
    name_rows.sort()  # in the order of the table's key: appended, not scattered over the b-tree
    c.executemany("INSERT OR IGNORE INTO person_name_keys (key, person_id) VALUES (?, ?)", name_rows)
    for sql in indexes:
        c.execute(sql)
    name_counts.install(c)
    name_counts.rebuild(c)
    return persons, len(name_rows)


def _json_columns(c: sqlite3.Connection, r: _Resealer) -> None:
    for table, column, parts in PARTLY_SEALED:
        sql = f"SELECT rowid, {column} FROM {table} WHERE instr({column}, '\"{SEALED_MARK}\"') > 0 AND rowid > ?"
        for rows in _batches(c, sql):
            updates = []
            for rowid, raw in rows:
                again = r.json_text(str(raw), f"{table}.{column}", parts, table)
                if again is not None:
                    updates.append((again, rowid))
            c.executemany(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", updates)
    for table, column in WHOLLY_SEALED:
        for rows in _batches(c, f"SELECT rowid, {column} FROM {table} WHERE rowid > ?"):
            drafts = [(r.again(raw, f"{table}.{column}", table)[1], rowid) for rowid, raw in rows if raw is not None]
            c.executemany(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", drafts)


def _verify_audit(c: sqlite3.Connection, old: DataKeys) -> None:
    verdict = audit_chain.verify(c.execute, old)
    if not verdict.ok:
        b = verdict.first_break
        assert b is not None
        where = f"条目 {b.entry_id}" if b.entry_id is not None else "日志"
        raise RekeyRefused(
            f"审计日志校验未通过（{where}：{b.problem}），不能更换密钥：重新签名会掩盖这一改动。本次未做任何改动；"
            "请先用 clerk-desk audit verify 查明原因（必要时从备份恢复）。"
        )


def _audit(c: sqlite3.Connection, old: DataKeys, new: DataKeys) -> int:
    """Verify the chain under the old key (again, inside the transaction), then sign every entry again
    under the new one (the append-only triggers set aside for this transaction only). Returns how many."""
    _verify_audit(c, old)
    triggers = c.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"
    ).fetchall()
    for name, _sql in triggers:
        c.execute(f"DROP TRIGGER {name}")
    updates: list[tuple[str | None, str, int]] = []
    prev: str | None = None
    rows = c.execute("SELECT id, at, actor, action, detail FROM audit_log ORDER BY id").fetchall()
    for entry_id, at, actor, action, detail in rows:
        entry_hash = new.audit_mac(audit_chain.message(entry_id, str(at), actor, action, str(detail), prev))
        updates.append((prev, entry_hash, entry_id))
        prev = entry_hash
    c.executemany("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", updates)
    if rows:
        audit_chain.seal_head(c.execute, new, int(rows[-1][0]), str(prev))
    for _name, sql in triggers:
        c.execute(sql)
    return len(rows)


def rekey(data_dir: Path, *, old_key: Path | None = None, actor: str = "it-cli") -> RekeyResult:
    """Rotate ``data_dir``'s key (or, with ``old_key``, bring a database sealed with that kept key under the
    current one). Refuses, changing nothing, while the desk runs on the folder, when the database is
    sealed with another key, or when its audit log does not verify. Holds the folder's desk lock
    throughout, and the key's rotation lock (store/machine_key.py) from the first file it writes."""
    data_dir = Path(data_dir)
    started = time.perf_counter()
    _same_owner(data_dir)
    with desk_lock.held(data_dir):
        db_path = database_path(data_dir)
        if not db_path.is_file():
            raise RekeyRefused(f"数据文件夹 {data_dir} 中没有数据库，无需更换密钥。")
        revision = migrate.check_not_newer(db_path)  # a newer program's database: install that one
        if revision != migrate.head_revision():
            raise RekeyRefused(
                f"数据库版本为 {revision or '（空）'}，不是本程序的版本：请先运行 clerk-desk db upgrade，再更换密钥。"
            )
        key_path = machine_key.key_location(data_dir)
        if not key_path.is_file():
            raise RekeyRefused(f"本机没有个人信息密钥文件 {key_path}：没有可更换的密钥。本次未做任何改动。")
        current = machine_key.load_or_create(data_dir)  # settles a rotation cut short first
        c = connect(db_path)
        try:
            row = c.execute("SELECT value FROM settings WHERE key = ?", (FINGERPRINT_SETTING,)).fetchone()
            recorded = str(row[0]) if row else None
            if recorded is None:
                raise RekeyRefused("数据库没有记录加密所用的密钥（其中没有加密的个人信息），无需更换。")
            new_master = secrets.token_bytes(machine_key.KEY_BYTES) if old_key is None else current
            old, new = _keys(data_dir, Path(old_key) if old_key else None, current, recorded, new_master)
            _verify_audit(c, old)  # before any file is written (and again inside the transaction)
            # One key file may serve several data folders (Linux): one rotation at a time, and none may
            # start from a key that another one has replaced since it was read.
            with machine_key.rotation_lock(key_path) as held:
                if not held:
                    raise RekeyRefused("另一个数据文件夹正在更换同一个密钥，请等它完成后再试。本次未做任何改动。")
                pending = machine_key.pending_path(key_path)
                if pending.exists():
                    raise RekeyRefused(
                        f"上次更换密钥未完成：其数据库 {machine_key.pending_database(key_path) or '（无法读取）'} "
                        f"现在无法读取或已换成别的数据库，不知道它是否已用新密钥加密；新密钥暂存在 {pending}。若该数据库只是被移走了，"
                        "请把它放回原处，运行任一 clerk-desk 命令（会自动完成或撤销上次更换），再运行本命令；"
                        f"若它已不存在，请把 {pending} 移到安全的地方保存（它可能是该数据库副本唯一的密钥），"
                        "再运行本命令。本次未做任何改动。"
                    )
                if machine_key.read_key_file(key_path) != current:
                    raise RekeyRefused("密钥文件刚被另一次更换改动过，请再运行一次本命令。本次未做任何改动。")
                if old_key is None:
                    kept, counts = _rotate(c, key_path, current, new_master, old, new, actor)
                else:
                    kept, counts = None, _transaction(c, old, new, actor, mode="old_key")
                    _commit_or_roll_back(c)
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the -wal keeps no page of the old seals
        finally:
            c.close()
        log.info("personal-data key of %s: %s -> %s (%s)", data_dir, old.fingerprint, new.fingerprint,
                 f"old key kept as {kept}" if kept else f"from the kept key {old_key}")  # fmt: skip
        return RekeyResult(old.fingerprint, new.fingerprint, *counts, kept, time.perf_counter() - started)


def _same_owner(data_dir: Path) -> None:
    """Refuse to run as another user than the one owning the database and the key (Linux: IT typing sudo).
    The new key file would be that user's alone, and the -wal and -shm SQLite makes too: the desk could
    no longer read its key or open its database."""
    if os.name != "posix":
        return
    for path in (database_path(data_dir), machine_key.key_location(data_dir)):
        try:
            owner = path.stat().st_uid
        except OSError:
            continue  # missing: said below, in its own words
        if owner != os.geteuid():
            raise RekeyRefused(
                f"{path} 属于另一个系统用户（uid {owner}），而本命令正以 uid {os.geteuid()} 运行：请以该文件所属的"
                "用户（即运行 Clerk Desk 的用户；系统安装为 root）的身份运行本命令，否则新密钥文件和数据库的临时文件"
                "将只有当前用户能读写，Clerk Desk 将无法启动。本次未做任何改动。"
            )


def _keys(data_dir: Path, old_key: Path | None, current: bytes, recorded: str, new_master: bytes
          ) -> tuple[DataKeys, DataKeys]:  # fmt: skip
    """(the key the database is sealed with, the key it will be sealed with), or the refusal."""
    if old_key is None:
        old = DataKeys(current, recorded)
        if not old.readable:
            raise RekeyRefused(_sealed_elsewhere(data_dir, recorded) + "本次未做任何改动。")
        return old, DataKeys(new_master)
    new = DataKeys(current)
    if new.fingerprint == recorded:
        raise RekeyRefused("本数据库已经是用本机当前的密钥加密的，无需指定旧密钥。本次未做任何改动。")
    old = DataKeys(machine_key.read_key_file(old_key), recorded)
    if not old.readable:
        raise RekeyRefused(
            f"密钥文件 {old_key} 不是本数据库加密所用的密钥（指纹 {old.fingerprint}，数据库记录的是 {recorded}）。"
            "本次未做任何改动。"
        )
    return old, new


def _sealed_elsewhere(data_dir: Path, recorded: str) -> str:
    kept = machine_key.kept_key_for(data_dir, recorded)
    if kept is not None:
        return (f"本数据库是用已更换下来的旧密钥加密的，该旧密钥保存在 {kept}。请运行："
                f"clerk-desk --data-dir {data_dir} db rekey --old-key {kept}")  # fmt: skip
    return ("本数据库是用另一个密钥（另一台电脑的，或已丢失的密钥）加密的，本机的密钥无法打开它，因此不能更换密钥。"
            "若有原来的密钥文件，请用 db rekey --old-key 指定它。")  # fmt: skip


def _rotate(
    c: sqlite3.Connection, key_path: Path, current: bytes, new_master: bytes, old: DataKeys, new: DataKeys, actor: str
) -> tuple[Path, tuple[int, int, int, int]]:
    """The files around the transaction, in the order that survives a power cut: (the kept key, the counts)."""
    kept = machine_key.kept_path(key_path, old.fingerprint)
    had_kept = kept.exists()

    def undo() -> None:  # before the commit: the database still needs the old key, still the key file
        machine_key.drop_pending(key_path)
        if not had_kept:
            kept.unlink(missing_ok=True)

    try:
        machine_key.begin_rotation(key_path, current, new_master, _db_file(c))
    except OSError as exc:
        undo()
        raise RekeyRefused(f"无法在 {key_path.parent} 中写入密钥文件：{exc.strerror or exc}。请以密钥文件所有者的身份"
                           "（系统安装为 root）运行本命令。本次未做任何改动。") from exc  # fmt: skip
    _step("key_pending")
    try:
        counts = _transaction(c, old, new, actor, mode="rotate")
    except BaseException:
        undo()  # rolled back: the COMMIT was not issued
        raise
    # Not undone if this raises: a Ctrl+C pressed while the COMMIT runs (fsyncing the -wal) is raised only
    # once it has returned, and after an I/O error at the COMMIT its frames may still be replayed from the
    # -wal. The pending file may hold the only key that opens the database: the next load of the key reads
    # the database and settles it (machine_key.settle_rotation).
    _commit_or_roll_back(c)
    _step("committed")
    try:
        machine_key.promote_pending(key_path)
        _step("key_replaced")
        machine_key.drop_pending(key_path)
    except OSError as exc:  # committed: the pending file is the key now, and the next load puts it in place
        raise StorageError(
            f"数据库已用新密钥重新加密，但新密钥未能替换 {key_path}：{exc.strerror or exc}。新密钥保存在 "
            f"{machine_key.pending_path(key_path)}，请勿删除；排除问题后运行任一 clerk-desk 命令，它会自动就位。"
        ) from exc
    return kept, counts


def _commit_or_roll_back(c: sqlite3.Connection) -> None:
    try:
        c.execute("COMMIT")
    except BaseException:
        if c.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                c.execute("ROLLBACK")
        raise


def _db_file(c: sqlite3.Connection) -> Path:
    """The file of the main database of ``c``."""
    return Path(c.execute("PRAGMA database_list").fetchone()[2])


def _transaction(
    c: sqlite3.Connection, old: DataKeys, new: DataKeys, actor: str, *, mode: str
) -> tuple[int, int, int, int]:
    """The one transaction, left for the caller to commit: (persons, values, name keys, audit entries)."""
    r = _Resealer(old, new)
    try:
        c.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:  # busy past the timeout: another process is writing
        raise RekeyRefused(
            "数据库正被另一个程序写入（例如仍在运行的 clerk-desk sync run，或某个窗口的 Clerk Desk）："
            f"请先停止它，再运行本命令。本次未做任何改动。（{exc}）"
        ) from exc
    try:
        entries = _audit(c, old, new)  # first: a log that does not verify stops everything
        persons, keys = _persons(c, r)
        _json_columns(c, r)
        c.execute("UPDATE settings SET value = ? WHERE key = ?", (new.fingerprint, FINGERPRINT_SETTING))
        audit_chain.append(c, new, datetime.now(UTC), actor, ACTION, {
            "old_key": old.fingerprint, "new_key": new.fingerprint, "mode": mode,
            "persons": persons, "values": r.values, "audit_entries": entries,
        })  # fmt: skip
        _step("resealed")
    except BaseException:
        c.execute("ROLLBACK")
        raise
    return persons, r.values, keys, entries
