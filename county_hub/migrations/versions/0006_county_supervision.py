"""The county 督办 list judged when asked, and the decision times as a per-day histogram.

``county_cases`` now keeps the moments and people the 督办 stages are timed from (the latest hand-over, who
signed for it, a pause, the result's return, an open 容缺 pledge, how and by whom it closed at the window)
instead of a deadline worked out when the events came: the deadline depends on values and a calendar the
county may change (county_hub.county_supervision). ``county_durations`` counts decisions per day, township,
department and duration bucket, so a period's p90 is a sum over its days; ``county_monthly`` and
``county_durations_monthly`` hold the same sums per month, so a year is twelve months and a few days. The
figure tables are made again empty: run ``county-hub county rebuild`` once after the upgrade on a hub that
already holds events (docs/hub.md, "County figures").

Revision ID: 0006_county_supervision
Revises: 0005_window_directory
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_county_supervision"
down_revision = "0005_window_directory"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def _drop_cases(indexes: tuple[str, ...]) -> None:
    for name in indexes:
        op.drop_index(name, table_name="county_cases")
    op.drop_table("county_cases")


def _cases(*columns: sa.Column) -> None:
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
        *columns,
        sa.PrimaryKeyConstraint("case_uuid"),
    )
    op.create_index(
        "ix_county_cases_decided",
        "county_cases",
        ["decided_day", "site_code", "department_code", "decision_seconds"],
    )
    op.create_index("ix_county_cases_status", "county_cases", ["status", "site_code"])


def _decided() -> list[sa.Column]:
    return [
        sa.Column("accepted_at", _WHEN, nullable=True),
        sa.Column("transferred_at", _WHEN, nullable=True),
        sa.Column("due_at", _WHEN, nullable=True),
        sa.Column("decided_at", _WHEN, nullable=True),
        sa.Column("decided_day", sa.String(length=10), nullable=True),
        sa.Column("decision_seconds", sa.BigInteger(), nullable=True),
    ]


_COUNTERS = (
    "intakes", "accepted", "on_spot", "notified", "refused", "transfers", "transfers_on_time", "decisions",
    "decided_in_time", "decision_seconds",
)  # fmt: skip


def upgrade() -> None:
    _drop_cases(("ix_county_cases_status", "ix_county_cases_decided", "ix_county_cases_risk"))
    op.execute("DELETE FROM county_daily")  # every figure table starts again from the log (a rebuild)
    op.drop_index("ix_county_daily_day", table_name="county_daily")
    op.create_index("ix_county_daily_day", "county_daily", ["day", "site_code", "intakes"])
    op.create_table(
        "county_monthly",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("site_code", sa.String(length=32), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        *(sa.Column(name, sa.BigInteger(), nullable=False) for name in _COUNTERS),
        sa.PrimaryKeyConstraint("month", "site_code", "department_code", "item_code", "channel"),
    )
    op.create_table(
        "county_durations_monthly",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("site_code", sa.String(length=32), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=False),
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("month", "site_code", "department_code", "bucket"),
    )
    _cases(
        sa.Column("clerk", sa.String(length=64), nullable=False),
        *_decided(),
        sa.Column("handed_at", _WHEN, nullable=True),
        sa.Column("received_by", sa.String(length=64), nullable=False),
        sa.Column("paused_since", _WHEN, nullable=True),
        sa.Column("returned_at", _WHEN, nullable=True),
        sa.Column("pledge_open", sa.Boolean(), nullable=False),
        sa.Column("pledge_due", sa.String(length=10), nullable=True),
        sa.Column("closed_at", _WHEN, nullable=True),
        sa.Column("closed_by", sa.String(length=64), nullable=False),
    )
    op.create_index("ix_county_cases_pledge", "county_cases", ["pledge_due"])
    op.create_index("ix_county_cases_closed", "county_cases", ["status", "closed_at"])
    op.create_table(
        "county_durations",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("site_code", sa.String(length=32), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=False),
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "site_code", "department_code", "bucket"),
    )


def downgrade() -> None:
    op.drop_table("county_durations_monthly")
    op.drop_table("county_monthly")
    op.drop_index("ix_county_daily_day", table_name="county_daily")
    op.create_index("ix_county_daily_day", "county_daily", ["day", "site_code"])
    op.drop_table("county_durations")
    op.drop_index("ix_county_cases_closed", table_name="county_cases")
    op.drop_index("ix_county_cases_pledge", table_name="county_cases")
    _drop_cases(("ix_county_cases_status", "ix_county_cases_decided"))
    op.execute("DELETE FROM county_daily")
    _cases(
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("stage_since", _WHEN, nullable=True),
        *_decided(),
        sa.Column("deadline", _WHEN, nullable=True),
        sa.Column("risk_at", _WHEN, nullable=True),
    )
    op.create_index("ix_county_cases_risk", "county_cases", ["risk_at"])
