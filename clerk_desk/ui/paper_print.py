"""Printing one case paper from a page: read the case (its view, services/case_read.py: what the paper
needs and the number this print carries — 0: the original; later ones say 补打 and their number), build the
paper, print it through the preview, and only when it went to the printer (or was saved as a PDF) record the
print (``document_printed``, or ``reprinted``). A preview closed with Esc records nothing.

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


def read_paper(db: Database, case_uuid: str, kind: str) -> tuple[CaseView, int]:
    """The case as the paper needs it, and the reprint number the next print carries (nothing written):
    one read, the prints counted from the same view."""
    from clerk_desk.services.case_read import read_case

    view = read_case(db, case_uuid)
    return view, view.prints_of(kind)


def record_printed(db: Database, case_uuid: str, kind: str, paper: str, actor: str, side: Side,
                   printed_as: int) -> int:  # fmt: skip
    """The printer took the paper: record it with the number it carries."""
    from clerk_desk.services import print_log

    return print_log.record_print(db, case_uuid, kind, actor=actor, side=side, paper=paper, printed_as=printed_as)


def paper_document(case: CaseView, kind: str, reprint: int, session: DeskSession) -> Document:
    from clerk_desk.forms.case_documents import build_document

    w = session.window
    return build_document(kind, [case], site_name=session.site.site_name or "", window_name=w.name if w else "",
                          clerk_name=session.user.display_name, reprint=reprint, demo=session.site.demo)


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
        call = partial(read_paper, self.db, self.case_uuid, self.kind)
        self.runner.submit(call, on_done=lambda result: self._print(paper, *result), on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        notify.show_error(self, exc)

    def _print(self, paper: Paper, case: CaseView, reprint: int) -> None:
        self.button.setEnabled(True)
        try:
            doc = paper_document(case, self.kind, reprint, self.session)
            printed = self.print_fn(doc, paper)
        except Exception as exc:  # a printer problem is shown; nothing went out, nothing is recorded
            notify.show_error(self, exc)
            printed = False
        if not printed:
            self.printed.emit(case.uuid, "")
            return
        call = partial(record_printed, self.db, case.uuid, self.kind, paper.value, self.session.user.username,
                       self.side, reprint)
        self.runner.submit(call, on_done=lambda _n: self.printed.emit(case.uuid, doc.title), on_error=self._failed)
