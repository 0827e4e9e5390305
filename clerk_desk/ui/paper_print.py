"""Printing one case paper from a page: record the print first (``document_printed``, or ``reprinted``
with its number: the paper then says 补打), read the case back with what the paper needs
(services/case_read.py), build the paper and print it through the preview.

:class:`PaperPrintControls` is the paper choice and the print button a page puts in its button bar (the
inbox case page prints the decision letter with it). Printing is injectable for tests:
``print_fn(document, paper) -> bool``, or ``preview_factory`` / ``printer_name``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from clerk_desk.domain.lifecycle import Side
from clerk_desk.forms.paper import Paper
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, combo

if TYPE_CHECKING:  # printing (QtPrintSupport, segno) is imported on the first print
    from clerk_desk.domain.case_view import CaseView
    from clerk_desk.forms.documents import Document
    from clerk_desk.forms.render import PreviewFactory

PrintFn = Callable[["Document", Paper], bool]


def prepare_paper(db: Database, case_uuid: str, kind: str, paper: str, actor: str, side: Side) -> tuple[CaseView, int]:
    """Record the print, then read the case for the paper: (case, reprint number to print on it)."""
    from clerk_desk.services import print_log
    from clerk_desk.services.case_read import read_case

    reprint = print_log.record_print(db, case_uuid, kind, actor=actor, side=side, paper=paper)
    return read_case(db, case_uuid), reprint


def paper_document(case: CaseView, kind: str, reprint: int, session: DeskSession) -> Document:
    from clerk_desk.forms.case_documents import build_document

    w = session.window
    return build_document(kind, [case], site_name=session.site.site_name or "", window_name=w.name if w else "",
                          clerk_name=session.user.display_name, reprint=reprint)


def print_with_preview(doc: Document, paper: Paper, printer_name: str | None = None,
                       preview_factory: PreviewFactory | None = None) -> bool:
    from clerk_desk.forms import render

    return render.print_document(doc, paper, printer_name, preview=True, preview_factory=preview_factory)


class PaperPrintControls(QWidget):
    """A paper combo (A4 / 80 mm) and a print button for one kind of paper of the case shown."""

    printed = Signal(str, str)  # case uuid, the paper's name when it was printed ("" when not)

    def __init__(self, db: Database, runner: TaskRunner, session: DeskSession, kind: str, text: str,
                 button_name: str, paper_name: str, *, side: Side, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{button_name}Controls")
        self.db, self.runner, self.session, self.kind, self.side = db, runner, session, kind, side
        self.case_uuid: str | None = None
        self.preview_factory: PreviewFactory | None = None
        self.printer_name: str | None = None
        self.print_fn: PrintFn = lambda d, p: print_with_preview(d, p, self.printer_name, self.preview_factory)
        self.paper = combo(paper_name, self)
        self.paper.addItem(self.tr("A4"), Paper.A4.value)
        self.paper.addItem(self.tr("80 mm roll"), Paper.ROLL_80MM.value)
        self.button = button(text, button_name, self)
        self.button.clicked.connect(self.print_paper)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.paper)
        row.addWidget(self.button)
        self.setVisible(False)

    def set_case(self, case_uuid: str | None) -> None:
        """The case to print for; None hides the controls (the case has no such paper yet)."""
        self.case_uuid = case_uuid
        self.setVisible(case_uuid is not None)

    def print_paper(self) -> None:
        if self.case_uuid is None or not self.button.isEnabled():
            return
        self.button.setEnabled(False)
        paper = Paper(self.paper.currentData())
        call = partial(prepare_paper, self.db, self.case_uuid, self.kind, paper.value, self.session.user.username,
                       self.side)
        self.runner.submit(call, on_done=lambda result: self._print(paper, *result), on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        notify.show_error(self, exc)

    def _print(self, paper: Paper, case: CaseView, reprint: int) -> None:
        self.button.setEnabled(True)
        name = ""
        try:
            doc = paper_document(case, self.kind, reprint, self.session)
            if self.print_fn(doc, paper):
                name = doc.title
        except Exception as exc:  # a printer problem is shown; the recorded print stays in the timeline
            notify.show_error(self, exc)
        self.printed.emit(case.uuid, name)
