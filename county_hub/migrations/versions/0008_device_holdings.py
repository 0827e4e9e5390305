"""What each desk holds: ``device_holdings`` keeps, per device, the program version, the catalog version and
the calendar years (with each year's calendar version) its desk last reported in the ``X-Desk-Holds`` header
of its timer round (county_hub.holdings, docs/sync-protocol.md), for ``county-hub device list``.

Empty after the upgrade: each desk fills its row at its next timer round. Down drops the table (what the
desks reported is lost; they report it again after the next upgrade).

Revision ID: 0008_device_holdings
Revises: 0007_county_item_names
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_device_holdings"
down_revision = "0007_county_item_names"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_holdings",
        sa.Column("device_code", sa.String(length=32), nullable=False),
        sa.Column("os_account", sa.String(length=200), nullable=False),
        sa.Column("app_version", sa.String(length=100), nullable=False),
        sa.Column("catalog_version", sa.String(length=100), nullable=True),
        sa.Column("catalog_source", sa.String(length=8), nullable=True),
        sa.Column("calendar", sa.JSON(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["device_code"], ["devices.code"]),
        sa.PrimaryKeyConstraint("device_code"),
    )


def downgrade() -> None:
    op.drop_table("device_holdings")
