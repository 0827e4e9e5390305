"""supervision: events of a kind over a period

Revision ID: 0009_supervision
Revises: 0008_case_counts
Create Date: 2026-12-06

The 督办单 lists, the violations of a month and the figures of a period read the events of a few kinds
(supervision_issued, transferred, decided …) between two moments (docs/supervision.md): an index on
(type, occurred_at) finds them without reading every event of the desk.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009_supervision"
down_revision: str | None = "0008_case_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index("ix_case_events_type_at", ["type", "occurred_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index("ix_case_events_type_at")
