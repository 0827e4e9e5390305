"""case counts: how many cases per status, hall day, site, department and pending withdrawal request

The tab counts of the case lists sum these rows instead of counting cases (195-270 ms at 1,000,000 cases
before; docs/cases.md, "Tab counts"). Triggers on ``cases`` keep them in the same transaction as every
write to a case, local or from sync; the upgrade counts the cases already there. The SQL is written out
here as it was at this revision; clerk_desk/store/case_counts.py keeps the current one and puts back
triggers a later migration that recreates ``cases`` would lose. The index on the applicant gains the
status and the date (ix_cases_applicant_status), so a count led by the people of a searched name reads no
case row.

Revision ID: 0008_case_counts
Revises: 0007_hall_services
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_case_counts"
down_revision: str | None = "0007_hall_services"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = (
    (
        "case_counts_insert",
        "AFTER INSERT ON cases BEGIN INSERT INTO case_counts(status, day, site_code, department_code, withdrawal_requested, n) VALUES (new.status, date(new.created_at, '+8 hours'), coalesce(new.site_code, ''), coalesce(new.department_code, ''), coalesce(new.withdrawal_requested, 0), 1) ON CONFLICT DO UPDATE SET n = n + 1; END",
    ),
    (
        "case_counts_delete",
        "AFTER DELETE ON cases BEGIN UPDATE case_counts SET n = n - 1 WHERE status = old.status AND day = date(old.created_at, '+8 hours') AND site_code = coalesce(old.site_code, '') AND department_code = coalesce(old.department_code, '') AND withdrawal_requested = coalesce(old.withdrawal_requested, 0); DELETE FROM case_counts WHERE status = old.status AND day = date(old.created_at, '+8 hours') AND site_code = coalesce(old.site_code, '') AND department_code = coalesce(old.department_code, '') AND withdrawal_requested = coalesce(old.withdrawal_requested, 0) AND n <= 0; END",
    ),
    (
        "case_counts_update",
        "AFTER UPDATE OF status, created_at, site_code, department_code, withdrawal_requested ON cases WHEN old.status IS NOT new.status OR old.created_at IS NOT new.created_at OR old.site_code IS NOT new.site_code OR old.department_code IS NOT new.department_code OR old.withdrawal_requested IS NOT new.withdrawal_requested BEGIN UPDATE case_counts SET n = n - 1 WHERE status = old.status AND day = date(old.created_at, '+8 hours') AND site_code = coalesce(old.site_code, '') AND department_code = coalesce(old.department_code, '') AND withdrawal_requested = coalesce(old.withdrawal_requested, 0); DELETE FROM case_counts WHERE status = old.status AND day = date(old.created_at, '+8 hours') AND site_code = coalesce(old.site_code, '') AND department_code = coalesce(old.department_code, '') AND withdrawal_requested = coalesce(old.withdrawal_requested, 0) AND n <= 0; INSERT INTO case_counts(status, day, site_code, department_code, withdrawal_requested, n) VALUES (new.status, date(new.created_at, '+8 hours'), coalesce(new.site_code, ''), coalesce(new.department_code, ''), coalesce(new.withdrawal_requested, 0), 1) ON CONFLICT DO UPDATE SET n = n + 1; END",
    ),
)
REBUILD = "INSERT INTO case_counts(status, day, site_code, department_code, withdrawal_requested, n) SELECT cases.status, date(cases.created_at, '+8 hours'), coalesce(cases.site_code, ''), coalesce(cases.department_code, ''), coalesce(cases.withdrawal_requested, 0), count(*) FROM cases GROUP BY 1, 2, 3, 4, 5"


def upgrade() -> None:
    op.create_table(
        "case_counts",
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=False),
        sa.Column("withdrawal_requested", sa.Boolean(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "status",
            "day",
            "site_code",
            "department_code",
            "withdrawal_requested",
            name=op.f("pk_case_counts"),
        ),
        sqlite_with_rowid=False,
    )
    for name, body in TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute(REBUILD)
    # A count in a large list with a name searched is led by the people of that name: the index holds the
    # status and the date, so no case row is read to test them.
    op.drop_index("ix_cases_applicant", table_name="cases")
    op.create_index("ix_cases_applicant_status", "cases", ["applicant_id", "status", "created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_cases_applicant_status", table_name="cases")
    op.create_index("ix_cases_applicant", "cases", ["applicant_id"], unique=False)
    for name, _body in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("case_counts")
