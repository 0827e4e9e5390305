"""order answer drafts: a 督办单's answer half typed, kept across sign-outs and restarts

The answer to a supervision order closed unsent (Esc, 取消) came back only while the case page lived: a sign-out
or a restart lost it. ``order_answer_drafts`` holds it per account and order, sealed like the decision drafts
(store/sealed.py), on this PC only, deleted when the answer is sent and purged with the other drafts
(services/answer_drafts.py, docs/personal-data.md).

Revision ID: 0016_order_answer_drafts
Revises: 0015_decision_drafts
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_order_answer_drafts"
down_revision: str | None = "0015_decision_drafts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "order_answer_drafts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("order_uuid", sa.String(length=36), nullable=False),
        sa.Column("text", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_order_answer_drafts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_answer_drafts")),
        sa.UniqueConstraint("user_id", "order_uuid", name="uq_order_answer_drafts_user_order"),
    )


def downgrade() -> None:
    op.drop_table("order_answer_drafts")
