"""Role grants with validity periods, and the time each device was first enrolled.

Pushed events are now checked against the role their actor held at ``occurred_at`` (county_hub.admission).
Every existing user gets the grants its roles imply, valid "since always" (``valid_from`` NULL: the hub
recorded no periods before), so offline work still waiting on a desk is taken as before; a disabled user's
grants end when the account was last changed (its disabling). Each device's ``enrolled_at`` is its first
token's creation, or its registration when it has no token.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "role_grants",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("site_code", sa.String(length=32), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=False),
        sa.Column("valid_from", _WHEN, nullable=True),
        sa.Column("valid_to", _WHEN, nullable=True),
        sa.Column("granted_at", _WHEN, nullable=False),
        sa.Column("granted_by", sa.String(length=200), nullable=False),
        sa.Column("ended_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["username"], ["users.username"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("role_grants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_role_grants_username"), ["username"], unique=False)
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("enrolled_at", _WHEN, nullable=True))
    _grants_for_existing_users()
    op.execute(
        "UPDATE devices SET enrolled_at = COALESCE("
        "(SELECT min(t.created_at) FROM device_tokens t WHERE t.device_code = devices.code), created_at)"
    )


def _as_list(value: Any) -> list[str]:
    return list(json.loads(value) if isinstance(value, str) else value or [])


def _grants_for_existing_users() -> None:
    bind = op.get_bind()
    users = bind.execute(
        sa.text("SELECT username, site_code, roles, serves, active, updated_at FROM users")
    ).all()
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    for u in users:
        ended = None if u.active else u.updated_at
        for role, site, dept in scopes(_as_list(u.roles), u.site_code, _as_list(u.serves)):
            rows.append(
                {"username": u.username, "role": role, "site_code": site, "department_code": dept,
                 "valid_from": None, "valid_to": ended, "granted_at": now, "granted_by": "migration 0003"}
            )  # fmt: skip
    if rows:
        table = sa.table("role_grants", *(sa.column(c) for c in rows[0]))
        if (
            bind.dialect.name == "sqlite"
        ):  # naive UTC text, as SQLAlchemy's DateTime keeps it there (models.py)
            for r in rows:
                for key in ("valid_to", "granted_at"):
                    if isinstance(r[key], datetime):
                        r[key] = r[key].astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        op.bulk_insert(table, rows)


def scopes(roles: list[str], site_code: str | None, serves: list[str]) -> set[tuple[str, str, str]]:
    """The (role, site, department) grants a user row implies, as county_hub.grants.scopes_of did at 0003
    (copied: a migration must not change when the code does)."""
    pairs = [(s, d) for s, _, d in (p.partition(":") for p in serves)]
    sites = [site_code] if site_code else sorted({s for s, _ in pairs})
    out: set[tuple[str, str, str]] = set()
    for role in roles:
        if role == "approver":
            out |= {(role, s, d) for s, d in pairs}
        else:
            out |= {(role, s, "*") for s in sites}
    return out


def downgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_column("enrolled_at")
    with op.batch_alter_table("role_grants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_grants_username"))
    op.drop_table("role_grants")
