"""Device-wide monotonic counters (case numbers, outbox order).

They live in the device row and only go up, inside the writing transaction (which holds SQLite's
write lock from BEGIN IMMEDIATE), so two windows on one PC never draw the same number and a clock
that steps back never repeats one. After a restore, :func:`rebase` lifts them to what the hub has seen.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from clerk_desk.store.models import Device


def _bump(session: Session, device_code: str, column: str) -> int:
    col = getattr(Device, column)
    value = session.execute(
        update(Device).where(Device.code == device_code).values({column: col + 1}).returning(col)
    ).scalar_one_or_none()
    if value is None:
        raise LookupError(f"device {device_code!r} is not set up")
    return int(value)


def next_case_seq(session: Session, device_code: str) -> int:
    return _bump(session, device_code, "case_seq")


def next_event_seq(session: Session, device_code: str) -> int:
    return _bump(session, device_code, "event_seq")


def rebase(session: Session, device_code: str, *, case_seq: int, event_seq: int) -> None:
    """Never lower a counter: take the higher of ours and the hub's."""
    dev = session.get(Device, device_code)
    if dev is None:
        raise LookupError(f"device {device_code!r} is not set up")
    dev.case_seq = max(dev.case_seq, case_seq)
    dev.event_seq = max(dev.event_seq, event_seq)
