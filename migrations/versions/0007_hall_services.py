"""hall services: the ratings index

Revision ID: 0007_hall_services
Revises: 0006_case_lists
Create Date: 2026-12-06

好差评 (services/evaluation.py) reads the rating events of the case log through a small partial index.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_hall_services"
down_revision: str | None = "0006_case_lists"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RATINGS = sa.text("type IN ('rated', 'rating_followed_up')")


def upgrade() -> None:
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index("ix_case_events_ratings", ["type", "occurred_at"], unique=False, sqlite_where=_RATINGS)


def downgrade() -> None:
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index("ix_case_events_ratings", sqlite_where=_RATINGS)
