"""Personal data sealed in the ORM: column types that seal on write and open on read, and the flush
hooks that keep the blind indexes and the audit chain (docs/personal-data.md).

The keys come from the engine (store/engine.make_engine puts this database's DataKeys on its dialect),
so services read and write ``Person.name`` as text and never see a key. What stays plain is what a
query must compare: searching goes through the blind indexes (``persons.id_number_key`` and the
``person_name_keys`` table), never through a sealed column.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, LargeBinary, event, inspect
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Mapper
from sqlalchemy.types import TypeDecorator

from clerk_desk.domain.errors import StorageError
from clerk_desk.store import audit_chain
from clerk_desk.store.data_keys import UNREADABLE, DataKeys
from clerk_desk.store.sqlite_file import json_to_db, to_db

KEYS_ATTR = "clerk_data_keys"
SEALED_MARK = "$sealed"  # {"$sealed": base64} stands in a JSON document for a sealed part


def attach(engine: Any, keys: DataKeys) -> None:
    setattr(engine.dialect, KEYS_ATTR, keys)


def keys_of(dialect: Dialect) -> DataKeys:
    keys: DataKeys | None = getattr(dialect, KEYS_ATTR, None)
    if keys is None:
        raise StorageError("数据库连接缺少本机的个人信息密钥（程序错误：engine 未附加密钥）")
    return keys


class SealedText(TypeDecorator[str]):
    """Text sealed with AES-GCM; ``purpose`` (the column) is bound into the seal."""

    impl = LargeBinary
    cache_ok = True

    def __init__(self, purpose: str) -> None:
        super().__init__()
        self.purpose = purpose

    def process_bind_param(self, value: str | None, dialect: Dialect) -> bytes | None:
        return None if value is None else keys_of(dialect).seal_text(value, self.purpose)

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> str | None:
        return None if value is None else keys_of(dialect).open_text(value, self.purpose)


class SealedJSON(TypeDecorator[Any]):
    """A whole JSON value sealed (intake drafts). Reads None when this PC cannot open it."""

    impl = LargeBinary
    cache_ok = True

    def __init__(self, purpose: str) -> None:
        super().__init__()
        self.purpose = purpose

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        raw = json_to_db(value).encode("utf-8")
        return keys_of(dialect).seal(raw, self.purpose)

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        import json

        plain = keys_of(dialect).open(bytes(value), self.purpose)
        return None if plain is None else json.loads(plain)


def seal_parts(keys: DataKeys, purpose: str, parts: tuple[str, ...], value: dict[str, Any]) -> dict[str, Any]:
    out = dict(value)
    for part in parts:
        inner = out.get(part)
        if inner is not None and not (isinstance(inner, dict) and SEALED_MARK in inner):
            out[part] = {SEALED_MARK: keys.seal_json(inner, f"{purpose}.{part}")}
    return out


def open_parts(keys: DataKeys, purpose: str, parts: tuple[str, ...], value: dict[str, Any]) -> dict[str, Any]:
    out = dict(value)
    for part in parts:
        inner = out.get(part)
        if isinstance(inner, dict) and SEALED_MARK in inner:
            out[part] = keys.open_json(str(inner[SEALED_MARK]), f"{purpose}.{part}")
    return out


class PartlySealedJSON(TypeDecorator[dict[str, Any]]):
    """A JSON document whose personal parts (top-level keys) are sealed and the rest stays readable
    (event payloads: the lifecycle and the sync read their other keys)."""

    impl = JSON
    cache_ok = True

    def __init__(self, purpose: str, parts: tuple[str, ...]) -> None:
        super().__init__()
        self.purpose, self.parts = purpose, parts

    def process_bind_param(self, value: dict[str, Any] | None, dialect: Dialect) -> dict[str, Any] | None:
        if not isinstance(value, dict) or not any(value.get(p) is not None for p in self.parts):
            return value
        return seal_parts(keys_of(dialect), self.purpose, self.parts, value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if not isinstance(value, dict) or not any(isinstance(value.get(p), dict) for p in self.parts):
            return value
        return open_parts(keys_of(dialect), self.purpose, self.parts, value)


# -- flush hooks ------------------------------------------------------------------------------------------
def _set_id_number_key(_mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    target.id_number_key = keys_of(connection.dialect).id_number_key(target.id_number)


def _insert_name_keys(connection: Connection, keys: DataKeys, person_id: str, name: str | None) -> None:
    rows = [(k, person_id) for k in keys.name_keys(name)]
    if rows:
        connection.exec_driver_sql(
            "INSERT OR IGNORE INTO person_name_keys (key, person_id) VALUES (?, ?)", rows
        )


def _name_keys_inserted(_mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    _insert_name_keys(connection, keys_of(connection.dialect), target.id, target.name)


def _name_keys_updated(_mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    history = inspect(target).attrs.name.history
    if not history.has_changes():
        return
    keys = keys_of(connection.dialect)
    old = [v for v in history.deleted if v is not None]
    if not history.deleted or UNREADABLE in old:  # the old name is not known here: find its keys the slow way
        connection.exec_driver_sql("DELETE FROM person_name_keys WHERE person_id = ?", (target.id,))
    elif old:  # by primary key: no index on person_id needed (one b-tree fewer to write at every intake)
        gone = [(k, target.id) for v in old for k in keys.name_keys(v)]
        connection.exec_driver_sql("DELETE FROM person_name_keys WHERE key = ? AND person_id = ?", gone)
    _insert_name_keys(connection, keys, target.id, target.name)


def listen_person(cls: type) -> None:
    """Keep ``id_number_key`` and the name-prefix keys in step with the sealed values."""
    event.listen(cls, "before_insert", _set_id_number_key)
    event.listen(cls, "before_update", _set_id_number_key)
    event.listen(cls, "after_insert", _name_keys_inserted)
    event.listen(cls, "after_update", _name_keys_updated)


_TAIL = "clerk_audit_tail"


def _chain_entry(_mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    if target.at is None:
        target.at = datetime.now(UTC)
    if target.detail is None:
        target.detail = {}
    # Entries flushed together: the earlier ones are not in the table yet, so the tail of this
    # transaction is remembered on the connection.
    txn = connection.get_transaction()
    remembered = connection.info.get(_TAIL)
    after = remembered[1] if remembered is not None and remembered[0] is txn else None
    new = audit_chain.link(connection.exec_driver_sql, keys_of(connection.dialect), to_db(target.at),
                           target.actor, target.action, json_to_db(target.detail), after=after)  # fmt: skip
    target.id, target.prev_hash, target.hash = new.id, new.prev_hash, new.hash
    connection.info[_TAIL] = (txn, (new.id, new.hash))


def listen_audit(cls: type) -> None:
    event.listen(cls, "before_insert", _chain_entry)
