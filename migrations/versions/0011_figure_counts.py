"""figure counts: the acts 统计 counts and the intake acts per day, kept by triggers

A month's figures read every act of the month and joined each to its case (1.4 s at 1,000,000 cases;
docs/supervision.md, "Kept figures"). ``figure_acts`` keeps one row per counted event with what the figures
read of it and its case, ``figure_days`` the intake acts per hall day and key and the results back and handed over per day; triggers on ``case_events``
and ``cases`` keep them in the same transaction as every write, and on ``figure_acts`` keep the day
counts. The upgrade derives them from what is there. The SQL is written out as it was at this revision;
clerk_desk/store/figure_counts.py keeps the current one and puts back triggers a later migration that
recreates ``cases`` or ``case_events`` would lose.

Revision ID: 0011_figure_counts
Revises: 0010_hall_routing
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_figure_counts"
down_revision: str | None = "0010_hall_routing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = (
    (
        "figure_acts_event_insert",
        "AFTER INSERT ON case_events WHEN new.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused', 'transferred', 'decided', 'delivered', 'result_returned') BEGIN INSERT INTO figure_acts(event_uuid, kind, day, site_code, window_id, clerk, department_code, item_code, item_name, channel, took_us, on_time) SELECT e.uuid, e.type, date(e.occurred_at, '+8 hours'), coalesce(c.site_code, ''), CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.window_id, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(e.actor, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.department_code, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.item_code, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.item_name, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.channel, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') OR c.accepted_at IS NULL THEN NULL ELSE ((CAST(strftime('%s', e.occurred_at) AS INTEGER) * 1000000 + CAST(substr(e.occurred_at || '.000000', 21, 6) AS INTEGER)) - (CAST(strftime('%s', c.accepted_at) AS INTEGER) * 1000000 + CAST(substr(c.accepted_at || '.000000', 21, 6) AS INTEGER))) END, CASE e.type WHEN 'transferred' THEN NOT ((CASE WHEN json_valid(e.payload) THEN coalesce(json_extract(e.payload, '$.late'), 0) ELSE 0 END) OR ((CAST(strftime('%s', e.occurred_at) AS INTEGER) * 1000000 + CAST(substr(e.occurred_at || '.000000', 21, 6) AS INTEGER)) - (CAST(strftime('%s', c.accepted_at) AS INTEGER) * 1000000 + CAST(substr(c.accepted_at || '.000000', 21, 6) AS INTEGER))) >= (CASE WHEN c.urgent THEN 301000000 ELSE 901000000 END)) WHEN 'decided' THEN coalesce(c.due_at IS NOT NULL AND (CAST(strftime('%s', e.occurred_at) AS INTEGER) * 1000000 + CAST(substr(e.occurred_at || '.000000', 21, 6) AS INTEGER)) <= (CAST(strftime('%s', c.due_at) AS INTEGER) * 1000000 + CAST(substr(c.due_at || '.000000', 21, 6) AS INTEGER)), 0) ELSE 0 END FROM case_events AS e JOIN cases AS c ON c.uuid = e.case_uuid WHERE (e.uuid = new.uuid) AND e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused', 'transferred', 'decided', 'delivered', 'result_returned') AND e.push_state NOT IN ('rejected', 'held', 'set_aside') AND (e.type <> 'transferred' OR c.accepted_at IS NOT NULL) ON CONFLICT DO NOTHING; END",
    ),
    (
        "figure_acts_event_delete",
        "AFTER DELETE ON case_events WHEN old.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused', 'transferred', 'decided', 'delivered', 'result_returned') BEGIN DELETE FROM figure_acts WHERE event_uuid = old.uuid; END",
    ),
    (
        "figure_acts_event_update",
        "AFTER UPDATE OF type, occurred_at, push_state, payload, actor, case_uuid ON case_events WHEN (old.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused', 'transferred', 'decided', 'delivered', 'result_returned') OR new.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused', 'transferred', 'decided', 'delivered', 'result_returned')) AND (old.type IS NOT new.type OR old.occurred_at IS NOT new.occurred_at OR old.payload IS NOT new.payload OR old.actor IS NOT new.actor OR old.case_uuid IS NOT new.case_uuid OR (old.push_state IN ('rejected', 'held', 'set_aside')) IS NOT (new.push_state IN ('rejected', 'held', 'set_aside'))) BEGIN DELETE FROM figure_acts WHERE event_uuid = old.uuid; INSERT INTO figure_acts(event_uuid, kind, day, site_code, window_id, clerk, department_code, item_code, item_name, channel, took_us, on_time) SELECT e.uuid, e.type, date(e.occurred_at, '+8 hours'), coalesce(c.site_code, ''), CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.window_id, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(e.actor, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.department_code, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.item_code, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.item_name, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.channel, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') OR c.accepted_at IS NULL THEN NULL ELSE ((CAST(strftime('%s', e.occurred_at) AS INTEGER) * 1000000 + CAST(substr(e.occurred_at || '.000000', 21, 6) AS INTEGER)) - (CAST(strftime('%s', c.accepted_at) AS INTEGER) * 1000000 + CAST(substr(c.accepted_at || '.000000', 21, 6) AS INTEGER))) END, CASE e.type WHEN 'transferred' THEN NOT ((CASE WHEN json_valid(e.payload) THEN coalesce(json_extract(e.payload, '$.late'), 0) ELSE 0 END) OR ((CAST(strftime('%s', e.occurred_at) AS INTEGER) * 1000000 + CAST(substr(e.occurred_at || '.000000', 21, 6) AS INTEGER)) - (CAST(strftime('%s', c.accepted_at) AS INTEGER) * 1000000 + CAST(substr(c.accepted_at || '.000000', 21, 6) AS INTEGER))) >= (CASE WHEN c.urgent THEN 301000000 ELSE 901000000 END)) WHEN 'decided' THEN coalesce(c.due_at IS NOT NULL AND (CAST(strftime('%s', e.occurred_at) AS INTEGER) * 1000000 + CAST(substr(e.occurred_at || '.000000', 21, 6) AS INTEGER)) <= (CAST(strftime('%s', c.due_at) AS INTEGER) * 1000000 + CAST(substr(c.due_at || '.000000', 21, 6) AS INTEGER)), 0) ELSE 0 END FROM case_events AS e JOIN cases AS c ON c.uuid = e.case_uuid WHERE (e.uuid = new.uuid) AND e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused', 'transferred', 'decided', 'delivered', 'result_returned') AND e.push_state NOT IN ('rejected', 'held', 'set_aside') AND (e.type <> 'transferred' OR c.accepted_at IS NOT NULL) ON CONFLICT DO NOTHING; END",
    ),
    (
        "figure_acts_case_insert",
        "AFTER INSERT ON cases BEGIN INSERT INTO figure_acts(event_uuid, kind, day, site_code, window_id, clerk, department_code, item_code, item_name, channel, took_us, on_time) SELECT e.uuid, e.type, date(e.occurred_at, '+8 hours'), coalesce(c.site_code, ''), CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.window_id, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(e.actor, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.department_code, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.item_code, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.item_name, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.channel, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') OR c.accepted_at IS NULL THEN NULL ELSE ((CAST(strftime('%s', e.occurred_at) AS INTEGER) * 1000000 + CAST(substr(e.occurred_at || '.000000', 21, 6) AS INTEGER)) - (CAST(strftime('%s', c.accepted_at) AS INTEGER) * 1000000 + CAST(substr(c.accepted_at || '.000000', 21, 6) AS INTEGER))) END, CASE e.type WHEN 'transferred' THEN NOT ((CASE WHEN json_valid(e.payload) THEN coalesce(json_extract(e.payload, '$.late'), 0) ELSE 0 END) OR ((CAST(strftime('%s', e.occurred_at) AS INTEGER) * 1000000 + CAST(substr(e.occurred_at || '.000000', 21, 6) AS INTEGER)) - (CAST(strftime('%s', c.accepted_at) AS INTEGER) * 1000000 + CAST(substr(c.accepted_at || '.000000', 21, 6) AS INTEGER))) >= (CASE WHEN c.urgent THEN 301000000 ELSE 901000000 END)) WHEN 'decided' THEN coalesce(c.due_at IS NOT NULL AND (CAST(strftime('%s', e.occurred_at) AS INTEGER) * 1000000 + CAST(substr(e.occurred_at || '.000000', 21, 6) AS INTEGER)) <= (CAST(strftime('%s', c.due_at) AS INTEGER) * 1000000 + CAST(substr(c.due_at || '.000000', 21, 6) AS INTEGER)), 0) ELSE 0 END FROM case_events AS e JOIN cases AS c ON c.uuid = e.case_uuid WHERE (e.case_uuid = new.uuid) AND e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused', 'transferred', 'decided', 'delivered', 'result_returned') AND e.push_state NOT IN ('rejected', 'held', 'set_aside') AND (e.type <> 'transferred' OR c.accepted_at IS NOT NULL) ON CONFLICT DO NOTHING; END",
    ),
    (
        "figure_acts_case_delete",
        "AFTER DELETE ON cases BEGIN DELETE FROM figure_acts WHERE event_uuid IN (SELECT uuid FROM case_events WHERE case_uuid = old.uuid); END",
    ),
    (
        "figure_acts_case_update",
        "AFTER UPDATE OF uuid, site_code, department_code, item_code, item_name, window_id, channel, urgent, accepted_at, due_at ON cases WHEN old.uuid IS NOT new.uuid OR old.site_code IS NOT new.site_code OR old.department_code IS NOT new.department_code OR old.item_code IS NOT new.item_code OR old.item_name IS NOT new.item_name OR old.window_id IS NOT new.window_id OR old.channel IS NOT new.channel OR old.urgent IS NOT new.urgent OR old.accepted_at IS NOT new.accepted_at OR old.due_at IS NOT new.due_at BEGIN DELETE FROM figure_acts WHERE event_uuid IN (SELECT uuid FROM case_events WHERE case_uuid = old.uuid); INSERT INTO figure_acts(event_uuid, kind, day, site_code, window_id, clerk, department_code, item_code, item_name, channel, took_us, on_time) SELECT e.uuid, e.type, date(e.occurred_at, '+8 hours'), coalesce(c.site_code, ''), CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.window_id, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(e.actor, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.department_code, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.item_code, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.item_name, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.channel, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') OR c.accepted_at IS NULL THEN NULL ELSE ((CAST(strftime('%s', e.occurred_at) AS INTEGER) * 1000000 + CAST(substr(e.occurred_at || '.000000', 21, 6) AS INTEGER)) - (CAST(strftime('%s', c.accepted_at) AS INTEGER) * 1000000 + CAST(substr(c.accepted_at || '.000000', 21, 6) AS INTEGER))) END, CASE e.type WHEN 'transferred' THEN NOT ((CASE WHEN json_valid(e.payload) THEN coalesce(json_extract(e.payload, '$.late'), 0) ELSE 0 END) OR ((CAST(strftime('%s', e.occurred_at) AS INTEGER) * 1000000 + CAST(substr(e.occurred_at || '.000000', 21, 6) AS INTEGER)) - (CAST(strftime('%s', c.accepted_at) AS INTEGER) * 1000000 + CAST(substr(c.accepted_at || '.000000', 21, 6) AS INTEGER))) >= (CASE WHEN c.urgent THEN 301000000 ELSE 901000000 END)) WHEN 'decided' THEN coalesce(c.due_at IS NOT NULL AND (CAST(strftime('%s', e.occurred_at) AS INTEGER) * 1000000 + CAST(substr(e.occurred_at || '.000000', 21, 6) AS INTEGER)) <= (CAST(strftime('%s', c.due_at) AS INTEGER) * 1000000 + CAST(substr(c.due_at || '.000000', 21, 6) AS INTEGER)), 0) ELSE 0 END FROM case_events AS e JOIN cases AS c ON c.uuid = e.case_uuid WHERE (e.case_uuid = new.uuid) AND e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused', 'transferred', 'decided', 'delivered', 'result_returned') AND e.push_state NOT IN ('rejected', 'held', 'set_aside') AND (e.type <> 'transferred' OR c.accepted_at IS NOT NULL) ON CONFLICT DO NOTHING; END",
    ),
    (
        "figure_days_add",
        "AFTER INSERT ON figure_acts WHEN new.kind IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused', 'result_returned', 'delivered') BEGIN INSERT INTO figure_days(day, site_code, kind, window_id, clerk, department_code, item_code, item_name, channel, n) VALUES (new.day, new.site_code, new.kind, new.window_id, new.clerk, new.department_code, new.item_code, new.item_name, new.channel, 1) ON CONFLICT DO UPDATE SET n = n + 1; END",
    ),
    (
        "figure_days_remove",
        "AFTER DELETE ON figure_acts WHEN old.kind IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused', 'result_returned', 'delivered') BEGIN UPDATE figure_days SET n = n - 1 WHERE day = old.day AND site_code = old.site_code AND kind = old.kind AND window_id = old.window_id AND clerk = old.clerk AND department_code = old.department_code AND item_code = old.item_code AND item_name = old.item_name AND channel = old.channel; DELETE FROM figure_days WHERE day = old.day AND site_code = old.site_code AND kind = old.kind AND window_id = old.window_id AND clerk = old.clerk AND department_code = old.department_code AND item_code = old.item_code AND item_name = old.item_name AND channel = old.channel AND n <= 0; END",
    ),
)
ACTS = "INSERT INTO figure_acts(event_uuid, kind, day, site_code, window_id, clerk, department_code, item_code, item_name, channel, took_us, on_time) SELECT e.uuid, e.type, date(e.occurred_at, '+8 hours'), coalesce(c.site_code, ''), CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.window_id, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(e.actor, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.department_code, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.item_code, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.item_name, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') THEN coalesce(c.channel, '') ELSE '' END, CASE WHEN e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') OR c.accepted_at IS NULL THEN NULL ELSE ((CAST(strftime('%s', e.occurred_at) AS INTEGER) * 1000000 + CAST(substr(e.occurred_at || '.000000', 21, 6) AS INTEGER)) - (CAST(strftime('%s', c.accepted_at) AS INTEGER) * 1000000 + CAST(substr(c.accepted_at || '.000000', 21, 6) AS INTEGER))) END, CASE e.type WHEN 'transferred' THEN NOT ((CASE WHEN json_valid(e.payload) THEN coalesce(json_extract(e.payload, '$.late'), 0) ELSE 0 END) OR ((CAST(strftime('%s', e.occurred_at) AS INTEGER) * 1000000 + CAST(substr(e.occurred_at || '.000000', 21, 6) AS INTEGER)) - (CAST(strftime('%s', c.accepted_at) AS INTEGER) * 1000000 + CAST(substr(c.accepted_at || '.000000', 21, 6) AS INTEGER))) >= (CASE WHEN c.urgent THEN 301000000 ELSE 901000000 END)) WHEN 'decided' THEN coalesce(c.due_at IS NOT NULL AND (CAST(strftime('%s', e.occurred_at) AS INTEGER) * 1000000 + CAST(substr(e.occurred_at || '.000000', 21, 6) AS INTEGER)) <= (CAST(strftime('%s', c.due_at) AS INTEGER) * 1000000 + CAST(substr(c.due_at || '.000000', 21, 6) AS INTEGER)), 0) ELSE 0 END FROM case_events AS e JOIN cases AS c ON c.uuid = e.case_uuid WHERE (1) AND e.type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused', 'transferred', 'decided', 'delivered', 'result_returned') AND e.push_state NOT IN ('rejected', 'held', 'set_aside') AND (e.type <> 'transferred' OR c.accepted_at IS NOT NULL)"
DAYS = "INSERT INTO figure_days(day, site_code, kind, window_id, clerk, department_code, item_code, item_name, channel, n) SELECT day, site_code, kind, window_id, clerk, department_code, item_code, item_name, channel, count(*) FROM figure_acts WHERE kind IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused', 'result_returned', 'delivered') GROUP BY day, site_code, kind, window_id, clerk, department_code, item_code, item_name, channel"


def upgrade() -> None:
    op.create_table(
        "figure_acts",
        sa.Column("event_uuid", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("window_id", sa.String(length=36), nullable=False),
        sa.Column("clerk", sa.String(length=64), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("item_name", sa.String(length=256), nullable=False),
        sa.Column("channel", sa.String(length=24), nullable=False),
        sa.Column("took_us", sa.Integer(), nullable=True),
        sa.Column("on_time", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("event_uuid", name=op.f("pk_figure_acts")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_figure_acts_kind_day", "figure_acts", ["kind", "day", "site_code", "took_us", "on_time"]
    )
    op.create_table(
        "figure_days",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("window_id", sa.String(length=36), nullable=False),
        sa.Column("clerk", sa.String(length=64), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("item_name", sa.String(length=256), nullable=False),
        sa.Column("channel", sa.String(length=24), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day",
            "site_code",
            "kind",
            "window_id",
            "clerk",
            "department_code",
            "item_code",
            "item_name",
            "channel",
            name=op.f("pk_figure_days"),
        ),
        sqlite_with_rowid=False,
    )
    op.execute(ACTS)
    op.execute(DAYS)
    for name, body in TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name, _body in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("figure_days")
    op.drop_index("ix_figure_acts_kind_day", table_name="figure_acts")
    op.drop_table("figure_acts")
