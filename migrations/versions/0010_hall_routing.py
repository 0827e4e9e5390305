"""hall routing: the items named for a window

Revision ID: 0010_hall_routing
Revises: 0009_supervision
Create Date: 2026-12-06

A 潮汐窗口 takes the items named for it and a 部门专窗 keeps the items named for it (domain/routing.py,
docs/hall-operations.md); the window row holds their codes. Existing windows name none.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_hall_routing"
down_revision: str | None = "0009_supervision"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("windows", schema=None) as batch_op:
        batch_op.add_column(sa.Column("items", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("windows", schema=None) as batch_op:
        batch_op.drop_column("items")
