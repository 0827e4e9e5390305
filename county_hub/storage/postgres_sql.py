"""The fixed SQL of the PostgreSQL storage (county_hub.storage.postgres). Each text never changes with
the batch or the scope (arrays carry the values), so psycopg prepares it once per connection."""

from __future__ import annotations

from dataclasses import fields

from county_hub.county_projection import COUNTERS, CaseFigures

# The county figures' case columns (county_hub.county_projection.CaseFigures, in its order) and their types.
_PG_TYPE = {"str": "text", "str | None": "text", "bool": "boolean", "int | None": "bigint",
            "datetime | None": "timestamptz"}  # fmt: skip
_FIELDS = [(f.name, _PG_TYPE[str(f.type)]) for f in fields(CaseFigures)]
_CASE_COLUMNS = ", ".join(name for name, _ in _FIELDS)
# Arrays of text that is never NULL go binary, as the log's columns do; the others as psycopg chooses.
_CASE_ARRAYS = ", ".join(
    f"%(f_{f.name}){'b' if str(f.type) == 'str' else 's'}::{_PG_TYPE[str(f.type)]}[]"
    for f in fields(CaseFigures)
)
_COUNTER_COLUMNS = ", ".join(COUNTERS)
_MONTH_ARRAYS = ", ".join(f"%(m_{name})b::bigint[]" for name in COUNTERS)
_MONTH_ADD = ", ".join(f"{name} = county_monthly.{name} + excluded.{name}" for name in COUNTERS)
_CASE_SET = ", ".join(f"{name} = excluded.{name}" for name, _ in _FIELDS)

LOCK = "SELECT value FROM counters WHERE name = %(counter)s FOR UPDATE"

# What the hub holds for a batch's uuids: stored events and rejections.
KNOWN = """
SELECT uuid, body_hash, seq, NULL::text, NULL::text FROM events WHERE uuid = ANY(%(uuids)b::text[])
UNION ALL
SELECT uuid, body_hash, NULL, code, reason FROM rejected_events WHERE uuid = ANY(%(uuids)b::text[])
"""

# The batch's actors with their role grants (county_hub.admission): a user without grants gives one row of
# NULLs, an unknown name none.
GRANTS = """
SELECT u.username, g.role, g.site_code, g.department_code, g.valid_from, g.valid_to
FROM users u LEFT JOIN role_grants g ON g.username = u.username
WHERE u.username = ANY(%(actors)b::text[])
ORDER BY g.id
"""

CASES = """
SELECT case_uuid, site_code, department_code, status, version, pledge_open, withdrawal_requested,
       first_seq, last_seq
FROM cases WHERE case_uuid = ANY(%(cases)b::text[])
"""

# The device behind a token, one row per scope pair, in the columns' order of
# county_hub.auth.device_rows.
BY_TOKEN = """
SELECT t.id, t.os_account, t.revoked_at, d.code, d.site_code, d.kind, d.max_device_seq, d.last_push_at,
       d.revoked_at, s.site_code, s.department_code, d.enrolled_at
FROM device_tokens t
JOIN devices d ON d.code = t.device_code
LEFT JOIN device_scopes s ON s.device_code = d.code
WHERE t.token_hash = %s
"""

# A pull page: the committed counter and the scope's events after the cursor up to it, each event's JSON
# written by the server with the payload as stored (county_hub.queries.pull's answer, built here).
PULL = """
SELECT h.value, e.seq, row_to_json(e)::text
FROM counters h
LEFT JOIN LATERAL (
    SELECT seq, to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_at,
           uuid, case_uuid, case_version, type, side, site_code, department_code, payload, actor,
           device_code, occurred_at, device_seq
    FROM events
    WHERE seq > %(after)s AND seq <= h.value
      AND (site_code = ANY(%(sites)s::text[])
           OR (site_code, department_code) IN (
               SELECT p.site_code, p.department_code
               FROM unnest(%(pair_sites)s::text[], %(pair_departments)s::text[]) AS p(site_code, department_code)))
    ORDER BY seq
    LIMIT %(limit)s
) e ON true
WHERE h.name = %(counter)s
"""

# The append: lock, check, write, in one server-side function (migration 0002); it returns the counter's
# value before the push. The same statement writes the push's county figures (county_hub.county_projection):
# they depend on the append (so are written after it, under its lock) and commit or fail with it.
APPEND = f"""
WITH a AS (SELECT hub_append(
    %(counter)s::text, %(check)s::boolean, %(new)b::text[], %(cases)b::text[], %(existing)s::integer,
    %(read_ids)b::text[], %(read_seqs)b::bigint[], %(now)s::timestamptz, %(token_id)s::text,
    %(device_code)s::text, %(max_device_seq)s::bigint,
    %(e_uuid)b::text[], %(e_body_hash)b::text[], %(e_case_uuid)b::text[], %(e_case_version)b::integer[],
    %(e_type)b::text[], %(e_side)b::text[], %(e_site_code)b::text[], %(e_department_code)b::text[],
    %(e_payload)b::text[], %(e_actor)b::text[], %(e_device_code)b::text[], %(e_occurred_at)b::text[],
    %(e_device_seq)b::bigint[],
    %(n_case_uuid)b::text[], %(n_site_code)b::text[], %(n_department_code)b::text[], %(n_status)b::text[],
    %(n_version)b::integer[], %(n_owner)b::text[], %(n_pledge_open)b::boolean[],
    %(n_withdrawal_requested)b::boolean[], %(n_first_n)b::bigint[], %(n_last_n)b::bigint[],
    %(o_case_uuid)b::text[], %(o_status)b::text[], %(o_version)b::integer[], %(o_owner)b::text[],
    %(o_pledge_open)b::boolean[], %(o_withdrawal_requested)b::boolean[], %(o_last_n)b::bigint[],
    %(r_uuid)b::text[], %(r_body_hash)b::text[], %(r_case_uuid)b::text[], %(r_code)b::text[],
    %(r_reason)b::text[], %(r_detail)b::text[]) AS head),
c AS (
    INSERT INTO county_cases (case_uuid, {_CASE_COLUMNS})
    SELECT * FROM unnest(%(f_case_uuid)b::text[], {_CASE_ARRAYS})
    WHERE EXISTS (SELECT 1 FROM a)
    ON CONFLICT (case_uuid) DO UPDATE SET {_CASE_SET}
),
d AS (
    INSERT INTO county_daily (site_code, department_code, day, item_code, channel, intakes, accepted, on_spot, notified, refused, transfers, transfers_on_time, decisions, decided_in_time, decision_seconds)
    SELECT * FROM unnest(%(d_site_code)b::text[], %(d_department_code)b::text[], %(d_day)b::text[], %(d_item_code)b::text[], %(d_channel)b::text[], %(d_intakes)b::bigint[], %(d_accepted)b::bigint[], %(d_on_spot)b::bigint[], %(d_notified)b::bigint[], %(d_refused)b::bigint[], %(d_transfers)b::bigint[], %(d_transfers_on_time)b::bigint[], %(d_decisions)b::bigint[], %(d_decided_in_time)b::bigint[], %(d_decision_seconds)b::bigint[])
    WHERE EXISTS (SELECT 1 FROM a)
    ON CONFLICT (site_code, department_code, day, item_code, channel) DO UPDATE SET
        intakes = county_daily.intakes + excluded.intakes, accepted = county_daily.accepted + excluded.accepted, on_spot = county_daily.on_spot + excluded.on_spot, notified = county_daily.notified + excluded.notified, refused = county_daily.refused + excluded.refused, transfers = county_daily.transfers + excluded.transfers, transfers_on_time = county_daily.transfers_on_time + excluded.transfers_on_time, decisions = county_daily.decisions + excluded.decisions, decided_in_time = county_daily.decided_in_time + excluded.decided_in_time, decision_seconds = county_daily.decision_seconds + excluded.decision_seconds
),
h AS (
    INSERT INTO county_durations (day, site_code, department_code, bucket, n)
    SELECT * FROM unnest(%(h_day)b::text[], %(h_site_code)b::text[], %(h_department_code)b::text[], %(h_bucket)b::integer[], %(h_n)b::bigint[])
    WHERE EXISTS (SELECT 1 FROM a)
    ON CONFLICT (day, site_code, department_code, bucket) DO UPDATE SET n = county_durations.n + excluded.n
),
m AS (
    INSERT INTO county_monthly (month, site_code, department_code, item_code, channel, {_COUNTER_COLUMNS})
    SELECT * FROM unnest(%(m_month)b::text[], %(m_site_code)b::text[], %(m_department_code)b::text[], %(m_item_code)b::text[], %(m_channel)b::text[], {_MONTH_ARRAYS})
    WHERE EXISTS (SELECT 1 FROM a)
    ON CONFLICT (month, site_code, department_code, item_code, channel) DO UPDATE SET {_MONTH_ADD}
),
g AS (
    INSERT INTO county_durations_monthly (month, site_code, department_code, bucket, n)
    SELECT * FROM unnest(%(g_month)b::text[], %(g_site_code)b::text[], %(g_department_code)b::text[], %(g_bucket)b::integer[], %(g_n)b::bigint[])
    WHERE EXISTS (SELECT 1 FROM a)
    ON CONFLICT (month, site_code, department_code, bucket) DO UPDATE SET n = county_durations_monthly.n + excluded.n
),
i AS (
    INSERT INTO county_items (item_code, item_name, named_at)
    SELECT * FROM unnest(%(i_item_code)b::text[], %(i_item_name)b::text[], %(i_named_at)b::text[])
    WHERE EXISTS (SELECT 1 FROM a)
    ON CONFLICT (item_code) DO UPDATE SET item_name = excluded.item_name, named_at = excluded.named_at
    WHERE excluded.named_at >= county_items.named_at
)
SELECT head FROM a
"""

# The county figures' rows of a batch's cases, in the order of county_hub.county_projection.CASE_COLUMNS.
FIGURES = f"""
SELECT case_uuid, {_CASE_COLUMNS}
FROM county_cases WHERE case_uuid = ANY(%(cases)b::text[])
"""
