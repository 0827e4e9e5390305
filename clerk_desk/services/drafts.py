"""Intake drafts: saved on every change so a crash or a power cut never loses what the clerk typed.

Drafts stay on this PC (they are not events and never go to the hub: half-typed personal data has no
business leaving the hall). A finished intake deletes its draft in the same step. A draft is sealed
whole with this PC's key (store/sealed.py); one this PC cannot open is not offered back, and drafts
older than the retention period are purged (services/purge.py, docs/personal-data.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from clerk_desk.store.database import Database
from clerk_desk.store.models import IntakeDraft, utcnow


@dataclass(frozen=True)
class Draft:
    id: str
    user_id: str
    window_id: str | None
    data: dict[str, Any]
    updated_at: datetime


def save(db: Database, *, draft_id: str | None, user_id: str, window_id: str | None, data: dict[str, Any]) -> str:
    """Insert or update; returns the draft id to pass on the next save."""
    now = utcnow()
    with db.transaction() as s:
        row = s.get(IntakeDraft, draft_id) if draft_id else None
        if row is None:
            row = IntakeDraft(user_id=user_id, window_id=window_id, data=data, created_at=now, updated_at=now)
            if draft_id:
                row.id = draft_id
            s.add(row)
        else:
            row.data, row.window_id, row.updated_at = data, window_id, now
        s.flush()
        return row.id


def pending(db: Database, user_id: str) -> list[Draft]:
    """The user's unfinished intakes, newest first (offered back at sign-in)."""
    with db.reading() as s:
        rows = s.scalars(
            select(IntakeDraft).where(IntakeDraft.user_id == user_id).order_by(IntakeDraft.updated_at.desc())
        )
        return [Draft(r.id, r.user_id, r.window_id, dict(r.data), r.updated_at) for r in rows if r.data is not None]


def discard(db: Database, draft_id: str) -> None:
    with db.transaction() as s:
        s.execute(delete(IntakeDraft).where(IntakeDraft.id == draft_id))
