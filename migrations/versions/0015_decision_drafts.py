"""decision drafts: what an approver typed and closed without acting, kept across sign-outs

A refusal's reason half typed, then Esc: the review page kept it in memory only, so signing out or a restart lost
it. ``decision_drafts`` holds it per approver, case and act, sealed like the intake drafts (store/sealed.py), on
this PC only, purged with them (services/decision_drafts.py, docs/personal-data.md).

Revision ID: 0015_decision_drafts
Revises: 0014_number_days
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_decision_drafts"
down_revision: str | None = "0014_number_days"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "decision_drafts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("case_uuid", sa.String(length=36), nullable=False),
        sa.Column("act", sa.String(length=16), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_decision_drafts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_drafts")),
        sa.UniqueConstraint("user_id", "case_uuid", "act", name="uq_decision_drafts_user_case_act"),
    )


def downgrade() -> None:
    op.drop_table("decision_drafts")
