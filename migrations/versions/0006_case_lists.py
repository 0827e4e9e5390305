"""case lists: a partial index for the 容缺 follow-up list

Revision ID: 0006_case_lists
Revises: 0005_catalog_situations
Create Date: 2026-12-06

The follow-up list of materials still owed under a 容缺 pledge (services/follow_up.pledges_owed) walks
only the cases with a pledge open, newest or oldest first: few rows, so the index is small.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_case_lists"
down_revision: str | None = "0005_catalog_situations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_pledge_open", ["created_at"], unique=False, sqlite_where=sa.text("pledge_open = 1")
        )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_pledge_open", sqlite_where=sa.text("pledge_open = 1"))
