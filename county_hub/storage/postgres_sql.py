"""The fixed SQL of the PostgreSQL storage (county_hub.storage.postgres). Each text never changes with
the batch or the scope (arrays carry the values), so psycopg prepares it once per connection."""

from __future__ import annotations

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
# value before the push.
APPEND = """
SELECT hub_append(
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
    %(r_reason)b::text[], %(r_detail)b::text[])
"""
