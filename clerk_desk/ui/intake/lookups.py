"""The reads the intake screen submits to the task runner (plain functions over services, no widgets).

Each function takes the database first so it can run on a worker thread: ``runner.submit(fn, db, ...)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from clerk_desk.catalog.views import ItemSummary
from clerk_desk.domain.case_numbers import parse_case_number
from clerk_desk.domain.case_view import Party as ViewParty
from clerk_desk.domain.errors import InputError, NotFound
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.forms.case_documents import build_document
from clerk_desk.forms.documents import Document
from clerk_desk.services import case_queries, print_log, routing
from clerk_desk.services import catalog_service as cs
from clerk_desk.services.case_read import read_case, read_cases
from clerk_desk.services.intake_forms import Party
from clerk_desk.services.workplace import site_info
from clerk_desk.store.database import Database
from clerk_desk.ui.intake.model import Selection

RESULT_LIMIT = 50


@dataclass(frozen=True)
class Found:
    text: str
    themes: tuple[tuple[str, str], ...]  # (code, name)
    items: tuple[ItemSummary, ...]
    refused: dict[str, str] = field(default_factory=dict)  # item code -> why this window cannot take it


def find(db: Database, text: str, window_id: str | None = None) -> Found:
    """Items (retired ones too, so the clerk is told why they cannot be chosen), theme bundles, and which
    items the window cannot take (listed greyed, with the window that takes them)."""
    themes = tuple((c, n) for c, n, _demo in cs.search_themes(db, text)) if text.strip() else ()
    items = tuple(cs.search(db, text, include_retired=bool(text.strip()), limit=RESULT_LIMIT))
    day = datetime.now(SHANGHAI).date()
    return Found(text, themes, items, routing.at_window(db, window_id, day).refused(items))


def item_selection(db: Database, code: str) -> Selection:
    return Selection.of_item(cs.get_item(db, code))


def theme_selection(db: Database, code: str) -> Selection:
    theme = cs.get_theme(db, code)
    if theme.missing_items:
        raise NotFound("本机目录中缺少该主题的事项：" + "、".join(theme.missing_items) + "，请更新事项目录")
    return Selection.of_theme(theme)


@dataclass(frozen=True)
class Notice:
    """A 一次性告知 to continue from: what was applied for and by whom."""

    number: str
    selection: Selection
    applicant: Party
    agent: Party | None
    answers: dict[str, str] = field(default_factory=dict)  # the situation answers the notice was given for


def _party(p: ViewParty | None, relation: str = "") -> Party | None:
    if p is None:
        return None
    return Party(p.kind, p.name, p.id_number, p.phone, p.address, p.legal_representative, relation)


def load_notice(db: Database, number: str) -> Notice:
    """The 一次性告知 case with this notice number (compact or grouped form)."""
    compact = parse_case_number(number).compact
    rows = [r for r in case_queries.page(db, case_queries.CaseFilter().searching(compact), limit=5).rows
            if r.case_number == compact]
    if not rows:
        raise NotFound(f"本机没有编号为 {compact} 的一次性告知记录")
    case = read_case(db, rows[0].uuid)
    if case.status != "notified":
        raise InputError(f"编号 {compact} 不是一次性告知书（当前状态：{case_queries.status_text(case.status, False)}）")
    theme = case.intake.theme_code
    selection = theme_selection(db, theme) if theme else item_selection(db, case.item.code)
    applicant = _party(case.parties.applicant)
    assert applicant is not None
    answers = {a.code: a.answer for a in case.situations}
    return Notice(compact, selection, applicant, _party(case.parties.agent, case.parties.agent_relation), answers)


@dataclass(frozen=True)
class Printable:
    document: Document
    reprint: int
    case_uuids: tuple[str, ...]  # the cases the paper covers: each gets the print recorded


def prepare_print(
    db: Database, case_uuids: tuple[str, ...], kind: str, *, site_name: str, window_name: str, clerk_name: str,
) -> Printable:
    """The paper for the cases, carrying the number of prints before it (a second print says 补打);
    nothing is written until it is printed (:func:`record_printed`).

    A pledge letter covers only the cases of a bundle that owe a material.
    """
    cases = read_cases(db, case_uuids)
    if kind == "pledge":
        cases = [c for c in cases if c.pledge is not None]
    if not cases:
        raise NotFound("这些办件没有需要打印的容缺承诺书")
    reprint = max(c.prints_of(kind) for c in cases)  # counted in the same read
    doc = build_document(kind, cases, site_name=site_name, window_name=window_name, clerk_name=clerk_name,
                         reprint=reprint, demo=site_info(db).demo)
    return Printable(doc, reprint, tuple(c.uuid for c in cases))


def record_printed(db: Database, printable: Printable, kind: str, *, actor: str, paper: str) -> int:
    """The printer took the paper: record the print on every case it covers, with the number it carries."""
    for uuid in printable.case_uuids:
        print_log.record_print(db, uuid, kind, actor=actor, paper=paper, printed_as=printable.reprint)
    return printable.reprint


def refresh_selection(db: Database, selection: Selection) -> Selection:
    """A draft's items as the catalog has them now: one retired since the draft was saved says so."""
    items = []
    for ref in selection.items:
        try:
            retired = cs.get_item(db, ref.code).retired
        except NotFound:
            retired = True
        items.append(replace(ref, retired=retired))
    return replace(selection, items=tuple(items))
