"""case number range: an index that reads a case-number prefix within a status

The inbox's work tabs (待签收, 办理中) list the oldest case first. Under a broad case-number prefix (a year:
``421224100-01-2026``) they walked the status in date order and read each case to test its number, through
every case of earlier years before the first match: 37-46 ms of CPU at 1,000,000 cases (docs/performance.md).
A case's creation date may differ from the date in its number, so the walk cannot be bounded by that date.

``ix_cases_status_number`` (status, site, department, case number, date, uuid) lets a prefix be read as a range
within a status and one of the approver's departments, and the page chosen by sorting the ranges' keys
(``(created_at, uuid)``, the keyset) without reading a case; services/case_number_plans.py takes that plan when the
ranges are small enough (docs/cases.md, "Reading a page under a search"). No kept data: nothing to count again.

Revision ID: 0013_case_number_range
Revises: 0012_search_counts
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0013_case_number_range"
down_revision: str | None = "0012_search_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["status", "site_code", "department_code", "case_number", "created_at", "uuid"]


def upgrade() -> None:
    op.create_index("ix_cases_status_number", "cases", COLUMNS, unique=False)
    # A file the planner keeps statistics for gets them for the new index too (as in 0012): statistics for
    # some indexes and none for others mislead it.
    if op.get_bind().exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
        op.execute("ANALYZE ix_cases_status_number")


def downgrade() -> None:
    op.drop_index("ix_cases_status_number", table_name="cases")
