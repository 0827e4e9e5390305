"""The county figures: one row per case as the figures see it, and counters per township, department,
day, item and channel (county_hub.county_projection). Every push keeps both in the same transaction as
the log. The tables start empty: ``county-hub county rebuild`` fills them from the log of a hub that
already holds events (docs/hub.md, "County figures").

Revision ID: 0004_county_figures
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_county_figures"
down_revision = "0003"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)
_COUNTERS = (
    "intakes", "accepted", "on_spot", "notified", "refused", "transfers", "transfers_on_time", "decisions",
    "decided_in_time", "decision_seconds",
)  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "county_cases",
        sa.Column("case_uuid", sa.String(length=36), nullable=False),
        sa.Column("site_code", sa.String(length=32), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=False),
        sa.Column("case_number", sa.String(length=64), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("stage_since", _WHEN, nullable=True),
        sa.Column("accepted_at", _WHEN, nullable=True),
        sa.Column("transferred_at", _WHEN, nullable=True),
        sa.Column("due_at", _WHEN, nullable=True),
        sa.Column("decided_at", _WHEN, nullable=True),
        sa.Column("decided_day", sa.String(length=10), nullable=True),
        sa.Column("decision_seconds", sa.BigInteger(), nullable=True),
        sa.Column("deadline", _WHEN, nullable=True),
        sa.Column("risk_at", _WHEN, nullable=True),
        sa.PrimaryKeyConstraint("case_uuid"),
    )
    op.create_index("ix_county_cases_risk", "county_cases", ["risk_at"])
    op.create_index(
        "ix_county_cases_decided",
        "county_cases",
        ["decided_day", "site_code", "department_code", "decision_seconds"],
    )
    op.create_index("ix_county_cases_status", "county_cases", ["status", "site_code"])
    op.create_table(
        "county_daily",
        sa.Column("site_code", sa.String(length=32), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        *(sa.Column(name, sa.BigInteger(), nullable=False) for name in _COUNTERS),
        sa.PrimaryKeyConstraint("site_code", "department_code", "day", "item_code", "channel"),
    )
    op.create_index("ix_county_daily_day", "county_daily", ["day", "site_code"])


def downgrade() -> None:
    op.drop_index("ix_county_daily_day", table_name="county_daily")
    op.drop_table("county_daily")
    for name in ("ix_county_cases_status", "ix_county_cases_decided", "ix_county_cases_risk"):
        op.drop_index(name, table_name="county_cases")
    op.drop_table("county_cases")
