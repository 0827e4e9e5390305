"""catalog situations (情形), copies of each form, 容缺 unknown; search keys no longer stored

Items declare situation questions and a material may apply only under some answers
(docs/catalog-format.md); a material may say how many originals and photocopies; whether it may be
pledged (容缺) may be unknown. The search index is built from names, keywords and materials when the
desk starts (catalog/search.py), so the table of precomputed pinyin keys goes.

Revision ID: 0005_catalog_situations
Revises: 0004_data_at_rest
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_catalog_situations"
down_revision: str | None = "0004_data_at_rest"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("catalog_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("situations", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    with op.batch_alter_table("catalog_materials", schema=None) as batch_op:
        batch_op.add_column(sa.Column("copies_original", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("copies_copy", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("applies_when", sa.JSON(), nullable=True))
        batch_op.alter_column("waivable", existing_type=sa.Boolean(), nullable=True)
    with op.batch_alter_table("catalog_search_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_catalog_search_keys_item")
    op.drop_table("catalog_search_keys")


def downgrade() -> None:
    # The old search needs its keys: they are made again by re-importing the catalog (--force).
    op.create_table(
        "catalog_search_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=512), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["catalog_items.id"],
            name=op.f("fk_catalog_search_keys_item_id_catalog_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_search_keys")),
    )
    with op.batch_alter_table("catalog_search_keys", schema=None) as batch_op:
        batch_op.create_index("ix_catalog_search_keys_item", ["item_id"], unique=False)
    op.execute("UPDATE catalog_materials SET waivable = 0 WHERE waivable IS NULL")
    with op.batch_alter_table("catalog_materials", schema=None) as batch_op:
        batch_op.alter_column("waivable", existing_type=sa.Boolean(), nullable=False)
        batch_op.drop_column("applies_when")
        batch_op.drop_column("copies_copy")
        batch_op.drop_column("copies_original")
    with op.batch_alter_table("catalog_items", schema=None) as batch_op:
        batch_op.drop_column("situations")
