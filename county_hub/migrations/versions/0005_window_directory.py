"""The window directory: the windows of each site as county IT registered them (county_hub.windows). The
hub judges the routing of intake events by these facts once a site has any, instead of the facts the event
carries. The table starts empty: a hub before it judges every site as before until its windows are added.

Revision ID: 0005_window_directory
Revises: 0004_county_figures
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_window_directory"
down_revision = "0004_county_figures"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "hub_windows",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("site_code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("devices", sa.JSON(), nullable=False),
        sa.Column("ended_at", _WHEN, nullable=True),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["site_code"], ["sites.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("site_code", "name", name="uq_hub_windows_site_name"),
    )
    with op.batch_alter_table("hub_windows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hub_windows_site_code"), ["site_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hub_windows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hub_windows_site_code"))
    op.drop_table("hub_windows")
