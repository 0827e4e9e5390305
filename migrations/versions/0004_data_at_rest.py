"""data at rest: sealed personal data with blind indexes, the audit hash chain, the boot-clock lockout

Revision ID: 0004_data_at_rest
Revises: 0003_intake
Create Date: 2026-12-06

Needs this PC's key: the migrate runner (clerk_desk/store/migrate.py) passes it as
``config.attributes["data_keys"]``. Existing personal data is sealed in place (persons, the personal
parts of event payloads and case details, intake drafts), the blind indexes are built, the audit log
is chained and made append-only. The runner then VACUUMs with secure_delete so no plaintext is left
in free pages, and brings older backups in the data folder here too (docs/personal-data.md).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import context, op

from clerk_desk.store import audit_chain
from clerk_desk.store.data_keys import FINGERPRINT_SETTING, DataKeys
from clerk_desk.store.sealed import seal_parts
from clerk_desk.store.sqlite_file import json_to_db

revision: str = "0004_data_at_rest"
down_revision: str | None = "0003_intake"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERSON_FIELDS = ("name", "id_number", "phone", "address", "legal_representative")
BATCH = 5000

TRIGGERS = (
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: an entry cannot be changed'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: an entry cannot be deleted'); END""",
    """CREATE TRIGGER audit_log_chain_only BEFORE INSERT ON audit_log
       WHEN NEW.hash IS NULL
         OR NEW.id IS NOT (SELECT coalesce(max(id), 0) + 1 FROM audit_log)
         OR NEW.prev_hash IS NOT (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1)
       BEGIN SELECT RAISE(ABORT, 'audit_log: an entry must continue the hash chain (store/audit_chain.py)'); END""",
)


def _keys() -> DataKeys:
    keys = context.config.attributes.get("data_keys")
    if keys is None:
        raise RuntimeError(
            "migration 0004 needs this PC's key: run it through clerk_desk.store.migrate.upgrade"
        )
    return keys


def _batches(conn: sa.Connection, sql: str) -> Any:
    """Rows of ``sql`` (which selects rowid first and ends with 'WHERE rowid > ?' or 'AND rowid > ?'),
    a batch at a time."""
    last = 0
    while True:
        rows = conn.exec_driver_sql(f"{sql} ORDER BY rowid LIMIT {BATCH}", (last,)).fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _seal_persons(conn: sa.Connection, keys: DataKeys) -> None:
    cols = ", ".join(PERSON_FIELDS)
    for rows in _batches(conn, f"SELECT rowid, id, {cols} FROM persons WHERE rowid > ?"):
        updates, name_keys = [], []
        for _rowid, pid, *values in rows:
            plain = dict(zip(PERSON_FIELDS, values, strict=True))
            sealed = [
                None if v is None else (v if isinstance(v, bytes) else keys.seal_text(str(v), f"persons.{f}"))
                for f, v in plain.items()
            ]
            id_number = plain["id_number"] if isinstance(plain["id_number"], str) else None
            updates.append((*sealed, keys.id_number_key(id_number), pid))
            if isinstance(plain["name"], str):
                name_keys += [(k, pid) for k in keys.name_keys(plain["name"])]
        conn.exec_driver_sql(
            f"UPDATE persons SET {', '.join(f + ' = ?' for f in PERSON_FIELDS)}, id_number_key = ? WHERE id = ?",
            updates,
        )
        if name_keys:
            conn.exec_driver_sql(
                "INSERT OR IGNORE INTO person_name_keys (key, person_id) VALUES (?, ?)", name_keys
            )


def _seal_json_parts(
    conn: sa.Connection, keys: DataKeys, table: str, key_col: str, column: str, parts: tuple[str, ...]
) -> None:
    where = " OR ".join(f"json_extract({column}, '$.{p}') IS NOT NULL" for p in parts)
    for rows in _batches(
        conn, f"SELECT rowid, {key_col}, {column} FROM {table} WHERE ({where}) AND rowid > ?"
    ):
        updates = []
        for _rowid, key, raw in rows:
            value = json.loads(raw)
            updates.append((json_to_db(seal_parts(keys, f"{table}.{column}", parts, value)), key))
        conn.exec_driver_sql(f"UPDATE {table} SET {column} = ? WHERE {key_col} = ?", updates)


def _seal_drafts(conn: sa.Connection, keys: DataKeys) -> None:
    for rows in _batches(conn, "SELECT rowid, id, data FROM intake_drafts WHERE rowid > ?"):
        updates = [(keys.seal(str(raw).encode("utf-8"), "intake_drafts.data"), did)
                   for _rowid, did, raw in rows if not isinstance(raw, bytes)]  # fmt: skip
        if updates:
            conn.exec_driver_sql("UPDATE intake_drafts SET data = ? WHERE id = ?", updates)


def upgrade() -> None:
    keys = _keys()
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lock_boot_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("lock_boot_at", sa.Float(), nullable=True))
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("id_number_key", sa.LargeBinary(), nullable=True))
    op.create_table(
        "person_name_keys",
        sa.Column("key", sa.LargeBinary(), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_person_name_keys_person_id_persons")),
        sa.PrimaryKeyConstraint("key", "person_id", name=op.f("pk_person_name_keys")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))

    # Sealed while the columns are still text: a type change copies the table casting text to BLOB,
    # after which plaintext and sealed values would look alike.
    conn = op.get_bind()
    _seal_persons(conn, keys)
    _seal_json_parts(conn, keys, "case_events", "uuid", "payload", ("persons", "delivery"))
    _seal_json_parts(conn, keys, "cases", "uuid", "details", ("delivery",))
    _seal_drafts(conn, keys)
    conn.exec_driver_sql(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (FINGERPRINT_SETTING, keys.fingerprint),
    )
    audit_chain.rechain(conn.exec_driver_sql, keys)

    # Plaintext indexes go: an index keeps its own copy of every value.
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_index("ix_persons_name")
        batch_op.drop_index("ix_persons_id_number")
        for field in PERSON_FIELDS:
            batch_op.alter_column(field, type_=sa.LargeBinary(), existing_nullable=True)
        batch_op.create_index(batch_op.f("ix_persons_id_number_key"), ["id_number_key"], unique=False)
    with op.batch_alter_table("intake_drafts", schema=None) as batch_op:
        batch_op.alter_column("data", type_=sa.LargeBinary(), existing_nullable=False)
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
    for trigger in TRIGGERS:
        conn.exec_driver_sql(trigger)


def downgrade() -> None:
    raise NotImplementedError(
        "0004 seals personal data; going back would write it in clear. Restore a backup instead."
    )
