"""Every desk follows the county's catalog, calendar and supervision values by itself, in each sync cycle (sync/engine.py).

The hub serves the newest publication (or the one it was rolled back to) with an ETag; the desk asks with
If-None-Match, so nothing is downloaded while nothing changed. A new file is checked and imported all or
nothing on the sync thread (never the GUI's). Which file wins (docs/sync-protocol.md, "Catalog and
calendar"):

* newer than this desk's: imported; the same version: nothing to do;
* older than this desk's: imported only when this desk's came from the hub too (the county rolled back);
  a newer file imported here by hand is kept (and a demo catalog is always replaced);
* a file this desk cannot use (its errors): kept out, the reason recorded for the sync panel, not fetched
  again until the hub publishes another.

What arrived when is kept in the settings (``hub_follow``) for the status bar and 关于. After a calendar
arrives, due dates counted on weekends only are counted again (services/due_dates.py). The county's
supervision values (签收 minutes, result days) have one source, the hub: whatever it serves is taken
(services/supervision_rules.py), and the 督办 page reads them at its next refresh.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from clerk_desk.catalog.format import version_key as catalog_key
from clerk_desk.domain import desk_holdings
from clerk_desk.domain.calendar_file import CalendarFormatError, parse_calendar
from clerk_desk.domain.calendar_file import version_key as calendar_key
from clerk_desk.domain.supervision_settings import SettingsFormatError, parse_settings
from clerk_desk.services import audit, calendar_service, due_dates, heap, supervision_rules
from clerk_desk.services import catalog_service as cs
from clerk_desk.store.database import Database
from clerk_desk.store.models import Setting, utcnow
from clerk_desk.sync.hub_client import HubClient, HubRefused

log = logging.getLogger(__name__)

STATE_KEY = "hub_follow"  # {"catalog": {...}, "calendar": {...}}: see Followed
CATALOG, CALENDAR, SUPERVISION = "catalog", "calendar", "supervision"

# Followed.outcome
IMPORTED = "imported"  # the hub's file is now this desk's
ROLLED_BACK = "rolled_back"  # the hub went back to an older version, and so did this desk
SAME = "same"  # this desk has that version already
KEPT_NEWER = "kept_newer"  # this desk's own (imported by hand) is newer: kept
REFUSED = "refused"  # the file has errors for this desk: not used


@dataclass(frozen=True)
class Followed:
    kind: str
    outcome: str
    label: str  # the hub's file version
    etag: str
    at: datetime
    message: str = ""  # Chinese, for the sync panel (why refused or kept)

    def as_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "label": self.label, "etag": self.etag, "at": self.at.isoformat(),
                "message": self.message}

    @property
    def changed(self) -> bool:
        return self.outcome in (IMPORTED, ROLLED_BACK)


def state(db: Database) -> dict[str, dict[str, Any]]:
    """What the last check of each kind found (kind -> Followed.as_dict()); {} before the first."""
    with db.reading() as s:
        row = s.get(Setting, STATE_KEY)
    try:
        found = json.loads(row.value) if row and row.value else {}
    except ValueError:
        found = {}
    return found if isinstance(found, dict) else {}


def _record(db: Database, f: Followed) -> None:
    with db.transaction() as s:
        row = s.get(Setting, STATE_KEY)
        try:
            found = json.loads(row.value) if row and row.value else {}
        except ValueError:
            found = {}
        previous = found.get(f.kind)
        before: dict[str, Any] = previous if isinstance(previous, dict) else {}
        entry = f.as_dict()
        if f.changed:  # what this desk took from the hub last, and when (status bar, 关于)
            entry.update(arrived_label=f.label, arrived_at=f.at.isoformat())
        else:
            entry.update({k: before[k] for k in ("arrived_label", "arrived_at") if k in before})
        found[f.kind] = entry
        text = json.dumps(found, ensure_ascii=False)
        if row is None:
            s.add(Setting(key=STATE_KEY, value=text))
        else:
            row.value = text
        if f.outcome != SAME:
            audit.record(s, f"hub_{f.kind}_{f.outcome}", None, version=f.label, etag=f.etag, message=f.message)


def _etag(db: Database, kind: str) -> str | None:
    tag = state(db).get(kind, {}).get("etag")
    return tag if isinstance(tag, str) and tag else None


def holds(db: Database, data_dir: Path | None = None) -> str | None:
    """What this desk holds, as the ``X-Desk-Holds`` header tells the hub (clerk_desk.domain.desk_holdings):
    the program's version, the catalog's version and where it came from, and each calendar year the files
    give with the version of the file giving it (the data folder's over the shipped one). None when it
    cannot be read: the report is for IT and never costs the desk its catalog."""
    from clerk_desk import __version__

    try:
        info = cs.catalog_info(db)
        years = calendar_service.year_versions(Path(data_dir or db.data_dir))
    except Exception:
        log.exception("what this desk holds could not be read; the hub is not told this round")
        return None
    source = None if info is None else ("demo" if info.is_demo else info.source)
    return desk_holdings.encode(
        desk_holdings.Holdings(__version__, info.version if info else None, source, years)
    )


def _fetch(db: Database, kind: str, client: HubClient, *, have_it: bool = True,
           data_dir: Path | None = None) -> tuple[bytes, str] | None:  # fmt: skip
    """``have_it=False``: this desk lost what the hub's ETag stands for: ask without it. The catalog's request
    names what this desk holds (once a timer round: the light cycles of a live push never come here)."""
    known = _etag(db, kind) if have_it else None
    try:
        if kind == CATALOG:
            body, etag = client.catalog(known, holds=holds(db, data_dir))
        else:
            get = {CALENDAR: client.calendar, SUPERVISION: client.supervision_settings}[kind]
            body, etag = get(known)
    except HubRefused as exc:
        if exc.code == "not_published":
            return None  # the county has not published one yet
        raise
    if body is None:
        return None
    return body, etag or ""


def follow_catalog(
    db: Database, client: HubClient, now: datetime | None = None, data_dir: Path | None = None
) -> Followed | None:
    """Fetch the county's catalog if it changed and import it (see the module's rules); None: unchanged."""
    fetched = _fetch(db, CATALOG, client, data_dir=data_dir)
    if fetched is None:
        return None
    body, etag = fetched
    now = now or utcnow()
    with heap.collector_paused():  # half a million objects: no collections while they live (services/heap.py)
        return _take_catalog(db, body, etag, now)


def _take_catalog(db: Database, body: bytes, etag: str, now: datetime) -> Followed:
    raw, checksum, problems = cs.check_bytes(body)
    if cs.has_errors(problems):
        errors = [str(p) for p in problems if p.is_error]
        f = Followed(CATALOG, REFUSED, "", etag, now, f"县级平台发布的事项目录有 {len(errors)} 个错误，本机未采用："
                     + "；".join(errors[:5]) + ("……" if len(errors) > 5 else ""))
        _record(db, f)
        return f
    label = str(raw["catalog_version"])
    info = cs.catalog_info(db)
    force, outcome, message = False, IMPORTED, ""
    if info is not None and not info.is_demo:
        theirs, ours = catalog_key(label), catalog_key(info.version)
        if theirs == ours:
            outcome = SAME
        elif theirs < ours and info.source != "hub":
            outcome = KEPT_NEWER
            message = f"本机手工导入的事项目录 {info.version} 比县级平台发布的 {label} 新，保留本机的版本"
        elif theirs < ours:
            force, outcome = True, ROLLED_BACK
            message = f"县级平台将事项目录由 {info.version} 回退到 {label}"
    elif info is not None:
        force = True  # the demo catalog gives way to the county's
    if outcome in (IMPORTED, ROLLED_BACK):
        cs.import_checked(db, raw, checksum, problems, force=force, actor="hub", source="hub", where="hub")
    heap.release(raw)
    f = Followed(CATALOG, outcome, label, etag, now, message)
    _record(db, f)
    return f


def follow_calendar(
    db: Database, client: HubClient, data_dir: Path | None = None, now: datetime | None = None
) -> Followed | None:
    """Fetch the county's calendar if it changed and put it in the data folder; then count again the due
    dates that were counted on weekends only."""
    folder = Path(data_dir or db.data_dir)
    fetched = _fetch(db, CALENDAR, client, have_it=_calendar_file_kept(db, folder))
    if fetched is None:
        return None
    body, etag = fetched
    now = now or utcnow()
    try:
        cal = parse_calendar(json.loads(body.decode("utf-8-sig")))
    except (ValueError, CalendarFormatError) as exc:
        problems = list(getattr(exc, "problems", ())) or ["文件不是有效的 JSON"]
        f = Followed(CALENDAR, REFUSED, "", etag, now, "县级平台发布的节假日安排本机未采用：" + "；".join(problems[:5]))
        _record(db, f)
        return f
    info = calendar_service.calendar_info(folder)
    previous = state(db).get(CALENDAR, {})
    outcome, message = IMPORTED, ""
    if info.source == "data" and info.version:
        theirs, ours = calendar_key(cal.version), calendar_key(info.version)
        from_hub = previous.get("arrived_label") == info.version  # else placed here by hand
        if theirs == ours:
            outcome = SAME
        elif theirs < ours and not from_hub:
            outcome = KEPT_NEWER
            message = f"本机的节假日安排 {info.version} 比县级平台发布的 {cal.version} 新，保留本机的版本"
        elif theirs < ours:
            outcome, message = ROLLED_BACK, f"县级平台将节假日安排由 {info.version} 回退到 {cal.version}"
    if outcome in (IMPORTED, ROLLED_BACK):
        calendar_service.save_calendar(folder, body)
    f = Followed(CALENDAR, outcome, cal.version, etag, now, message)
    _record(db, f)
    if f.changed:
        due_dates.recompute_provisional(db, folder, now)
    return f


def _calendar_file_kept(db: Database, folder: Path) -> bool:
    """Whether the data folder still holds the calendar the last check took or found. The file lives beside
    the database, not in it: a backup restored into a new folder, or the file deleted, left the desk with
    the hub's ETag and without the file, answered 304 for ever."""
    previous = state(db).get(CALENDAR, {})
    if previous.get("outcome") not in (IMPORTED, ROLLED_BACK, SAME):
        return True  # refused or kept: nothing of the hub's was to be on disk
    info = calendar_service.calendar_info(folder)
    return info.source == "data" and info.version == previous.get("label")


def follow_supervision(db: Database, client: HubClient, now: datetime | None = None) -> Followed | None:
    """Fetch the county's supervision values if they changed and keep them (they replace any set by hand)."""
    try:
        fetched = _fetch(db, SUPERVISION, client)
    except HubRefused as exc:
        if exc.status == 404:
            return None  # a hub older than these publications: the desk keeps its own values
        raise
    if fetched is None:
        return None
    body, etag = fetched
    now = now or utcnow()
    try:
        settings = parse_settings(json.loads(body.decode("utf-8-sig")))
    except (ValueError, SettingsFormatError) as exc:
        problems = list(getattr(exc, "problems", ())) or ["文件不是有效的 JSON"]
        f = Followed(SUPERVISION, REFUSED, "", etag, now, "县级平台发布的督办时限本机未采用：" + "；".join(problems[:5]))
        _record(db, f)
        return f
    kept = supervision_rules.county(db)
    outcome = SAME if kept is not None and kept == settings else IMPORTED
    if outcome == IMPORTED:
        supervision_rules.save_county(db, settings)
    f = Followed(SUPERVISION, outcome, settings.version, etag, now)
    _record(db, f)
    return f


def follow_all(
    db: Database, client: HubClient, data_dir: Path | None = None, now: datetime | None = None
) -> list[Followed]:
    """Every kind, calendar first (it is small, and due dates may wait for it). Returns what changed."""
    out = []
    for step in (lambda: follow_calendar(db, client, data_dir, now), lambda: follow_supervision(db, client, now),
                 lambda: follow_catalog(db, client, now, data_dir)):  # fmt: skip
        f = step()
        if f is not None and f.changed:
            out.append(f)
    return out


@dataclass(frozen=True)
class Versions:
    """What this desk works with, for the status bar and 关于: versions, where from, when they arrived."""

    catalog: str | None
    catalog_source: str | None  # hub | file | demo
    catalog_at: datetime | None  # when it was imported here
    calendar: str | None
    calendar_source: str  # data | shipped | none
    calendar_at: datetime | None  # when this desk took it from the hub (None: shipped or placed by hand)
    calendar_years: tuple[int, ...]
    notes: tuple[str, ...] = ()  # Chinese: a file from the hub not used, and why


def versions(db: Database, data_dir: Path | None = None) -> Versions:
    info = cs.catalog_info(db)
    cal = calendar_service.calendar_info(Path(data_dir or db.data_dir))
    took = state(db).get(CALENDAR, {})
    arrived = None
    if cal.source == "data" and took.get("arrived_label") == cal.version and took.get("arrived_at"):
        arrived = datetime.fromisoformat(took["arrived_at"])
    source = None if info is None else ("demo" if info.is_demo else info.source)
    notes = tuple(str(f.get("message")) for f in state(db).values()
                  if isinstance(f, dict) and f.get("outcome") in (REFUSED, KEPT_NEWER) and f.get("message"))
    return Versions(info.version if info else None, source, info.imported_at if info else None,
                    cal.version, cal.source, arrived, cal.years, notes)
