"""Decision drafts: what an approver typed into an act's dialog and closed without acting (Esc, 取消, a
sign-out, the desk closing) comes back when they open that act on that case again.

Like the intake drafts (services/drafts.py) they stay on this PC (they are not events: a half-typed reason
has no business leaving it), are sealed whole with this PC's key (store/sealed.py; one this PC cannot open is
not offered back), and go when the act is taken, or after the retention period (services/purge.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from clerk_desk.store.database import Database
from clerk_desk.store.models import DecisionDraft, utcnow

Key = tuple[str, str]  # (case uuid, act)


def kept(db: Database, user_id: str) -> dict[Key, dict[str, Any]]:
    """This approver's drafts by (case, act)."""
    with db.reading() as s:
        rows = s.scalars(select(DecisionDraft).where(DecisionDraft.user_id == user_id))
        return {(r.case_uuid, r.act): dict(r.data) for r in rows if r.data}


def keep(db: Database, user_id: str, case_uuid: str, act: str, data: dict[str, Any]) -> None:
    """Keep what was typed (replacing the act's earlier draft); nothing typed forgets it."""
    if not data:
        forget(db, user_id, case_uuid, act)
        return
    with db.transaction() as s:
        row = s.scalar(select(DecisionDraft).where(DecisionDraft.user_id == user_id,
                                                   DecisionDraft.case_uuid == case_uuid, DecisionDraft.act == act))  # fmt: skip
        if row is None:
            s.add(DecisionDraft(user_id=user_id, case_uuid=case_uuid, act=act, data=data, updated_at=utcnow()))
        else:
            row.data, row.updated_at = data, utcnow()


def forget(db: Database, user_id: str, case_uuid: str, act: str) -> None:
    """The act was taken (or its dialog emptied): its draft goes."""
    with db.transaction() as s:
        s.execute(delete(DecisionDraft).where(DecisionDraft.user_id == user_id, DecisionDraft.case_uuid == case_uuid,
                                              DecisionDraft.act == act))  # fmt: skip
