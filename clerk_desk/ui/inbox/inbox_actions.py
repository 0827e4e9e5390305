"""What the inbox asks of the services, as plain calls for the task runner (no widgets here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clerk_desk.services import accounts, inbox, site_setup
from clerk_desk.services import case_queries as q
from clerk_desk.services.approvals import Approver, served_pairs
from clerk_desk.store.database import Database
from clerk_desk.ui.session import DeskSession


def approver_for(session: DeskSession) -> Approver:
    u = session.user
    return Approver(u.id, u.username, u.display_name)


@dataclass(frozen=True)
class Query:
    view: inbox.InboxView
    serves: tuple[tuple[str, str], ...]
    text: str
    departments: tuple[str, ...] = ()  # names of the departments served, for the heading


def first_page(db: Database, user_id: str, view: inbox.InboxView, text: str, limit: int,
               now: datetime) -> tuple[Query, inbox.InboxPage]:
    """The served pairs are read again with every first page: the hub's directory may have changed them."""
    serves = served_pairs(db, user_id)
    served = {d for _s, d in serves}
    names = tuple(name for code, name in site_setup.departments(db) if code in served)  # in the usual order
    query = Query(view, serves, text.strip(), names)
    return query, inbox.page(db, inbox.InboxFilter(view, query.serves, query.text), limit=limit, now=now)


def next_page(db: Database, query: Query, after: tuple[datetime, str], limit: int, now: datetime) -> inbox.InboxPage:
    return inbox.page(db, inbox.InboxFilter(query.view, query.serves, query.text), after=after, limit=limit, now=now)


def count_views(db: Database, serves: tuple[tuple[str, str], ...], text: str) -> dict[inbox.InboxView, int]:
    return inbox.counts(db, serves, text)


@dataclass(frozen=True)
class ReviewDetail:
    case: dict[str, Any]
    timeline: list[q.TimelineEntry]
    names: dict[str, str]  # username -> display name


def load_review(db: Database, uuid: str, now: datetime) -> ReviewDetail:
    names = {u.username: u.display_name for u in accounts.list_users(db)}
    return ReviewDetail(inbox.review_case(db, uuid, now=now), q.timeline(db, uuid), names)
