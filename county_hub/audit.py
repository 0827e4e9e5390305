"""The audit trail: enrolments, revocations, publishes, refused pushes and rejected events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert

from county_hub.models import AuditEntry, utcnow


def audit_rows(
    action: str, actor: str, items: Iterable[tuple[str, dict[str, Any]]], at: datetime | None = None
) -> list[dict[str, Any]]:
    when = at or utcnow()
    return [
        {"at": when, "action": action, "actor": actor[:200], "subject": subject[:200], "detail": detail}
        for subject, detail in items
    ]


def record(conn: Connection, action: str, actor: str, subject: str, **detail: Any) -> None:
    conn.execute(insert(AuditEntry), audit_rows(action, actor, [(subject, detail)]))
