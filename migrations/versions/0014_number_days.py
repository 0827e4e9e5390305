"""number days: an index that reads a case-number prefix newest first

A newest-first list (the window's 办件 list, the inbox's 全部, the window's 后台办理中) under a broad case-number
prefix of old numbers (a year ago: ``421224100-01-2025``) walked every newer case in date order and read each
to test its number before the first match: 80-200 ms at 1,000,000 cases (docs/performance.md). A case's creation
date may differ from the date in its number, so the walk cannot be bounded by that date.

``ix_cases_number_day`` (the number's first 21 characters, date, uuid, number, status, site, department) holds
each number day's cases newest first: services/case_number_plans.py finds the days under the prefix one seek each,
the newest date of each, and reads the days newest first only until the page is full, testing status, site and
department from the index (docs/cases.md, "Reading a page under a search"). No kept data: nothing to count again.

Revision ID: 0014_number_days
Revises: 0013_case_number_range
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_number_days"
down_revision: str | None = "0013_case_number_range"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["created_at", "uuid", "case_number", "status", "site_code", "department_code"]


def upgrade() -> None:
    op.create_index("ix_cases_number_day", "cases", [sa.text("substr(case_number, 1, 21)"), *COLUMNS], unique=False)
    # A file the planner keeps statistics for gets them for the new index too (as in 0012, 0013).
    if op.get_bind().exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
        op.execute("ANALYZE ix_cases_number_day")


def downgrade() -> None:
    op.drop_index("ix_cases_number_day", table_name="cases")
