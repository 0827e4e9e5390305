"""PostgreSQL: the append of a push as one server-side function, so the append lock is held for the
server's own work only (county_hub/storage/postgres.py). Nothing changes on SQLite.

``hub_append`` takes the counter row FOR UPDATE, optionally checks that what the push's plan read still
holds (each statement of a PL/pgSQL function sees everything committed before it, so the check after the
lock sees every push that held the lock before), writes the events numbered from the locked counter,
the cases, the counter, the device and any rejections, and returns the counter's value before the push.
Called as a single statement on an autocommit connection, the lock is taken and released (COMMIT) by the
server with no client round trip, Python code or GIL wait in between.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

APPEND = """
CREATE OR REPLACE FUNCTION hub_append(
    p_counter text, p_check boolean,
    p_new text[], p_cases text[], p_existing integer, p_read_ids text[], p_read_seqs bigint[],
    p_now timestamptz, p_token_id text, p_device_code text, p_max_device_seq bigint,
    e_uuid text[], e_body_hash text[], e_case_uuid text[], e_case_version integer[], e_type text[],
    e_side text[], e_site_code text[], e_department_code text[], e_payload text[], e_actor text[],
    e_device_code text[], e_occurred_at text[], e_device_seq bigint[],
    n_case_uuid text[], n_site_code text[], n_department_code text[], n_status text[], n_version integer[],
    n_owner text[], n_pledge_open boolean[], n_withdrawal_requested boolean[], n_first_n bigint[],
    n_last_n bigint[],
    o_case_uuid text[], o_status text[], o_version integer[], o_owner text[], o_pledge_open boolean[],
    o_withdrawal_requested boolean[], o_last_n bigint[],
    r_uuid text[], r_body_hash text[], r_case_uuid text[], r_code text[], r_reason text[], r_detail text[]
) RETURNS bigint LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
DECLARE
    head bigint;
BEGIN
    SELECT value INTO STRICT head FROM counters WHERE name = p_counter FOR UPDATE;
    IF p_check AND NOT (
        NOT EXISTS (SELECT 1 FROM events WHERE uuid = ANY(p_new))
        AND NOT EXISTS (SELECT 1 FROM rejected_events WHERE uuid = ANY(p_new))
        AND (SELECT count(*) FROM cases WHERE case_uuid = ANY(p_cases)) = p_existing
        AND (SELECT count(*) FROM cases c
             JOIN unnest(p_read_ids, p_read_seqs) AS x(case_uuid, last_seq)
               ON c.case_uuid = x.case_uuid AND c.last_seq = x.last_seq) = p_existing
    ) THEN
        RAISE EXCEPTION 'stale push plan: another push wrote these uuids or cases';
    END IF;
    IF cardinality(e_uuid) > 0 THEN
        INSERT INTO events (seq, uuid, body_hash, case_uuid, case_version, type, side, site_code,
                            department_code, payload, actor, device_code, occurred_at, device_seq,
                            received_at, token_id)
        SELECT head + x.n, x.uuid, x.body_hash, x.case_uuid, x.case_version, x.type, x.side, x.site_code,
               x.department_code, x.payload::json, x.actor, x.device_code, x.occurred_at, x.device_seq,
               p_now, p_token_id
        FROM unnest(e_uuid, e_body_hash, e_case_uuid, e_case_version, e_type, e_side, e_site_code,
                    e_department_code, e_payload, e_actor, e_device_code, e_occurred_at, e_device_seq)
             WITH ORDINALITY AS x(uuid, body_hash, case_uuid, case_version, type, side, site_code,
                                  department_code, payload, actor, device_code, occurred_at, device_seq, n)
        ORDER BY x.n;
        INSERT INTO cases (case_uuid, site_code, department_code, status, version, owner, pledge_open,
                           withdrawal_requested, first_seq, last_seq, updated_at)
        SELECT x.case_uuid, x.site_code, x.department_code, x.status, x.version, x.owner, x.pledge_open,
               x.withdrawal_requested, head + x.first_n, head + x.last_n, p_now
        FROM unnest(n_case_uuid, n_site_code, n_department_code, n_status, n_version, n_owner,
                    n_pledge_open, n_withdrawal_requested, n_first_n, n_last_n)
             AS x(case_uuid, site_code, department_code, status, version, owner, pledge_open,
                  withdrawal_requested, first_n, last_n);
        UPDATE cases AS k
        SET status = x.status, version = x.version, owner = x.owner, pledge_open = x.pledge_open,
            withdrawal_requested = x.withdrawal_requested, last_seq = head + x.last_n, updated_at = p_now
        FROM unnest(o_case_uuid, o_status, o_version, o_owner, o_pledge_open, o_withdrawal_requested,
                    o_last_n) AS x(case_uuid, status, version, owner, pledge_open, withdrawal_requested, last_n)
        WHERE k.case_uuid = x.case_uuid;
        UPDATE counters SET value = head + cardinality(e_uuid) WHERE name = p_counter;
        UPDATE devices SET max_device_seq = GREATEST(max_device_seq, p_max_device_seq), last_push_at = p_now
        WHERE code = p_device_code;
    END IF;
    IF cardinality(r_uuid) > 0 THEN
        INSERT INTO rejected_events (uuid, body_hash, case_uuid, code, reason, device_code, rejected_at)
        SELECT x.uuid, x.body_hash, x.case_uuid, x.code, x.reason, p_device_code, p_now
        FROM unnest(r_uuid, r_body_hash, r_case_uuid, r_code, r_reason) AS x(uuid, body_hash, case_uuid, code, reason);
        INSERT INTO audit_log (at, action, actor, subject, detail)
        SELECT p_now, 'event_rejected', p_device_code, x.subject, x.detail::json
        FROM unnest(r_uuid, r_detail) WITH ORDINALITY AS x(subject, detail, n)
        ORDER BY x.n;
    END IF;
    RETURN head;
END
$fn$
"""

# The argument types, to drop the function by its signature.
SIGNATURE = (
    "text, boolean, text[], text[], integer, text[], bigint[], timestamptz, text, text, bigint, "
    "text[], text[], text[], integer[], text[], text[], text[], text[], text[], text[], text[], text[], bigint[], "
    "text[], text[], text[], text[], integer[], text[], boolean[], boolean[], bigint[], bigint[], "
    "text[], text[], integer[], text[], boolean[], boolean[], bigint[], "
    "text[], text[], text[], text[], text[], text[]"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS hub_append({SIGNATURE})")
