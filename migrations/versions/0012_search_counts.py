"""search counts: kept counts per name prefix, and indexes for searches in a tab

A tab's count under a name search (the surname 张: some 20,000 people of a million cases) was counted on
the cases, up to a cap of 1,000 per tab, 85-227 ms for the window's five tabs at 1,000,000 cases
(docs/performance.md). ``case_name_counts`` keeps, per blind-index name key (``person_name_keys``), status,
site, department and pending withdrawal request, how many cases there are; such a count is then a sum over a
few rows. Triggers on ``cases`` and on ``person_name_keys`` keep it in the same transaction as every write;
the upgrade counts what is there. The triggers on ``cases`` find a case's applicant's keys by a new index on
``person_name_keys.person_id``. The SQL is written out here as it is at this revision;
clerk_desk/store/name_counts.py keeps the current one and puts back triggers a later batch migration loses.

A common name searched in a tab is found by walking the tab in date order and testing each case's applicant:
the two indexes walked (by date; by status and date) now hold the status, the applicant, the site and the
department, so a case of another status, department or name is never read (the inbox's tabs are a status and
the approver's departments). The few cases with a withdrawal request pending get a partial index (the inbox's
撤回申请 tab).

Revision ID: 0012_search_counts
Revises: 0011_figure_counts
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_search_counts"
down_revision: str | None = "0011_figure_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = (
    (
        "case_name_counts_case_insert",
        "cases",
        "AFTER INSERT ON cases BEGIN INSERT INTO case_name_counts(key, status, site_code, department_code, withdrawal_requested, n) SELECT k.key, new.status, coalesce(new.site_code, ''), coalesce(new.department_code, ''), coalesce(new.withdrawal_requested, 0), 1 FROM person_name_keys AS k WHERE k.person_id = new.applicant_id ON CONFLICT DO UPDATE SET n = n + 1; END",
    ),
    (
        "case_name_counts_case_delete",
        "cases",
        "AFTER DELETE ON cases BEGIN UPDATE case_name_counts SET n = n - 1 WHERE key IN (SELECT k.key FROM person_name_keys AS k WHERE k.person_id = old.applicant_id) AND status = old.status AND site_code = coalesce(old.site_code, '') AND department_code = coalesce(old.department_code, '') AND withdrawal_requested = coalesce(old.withdrawal_requested, 0); DELETE FROM case_name_counts WHERE key IN (SELECT k.key FROM person_name_keys AS k WHERE k.person_id = old.applicant_id) AND status = old.status AND site_code = coalesce(old.site_code, '') AND department_code = coalesce(old.department_code, '') AND withdrawal_requested = coalesce(old.withdrawal_requested, 0) AND n <= 0; END",
    ),
    (
        "case_name_counts_case_update",
        "cases",
        "AFTER UPDATE OF status, site_code, department_code, withdrawal_requested, applicant_id ON cases WHEN old.status IS NOT new.status OR old.site_code IS NOT new.site_code OR old.department_code IS NOT new.department_code OR old.withdrawal_requested IS NOT new.withdrawal_requested OR old.applicant_id IS NOT new.applicant_id BEGIN UPDATE case_name_counts SET n = n - 1 WHERE key IN (SELECT k.key FROM person_name_keys AS k WHERE k.person_id = old.applicant_id) AND status = old.status AND site_code = coalesce(old.site_code, '') AND department_code = coalesce(old.department_code, '') AND withdrawal_requested = coalesce(old.withdrawal_requested, 0); DELETE FROM case_name_counts WHERE key IN (SELECT k.key FROM person_name_keys AS k WHERE k.person_id = old.applicant_id) AND status = old.status AND site_code = coalesce(old.site_code, '') AND department_code = coalesce(old.department_code, '') AND withdrawal_requested = coalesce(old.withdrawal_requested, 0) AND n <= 0; INSERT INTO case_name_counts(key, status, site_code, department_code, withdrawal_requested, n) SELECT k.key, new.status, coalesce(new.site_code, ''), coalesce(new.department_code, ''), coalesce(new.withdrawal_requested, 0), 1 FROM person_name_keys AS k WHERE k.person_id = new.applicant_id ON CONFLICT DO UPDATE SET n = n + 1; END",
    ),
    (
        "case_name_counts_key_insert",
        "person_name_keys",
        "AFTER INSERT ON person_name_keys BEGIN INSERT INTO case_name_counts(key, status, site_code, department_code, withdrawal_requested, n) SELECT new.key, status, site_code, department_code, withdrawal_requested, m FROM (SELECT c.status AS status, coalesce(c.site_code, '') AS site_code, coalesce(c.department_code, '') AS department_code, coalesce(c.withdrawal_requested, 0) AS withdrawal_requested, count(*) AS m FROM cases AS c WHERE c.applicant_id = new.person_id GROUP BY 1, 2, 3, 4) WHERE true ON CONFLICT DO UPDATE SET n = n + excluded.n; END",
    ),
    (
        "case_name_counts_key_delete",
        "person_name_keys",
        "AFTER DELETE ON person_name_keys BEGIN UPDATE case_name_counts SET n = n - g.m FROM (SELECT c.status AS status, coalesce(c.site_code, '') AS site_code, coalesce(c.department_code, '') AS department_code, coalesce(c.withdrawal_requested, 0) AS withdrawal_requested, count(*) AS m FROM cases AS c WHERE c.applicant_id = old.person_id GROUP BY 1, 2, 3, 4) AS g WHERE case_name_counts.key = old.key AND case_name_counts.status = g.status AND case_name_counts.site_code = g.site_code AND case_name_counts.department_code = g.department_code AND case_name_counts.withdrawal_requested = g.withdrawal_requested; DELETE FROM case_name_counts WHERE key = old.key AND n <= 0 AND (status, site_code, department_code, withdrawal_requested) IN (SELECT status, site_code, department_code, withdrawal_requested FROM (SELECT c.status AS status, coalesce(c.site_code, '') AS site_code, coalesce(c.department_code, '') AS department_code, coalesce(c.withdrawal_requested, 0) AS withdrawal_requested, count(*) AS m FROM cases AS c WHERE c.applicant_id = old.person_id GROUP BY 1, 2, 3, 4)); END",
    ),
    (
        "case_name_counts_key_update",
        "person_name_keys",
        "AFTER UPDATE ON person_name_keys WHEN old.key IS NOT new.key OR old.person_id IS NOT new.person_id BEGIN UPDATE case_name_counts SET n = n - g.m FROM (SELECT c.status AS status, coalesce(c.site_code, '') AS site_code, coalesce(c.department_code, '') AS department_code, coalesce(c.withdrawal_requested, 0) AS withdrawal_requested, count(*) AS m FROM cases AS c WHERE c.applicant_id = old.person_id GROUP BY 1, 2, 3, 4) AS g WHERE case_name_counts.key = old.key AND case_name_counts.status = g.status AND case_name_counts.site_code = g.site_code AND case_name_counts.department_code = g.department_code AND case_name_counts.withdrawal_requested = g.withdrawal_requested; DELETE FROM case_name_counts WHERE key = old.key AND n <= 0 AND (status, site_code, department_code, withdrawal_requested) IN (SELECT status, site_code, department_code, withdrawal_requested FROM (SELECT c.status AS status, coalesce(c.site_code, '') AS site_code, coalesce(c.department_code, '') AS department_code, coalesce(c.withdrawal_requested, 0) AS withdrawal_requested, count(*) AS m FROM cases AS c WHERE c.applicant_id = old.person_id GROUP BY 1, 2, 3, 4)); INSERT INTO case_name_counts(key, status, site_code, department_code, withdrawal_requested, n) SELECT new.key, status, site_code, department_code, withdrawal_requested, m FROM (SELECT c.status AS status, coalesce(c.site_code, '') AS site_code, coalesce(c.department_code, '') AS department_code, coalesce(c.withdrawal_requested, 0) AS withdrawal_requested, count(*) AS m FROM cases AS c WHERE c.applicant_id = new.person_id GROUP BY 1, 2, 3, 4) WHERE true ON CONFLICT DO UPDATE SET n = n + excluded.n; END",
    ),
)
REBUILD = "INSERT INTO case_name_counts(key, status, site_code, department_code, withdrawal_requested, n) SELECT k.key, c.status, coalesce(c.site_code, ''), coalesce(c.department_code, ''), coalesce(c.withdrawal_requested, 0), count(*) FROM person_name_keys AS k JOIN cases AS c ON c.applicant_id = k.person_id GROUP BY 1, 2, 3, 4, 5"


def upgrade() -> None:
    op.create_index("ix_person_name_keys_person_id", "person_name_keys", ["person_id"], unique=False)
    op.create_table(
        "case_name_counts",
        sa.Column("key", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=False),
        sa.Column("withdrawal_requested", sa.Boolean(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "key",
            "status",
            "site_code",
            "department_code",
            "withdrawal_requested",
            name=op.f("pk_case_name_counts"),
        ),
        sqlite_with_rowid=False,
    )
    for name, _table, body in TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute(REBUILD)
    op.drop_index("ix_cases_created_at", table_name="cases")
    op.drop_index("ix_cases_status_created", table_name="cases")
    op.drop_index("ix_cases_status", table_name="cases")  # ix_cases_status_walk serves it
    walked = ["applicant_id", "site_code", "department_code"]
    op.create_index("ix_cases_date_walk", "cases", ["created_at", "status", *walked], unique=False)
    op.create_index("ix_cases_status_walk", "cases", ["status", "created_at", *walked], unique=False)
    op.create_index(
        "ix_cases_withdrawal_pending",
        "cases",
        ["created_at"],
        unique=False,
        sqlite_where=sa.text("withdrawal_requested = 1"),
    )
    # A file the planner keeps statistics for (ANALYZE was run on it) gets them for the new indexes too:
    # statistics for some indexes and none for others mislead it (a status tab read by sorting 80,000 rows).
    if op.get_bind().exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
        op.execute("ANALYZE cases")


def downgrade() -> None:
    op.drop_index(
        "ix_cases_withdrawal_pending", table_name="cases", sqlite_where=sa.text("withdrawal_requested = 1")
    )
    op.drop_index("ix_cases_status_walk", table_name="cases")
    op.drop_index("ix_cases_date_walk", table_name="cases")
    op.create_index("ix_cases_status", "cases", ["status"], unique=False)
    op.create_index("ix_cases_status_created", "cases", ["status", "created_at"], unique=False)
    op.create_index("ix_cases_created_at", "cases", ["created_at"], unique=False)
    for name, _table, _body in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("case_name_counts")
    op.drop_index("ix_person_name_keys_person_id", table_name="person_name_keys")
