"""hall services: records that are not cases, in the one outbox; the ratings index

Revision ID: 0007_hall_services
Revises: 0006_case_lists
Create Date: 2026-12-06

* ``case_events.stream``: the outbox carries events of several streams (domain/hall_streams.py); every
  existing event is a case event. ``case_events.case_uuid`` loses its foreign key to ``cases``: for the
  other streams it holds the record's uuid.
* ``hall_records``: consultations, 帮办代办 and attendance stints (docs/hall-services.md).
* 好差评 (services/evaluation.py) reads the rating events of the case log through a small partial index.
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
    op.create_table(
        "hall_records",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("stream", sa.String(length=16), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("window_id", sa.String(length=36), nullable=True),
        sa.Column("window_name", sa.String(length=64), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("device_code", sa.String(length=8), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_hall_records")),
    )
    with op.batch_alter_table("hall_records", schema=None) as batch_op:
        batch_op.create_index("ix_hall_records_stream_started", ["stream", "site_code", "started_at"], unique=False)
    # One rebuild of case_events: the stream column, no foreign key on case_uuid, the ratings index.
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stream", sa.String(length=16), server_default="case", nullable=False))
        batch_op.drop_constraint("fk_case_events_case_uuid_cases", type_="foreignkey")
        batch_op.create_index("ix_case_events_ratings", ["type", "occurred_at"], unique=False, sqlite_where=_RATINGS)


def downgrade() -> None:
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index("ix_case_events_ratings", sqlite_where=_RATINGS)
    op.execute("DELETE FROM case_events WHERE stream <> 'case'")
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_foreign_key("fk_case_events_case_uuid_cases", "cases", ["case_uuid"], ["uuid"])
        batch_op.drop_column("stream")
    with op.batch_alter_table("hall_records", schema=None) as batch_op:
        batch_op.drop_index("ix_hall_records_stream_started")
    op.drop_table("hall_records")
