"""The parts of the case page: the header facts, the checklist as reviewed, the timeline of events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clerk_desk.domain.case_view import CaseView, Party, PushState, TimelineEvent
from clerk_desk.domain.identifiers import mask_resident_id
from clerk_desk.services import case_queries as q
from clerk_desk.services.intake_forms import CHANNELS, DELIVERY, FORMS
from clerk_desk.services.print_log import DOCUMENT_KINDS
from clerk_desk.ui.cases.case_format import (
    COUNTING,
    Urgency,
    countdown_of,
    due_overdue,
    local_text,
    push_state_text,
    side_text,
)
from clerk_desk.ui.colour_cells import KeepColours
from clerk_desk.ui.column_fit import CASE_NUMBER_TAIL, fit_columns
from clerk_desk.ui.page_stack import scrolling
from clerk_desk.ui.tr_mark import QT_TRANSLATE_NOOP
from clerk_desk.ui.widgets import WrappingLabel, dialog_layout, label, plain_tooltip

LABEL_COLOURS = {Urgency.NONE: "", Urgency.AMBER: "color: #9a6200; font-weight: bold;",
                 Urgency.RED: "color: #b03a2e; font-weight: bold;"}
PUSH_COLOURS = {PushState.PENDING: "#7a4b00", PushState.IN_FLIGHT: "#7a4b00", PushState.REJECTED: "#b03a2e",
                PushState.HELD: "#b03a2e", PushState.STORED: "#1e7b34", PushState.DUPLICATE: "#1e7b34"}


@dataclass
class CaseSections:
    """The parts both case pages (the window's and the back office's) are made of."""

    number: QLabel
    status: QLabel
    withdrawal: QLabel  # a withdrawal asked for and not yet answered; hidden otherwise
    facts: dict[str, QLabel]  # objectName -> value label of the header card
    checklist: QTableWidget
    timeline: QTableWidget
    splitter: QSplitter  # the checklist above the timeline: fit_split() sizes it to the checklist's rows
    body: QVBoxLayout  # what scrolls on a short screen (the heading, the facts, the tables); the acts stay below


def build_case_view(
    page: QWidget, layout: QVBoxLayout, prefix: str, facts: list[tuple[str, str]], *, checklist_title: str,
    timeline_title: str, withdrawal_style: str, wrap_facts: bool = False,
) -> CaseSections:
    """Heading (number, status), the withdrawal line, a card of facts in two columns, then the checklist
    as reviewed above the timeline in a splitter; added to ``layout`` in a frameless scroll area of their
    own (``body``), so that on a short screen (1366×768 at 125 % or 150 %) they scroll and what the page
    adds to ``layout`` after them — its acts — stays on screen below them. objectNames start with ``prefix``."""
    number = label("", f"{prefix}Number", page)
    number.setProperty("role", "heading")
    number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    status = label("", f"{prefix}Status", page)
    status.setProperty("role", "note")
    top = QHBoxLayout()
    top.addWidget(number)
    top.addWidget(status)
    top.addStretch(1)
    withdrawal = label("", f"{prefix}Withdrawal", page, wrap=True)
    withdrawal.setStyleSheet(withdrawal_style)
    withdrawal.setVisible(False)

    card = QFrame(page)
    card.setObjectName(f"{prefix}HeaderCard")
    card.setStyleSheet(f"QFrame#{prefix}HeaderCard {{ background: #ffffff; border: 1px solid #d5dde6;"
                       f" border-radius: 6px; }} QFrame#{prefix}HeaderCard QLabel {{ border: none; }}")
    grid = QGridLayout(card)
    grid.setContentsMargins(14, 10, 14, 10)
    grid.setHorizontalSpacing(14)
    grid.setVerticalSpacing(6)
    values: dict[str, QLabel] = {}
    for i, (name, caption) in enumerate(facts):
        row, col = divmod(i, 2)
        cap = label(caption + "：", "", card)
        cap.setStyleSheet("color: #4a5a6a;")
        value = WrappingLabel("", name, card) if wrap_facts else label("", name, card)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)  # level with its caption
        grid.addWidget(cap, row, col * 2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(value, row, col * 2 + 1)
        values[name] = value
    grid.setColumnStretch(1, 1)
    grid.setColumnStretch(3, 1)

    checklist = table(f"{prefix}Checklist", translated(CHECKLIST_HEADERS), page, stretch=0)
    timeline = table(f"{prefix}Timeline", translated(TIMELINE_HEADERS), page, stretch=TIMELINE_NOTE)
    split = QSplitter(Qt.Orientation.Vertical, page)
    split.setObjectName(f"{prefix}Splitter")
    split.setChildrenCollapsible(False)
    for caption, name, widget in ((checklist_title, f"{prefix}ChecklistTitle", checklist),
                                  (timeline_title, f"{prefix}TimelineTitle", timeline)):  # fmt: skip
        box = QWidget(split)
        inner = dialog_layout(box)
        inner.setContentsMargins(0, 4, 0, 0)
        inner.setSpacing(4)
        title = label(caption, name, box)
        title.setProperty("role", "subheading")
        inner.addWidget(title)
        inner.addWidget(widget, 1)
        split.addWidget(box)
    split.setStretchFactor(0, 2)
    split.setStretchFactor(1, 3)

    content = QWidget(page)
    content.setObjectName(f"{prefix}Body")
    body = QVBoxLayout(content)
    body.setContentsMargins(0, 0, 0, 0)
    body.addLayout(top)
    body.addWidget(withdrawal)
    body.addWidget(card)
    body.addWidget(split, 1)
    layout.addWidget(scrolling(content, f"{prefix}Scroll", page), 1)
    split.installEventFilter(_SplitFit(split, checklist, timeline))
    return CaseSections(number, status, withdrawal, values, checklist, timeline, split, body)


def _t(text: str) -> str:
    return QCoreApplication.translate("CasePage", text)


ROW_HEIGHT = 30
TIMELINE_LEAST_ROWS = 3


def table(name: str, headers: list[str], parent: QWidget | None = None, *, stretch: int,
          whole: tuple[int, ...] = (), drop: tuple[int, ...] = (), number: int | None = None) -> QTableWidget:
    """A read-only table whose columns fit their content within its width (column_fit.py); ``stretch``
    takes the room left, ``whole`` columns are never cut, ``drop`` ones go first when even the titles do
    not fit. ``number``: the case number's column, which gives up its head when room is short
    (「…01-20261207-000014」, never 「4212241…」) and is drawn by Qt's own delegate (the other columns keep
    their colours when selected). A cell too narrow for its text has the whole text as its tooltip (fill)."""
    t = QTableWidget(0, len(headers), parent)
    t.setObjectName(name)
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setAlternatingRowColors(True)
    t.setWordWrap(False)
    t.verticalHeader().hide()
    t.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    t.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    keep = KeepColours(t)
    if number is None:
        t.setItemDelegate(keep)
    else:  # (a column drawn by a delegate of its own could not be drawn from its end: column_fit.ColumnFit)
        for column in range(len(headers)):
            if column != number:
                t.setItemDelegateForColumn(column, keep)
    fit_columns(t, stretch, whole=whole, drop=drop, tails=None if number is None else {number: CASE_NUMBER_TAIL})
    return t


def fill(t: QTableWidget, rows: list[list[str]], colours: list[str | None] | None = None, colour_column: int = -1) -> None:
    t.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(plain_tooltip(text))  # the whole text where the column draws it elided
            if colours and colours[r] and c == colour_column:
                item.setForeground(QBrush(QColor(colours[r] or "")))
            t.setItem(r, c, item)


def select_row(t: QTableWidget, row: int) -> None:
    """Select ``row`` alone, whatever keys are held (QTableView.selectRow toggles it while Ctrl is down)."""
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    t.selectionModel().setCurrentIndex(t.model().index(row, 0), flags)


def rows_height(t: QTableWidget, rows: int) -> int:
    """The height ``t`` needs to show ``rows`` whole rows (header, frame, a horizontal scroll bar)."""
    bar = t.horizontalScrollBar()
    return (t.horizontalHeader().height() + rows * t.verticalHeader().defaultSectionSize() + 2 * t.frameWidth()
            + (bar.sizeHint().height() if bar.isVisible() else 0))


def fit_split(split: QSplitter, checklist: QTableWidget, timeline: QTableWidget) -> None:
    """Give the checklist the height of all its rows, or of as many whole rows as leave the timeline
    three; the timeline takes the rest. No row of the checklist shows cut in half."""
    total = sum(split.sizes())
    if total <= 0 or split.count() != 2:
        return
    top, bottom = split.widget(0), split.widget(1)
    assert top is not None and bottom is not None  # the splitter holds the two
    top_extra = top.minimumSizeHint().height() - checklist.minimumSizeHint().height()  # caption
    bottom_extra = bottom.minimumSizeHint().height() - timeline.minimumSizeHint().height()
    room = total - top_extra - bottom_extra - rows_height(timeline, TIMELINE_LEAST_ROWS)
    rows = checklist.rowCount()
    if rows_height(checklist, rows) > room:
        rows = max(1, (room - rows_height(checklist, 0)) // checklist.verticalHeader().defaultSectionSize())
    height = top_extra + rows_height(checklist, rows)
    split.setSizes([height, max(0, total - height)])


class _SplitFit(QObject):
    """Fits the split again when the page's height changes (after the splitter has shared out the new
    height its own way)."""

    def __init__(self, split: QSplitter, checklist: QTableWidget, timeline: QTableWidget) -> None:
        super().__init__(split)
        self.parts = (split, checklist, timeline)
        self.soon = QTimer(self)
        self.soon.setSingleShot(True)
        self.soon.setInterval(0)
        self.soon.timeout.connect(lambda: fit_split(*self.parts))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Resize:
            self.soon.start()
        return False


def not_recorded() -> str:
    return QCoreApplication.translate("CasePage", "Not recorded")


def person_text(p: Party | None) -> str:
    if p is None:
        return QCoreApplication.translate("CasePage", "None")
    parts = [p.name]
    if p.id_number:
        parts.append(p.id_number if p.is_organisation else mask_resident_id(p.id_number))
    if p.legal_representative:
        parts.append(QCoreApplication.translate("CasePage", "legal representative {0}").format(p.legal_representative))
    return "  ".join(x for x in parts if x)


def header_facts(view: CaseView, now: datetime) -> dict[str, str]:
    """objectName -> text of each header fact."""
    intake = view.intake
    # A case accepted by an older desk may not say how it came: say so rather than leave it blank.
    channel = CHANNELS.get(intake.channel or "", intake.channel or "") or not_recorded()
    if intake.online_application_no:
        channel += QCoreApplication.translate("CasePage", " (application {0})").format(intake.online_application_no)
    delivery = intake.delivery
    delivery_text = DELIVERY.get(delivery.method, "—") if delivery else "—"
    if delivery and delivery.address:
        delivery_text += f"：{delivery.address}"
    agent = person_text(view.parties.agent)
    if view.parties.agent and view.parties.agent_relation:
        agent += QCoreApplication.translate("CasePage", " ({0})").format(view.parties.agent_relation)
    return {
        "caseItem": view.item.name,
        "caseDepartment": view.item.department_name,
        "caseApplicant": person_text(view.parties.applicant),
        "caseAgent": agent,
        "caseChannel": channel,
        "caseDelivery": delivery_text,
        "caseAcceptedAt": local_text(view.accepted_at or view.created_at),
        "caseUrgency": urgency_text(view),
        "caseTransferDue": transfer_text(view, now),
        "caseDue": due_text(view, now),
        "casePledge": pledge_text(view),
    }


def urgency_text(view: CaseView) -> str:
    """紧急 / 一般, and the clerk's reason when it is not the catalog's (docs/hall-operations.md)."""
    if view.item.urgent:
        text = QCoreApplication.translate("CasePage", "Urgent (hand over within 5 minutes)")
    else:
        text = QCoreApplication.translate("CasePage", "Normal (hand over within 15 minutes)")
    if view.item.urgent_reason:
        text += QCoreApplication.translate("CasePage", "; set at the window: {0}").format(view.item.urgent_reason)
    return text


def transfer_state(view: CaseView, now: datetime) -> tuple[str, Urgency]:
    """The transfer deadline line of the header and how urgent it is. The clock runs only while the case
    waits at the window; once handed over the line says when (no deadline left to watch)."""
    if view.status not in COUNTING:
        if view.status == "supplement_requested":
            return QCoreApplication.translate("CasePage", "Back for supplement: hand over again once complete"), Urgency.NONE
        handed = view.transfer.last_at if view.transfer else None
        if handed is not None:
            return QCoreApplication.translate("CasePage", "Handed over at {0}").format(local_text(handed)), Urgency.NONE
        return "—", Urgency.NONE
    due = view.transfer.due_at if view.transfer else None
    if due is None:
        return "—", Urgency.NONE
    c = countdown_of(view.status, due, view.item.urgent, now)
    text = QCoreApplication.translate("CasePage", "by {0}").format(local_text(due, "%H:%M:%S"))
    return (text + f"（{c.text}）", c.urgency) if c else (text, Urgency.NONE)


def transfer_text(view: CaseView, now: datetime) -> str:
    return transfer_state(view, now)[0]


def due_text(view: CaseView, now: datetime) -> str:
    due = view.due
    if due is None:
        return "—"
    text = local_text(due.due_at, "%Y-%m-%d")
    if due.days is not None:
        text += "  " + QCoreApplication.translate("CasePage", "{0} working days").format(due.days)
    if due.confirmed_by_department:
        text += "，" + QCoreApplication.translate("CasePage", "confirmed by the department")
    version = due.calendar_version or ""
    if version.startswith("weekends"):
        text += "  " + QCoreApplication.translate("CasePage", "(provisional: next year's holidays not yet known)")
    elif version:  # what a clerk knows it by; the technical version is the tooltip (due_tooltip)
        text += "  " + holidays_text(view.accepted_at or view.created_at or due.due_at, due.due_at)
    if due_overdue(view.status, due.due_at, now):
        text += "  " + QCoreApplication.translate("CasePage", "OVERDUE")
    if view.status == "paused":  # 特别程序: the date is the one before the pause; it moves when the clock resumes
        text = QCoreApplication.translate("CasePage", "originally {0} (clock stopped; moves later by the paused "
                                          "working days when resumed)").format(text)
    return text


def holidays_text(start: datetime, due: datetime) -> str:
    """Which holiday arrangement the working days were counted on: 「按 2026 年节假日安排」."""
    first, last = (local_text(t, "%Y") for t in (start, due))
    years = first if first == last else f"{first}—{last}"
    return QCoreApplication.translate("CasePage", "counted on the {0} public holiday arrangement").format(years)


def due_tooltip(view: CaseView) -> str:
    """The calendar's technical version, for whoever must trace a due date (e.g. county IT)."""
    version = (view.due.calendar_version if view.due else None) or ""
    return QCoreApplication.translate("CasePage", "Holiday calendar version: {0}").format(version) if version else ""


def pledge_text(view: CaseView) -> str:
    pledge = view.pledge
    if pledge is None:
        return QCoreApplication.translate("CasePage", "None")
    state = QCoreApplication.translate("CasePage", "open") if pledge.open else QCoreApplication.translate("CasePage", "fulfilled")
    due = pledge.due.isoformat() if pledge.due else ""
    return QCoreApplication.translate("CasePage", "{0}, owed by {1} ({2})").format("、".join(pledge.materials), due, state)


CHECKLIST_HEADERS = (
    QT_TRANSLATE_NOOP("CasePage", "Material"), QT_TRANSLATE_NOOP("CasePage", "Requirement"),
    QT_TRANSLATE_NOOP("CasePage", "Provided"), QT_TRANSLATE_NOOP("CasePage", "Form"),
    QT_TRANSLATE_NOOP("CasePage", "Copies"), QT_TRANSLATE_NOOP("CasePage", "Review"),
)


def checklist_rows(view: CaseView) -> list[list[str]]:
    rows = []
    for m in view.checklist:
        need = QCoreApplication.translate("CasePage", "Waivable") if m.waivable else (QCoreApplication.translate("CasePage", "Required") if m.required else QCoreApplication.translate("CasePage", "Optional"))
        review = QCoreApplication.translate("CasePage", "OK") if m.ok else (m.problem or QCoreApplication.translate("CasePage", "Problem"))
        if not m.provided:
            review = QCoreApplication.translate("CasePage", "Missing") if m.required else "—"
        rows.append([
            m.name, need, QCoreApplication.translate("CasePage", "Yes") if m.provided else QCoreApplication.translate("CasePage", "No"),
            FORMS.get(m.form or "", "—"), str(m.copies or 0) if m.provided else "—", review,
        ])
    return rows


TIMELINE_HEADERS = (
    QT_TRANSLATE_NOOP("CasePage", "Time"), QT_TRANSLATE_NOOP("CasePage", "Event"),
    QT_TRANSLATE_NOOP("CasePage", "By"), QT_TRANSLATE_NOOP("CasePage", "Window / back office"),
    QT_TRANSLATE_NOOP("CasePage", "Sync"), QT_TRANSLATE_NOOP("CasePage", "Note"),
)
SYNC_COLUMN = 4
TIMELINE_NOTE = 5


def _note(e: TimelineEvent) -> str:
    p = e.payload or {}
    if e.type in ("document_printed", "reprinted"):
        name = DOCUMENT_KINDS.get(p.get("document", ""), p.get("document", ""))
        paper = "A4" if p.get("paper") == "a4" else QCoreApplication.translate("CasePage", "80 mm roll")
        return f"{name}（{paper}）" + (QCoreApplication.translate("CasePage", ", reprint {0}").format(p["reprint"]) if p.get("reprint") else "")
    if e.type in ("transferred", "retransferred") and p.get("late"):
        return QCoreApplication.translate("CasePage", "Transferred after the deadline")
    for key in ("summary", "reason", "result", "decision"):  # summary: back-office acts and 出件
        if p.get(key):
            return str(p[key])
    return ""


def timeline_rows(events: tuple[TimelineEvent, ...]) -> tuple[list[list[str]], list[str | None]]:
    rows, colours = [], []
    for e in events:
        # This desk's accounts, else the name the event carries (the clerk of a township on a county PC): the
        # fold puts the first it finds in ``act.actor_name`` (domain/case_facts.py).
        by = e.act.actor_name
        who = f"{by}（{e.act.actor}）" if by else QCoreApplication.translate("CasePage", "{0} (name not recorded)").format(e.act.actor)
        rows.append([
            local_text(e.act.at, "%Y-%m-%d %H:%M:%S"), q.EVENT_ZH.get(e.type, e.type), who,
            side_text(e.act.side), push_state_text(e.push_state), _note(e),
        ])
        colours.append(PUSH_COLOURS.get(e.push_state))
    return rows, colours


def translated(headers: tuple[str, ...]) -> list[str]:
    return [_t(h) for h in headers]

