"""Audit entries for acts outside the case lifecycle (logins, settings, accounts, backups)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from clerk_desk.store.models import AuditEntry


def record(session: Session, action: str, actor: str | None = None, **detail: Any) -> None:
    session.add(AuditEntry(action=action, actor=actor, detail=detail))
