"""The items' names for the county figures: ``county_items`` keeps the name each item code was given by the
log's intake events, so the county's PC names an item only another township's own catalog holds.

Filled here from the log, under the append lock (the counter row; on SQLite the migration's write
transaction): the name of the latest intake of each code (by ``occurred_at``, then log order), as every push
keeps it from now on (county_hub.county_projection) and ``county-hub county rebuild`` makes it. Only the
intake events are read, their whole payloads decoded in Python: the databases' JSON functions fail on (or cut
a text at) an escaped NUL a desk may have sent. The rule is written out below (a migration does not change
with the code after it); tests/hub/test_county_item_names.py checks that it gives what the pushes kept and
what a rebuild makes. No rebuild is needed after this upgrade.

Revision ID: 0007_county_item_names
Revises: 0006_county_supervision
Create Date: 2026-12-07
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007_county_item_names"
down_revision = "0006_county_supervision"
branch_labels = None
depends_on = None

# The intake events (county_hub.county_projection: INTAKES and intake_saved), read in seq order by chunks.
_INTAKES = ("accepted", "completed_on_spot", "supplement_notified", "refused", "intake_saved")
_CHUNK = 20_000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")

_events = sa.table(
    "events",
    sa.column("seq", sa.BigInteger()),
    sa.column("type", sa.String()),
    sa.column("occurred_at", sa.String()),
    sa.column("payload", sa.JSON()),
)
_items = sa.table(
    "county_items", sa.column("item_code", sa.String()), sa.column("item_name", sa.String()),
    sa.column("named_at", sa.String()),
)  # fmt: skip


def _name(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(_CONTROL.sub(" ", value).split())[:256]


def upgrade() -> None:
    op.create_table(
        "county_items",
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("item_name", sa.String(length=256), nullable=False),
        sa.Column("named_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("item_code"),
    )
    bind = op.get_bind()
    bind.execute(sa.text("SELECT value FROM counters WHERE name = 'events'" + _for_update(bind)))
    items: dict[str, tuple[str, str]] = {}
    after = -1
    while True:
        rows = bind.execute(
            sa.select(_events.c.seq, _events.c.occurred_at, _events.c.payload)
            .where(_events.c.seq > after, _events.c.type.in_(_INTAKES))
            .order_by(_events.c.seq)
            .limit(_CHUNK)
        ).all()
        if not rows:
            break
        for _seq, at, payload in rows:
            p = payload if isinstance(payload, dict) else {}
            named, code = _name(p.get("item_name")), p.get("item_code")
            if named and code:
                key = str(code).replace("\x00", "\ufffd")[:64]  # as county_cases keeps it
                held = items.get(key)
                if held is None or at >= held[1]:
                    items[key] = (named, at)
        after = rows[-1][0]
    if items:
        op.bulk_insert(
            _items,
            [{"item_code": c, "item_name": n, "named_at": at} for c, (n, at) in sorted(items.items())],
        )


def _for_update(bind: Any) -> str:
    return " FOR UPDATE" if bind.dialect.name == "postgresql" else ""


def downgrade() -> None:
    op.drop_table("county_items")
