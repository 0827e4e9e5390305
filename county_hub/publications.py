"""Catalog and calendar files: published byte for byte with a version and an ETag (sha256)."""

from __future__ import annotations

import hashlib
import importlib
import json
from typing import Any

from sqlalchemy import Connection, func, insert, select

from county_hub import audit
from county_hub.devices import AdminError
from county_hub.models import Publication, utcnow

KINDS = ("catalog", "calendar")


def _validate(kind: str, data: Any) -> str | None:
    """Check the file with the desk's own validator when there is one; returns the file's version label."""
    if kind == "calendar":
        from clerk_desk.domain.calendar_file import CalendarFormatError, parse_calendar

        try:
            return parse_calendar(data).version
        except CalendarFormatError as exc:
            raise AdminError(f"calendar file refused: {exc}") from None
    try:  # the catalog schema lives in clerk_desk.catalog (Qt-free); use it once it exists
        module = importlib.import_module("clerk_desk.catalog.validate")
    except ImportError:
        module = None
    check = getattr(module, "validate", None) if module is not None else None
    if check is not None:
        try:
            check(data)
        except ValueError as exc:
            raise AdminError(f"catalog file refused: {exc}") from None
    label = data.get("version") if isinstance(data, dict) else None
    return str(label)[:100] if label is not None else None


def publish(conn: Connection, kind: str, content: bytes, actor: str = "admin") -> dict[str, Any]:
    if kind not in KINDS:
        raise AdminError(f"kind must be one of {', '.join(KINDS)}")
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AdminError(f"{kind} file is not valid UTF-8 JSON: {exc}") from None
    label = _validate(kind, data)
    etag = hashlib.sha256(content).hexdigest()
    latest = conn.execute(
        select(Publication.version, Publication.etag)
        .where(Publication.kind == kind)
        .order_by(Publication.version.desc())
    ).first()
    if latest is not None and latest.etag == etag:
        return {"kind": kind, "version": latest.version, "etag": etag, "label": label, "unchanged": True}
    version = (
        conn.execute(select(func.max(Publication.version)).where(Publication.kind == kind)).scalar() or 0
    ) + 1
    conn.execute(
        insert(Publication).values(
            kind=kind,
            version=version,
            etag=etag,
            label=label,
            content=content,
            published_at=utcnow(),
            published_by=actor[:200],
        )
    )
    audit.record(
        conn, f"{kind}_published", actor, f"{kind} v{version}", etag=etag, label=label, size=len(content)
    )
    return {"kind": kind, "version": version, "etag": etag, "label": label, "unchanged": False}


def latest(conn: Connection, kind: str) -> Any:
    return conn.execute(
        select(Publication.__table__)
        .where(Publication.kind == kind)
        .order_by(Publication.version.desc())
        .limit(1)
    ).first()
