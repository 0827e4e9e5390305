"""Step 3: the material checklist (初审). One row per material; a bundle's shared material is asked once.

When the catalog asks situation questions (情形: 委托他人办理, 非本县户籍 …), they come first, one
drop-down each with the catalog's default chosen: ↑ ↓ change the answer, Enter goes to the next question
and from the last one into the table. The table holds exactly the materials that apply to the answers;
what was already checked stays checked when an answer changes.

Keys in the table: Space marks the current material provided (or not), Enter goes to the next row (on
the last row, on to the outcome), X marks it defective and opens the reason, F2 edits a cell, Ctrl+A
marks every required material provided with the catalog's form and copies (the routine case).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clerk_desk.catalog.format import Situation
from clerk_desk.services.intake_forms import FORMS, MaterialCheck, SituationAnswer
from clerk_desk.ui.intake.model import MaterialRow, Selection
from clerk_desk.ui.qt_items import table_cell
from clerk_desk.ui.widgets import button, combo, enter_clicks, keep_visible, label, plain_tooltip

NAME, NEED, PROVIDED, FORM, COPIES, REVIEW, PROBLEM = range(7)
CODE = Qt.ItemDataRole.UserRole
EACH = Qt.ItemDataRole.UserRole + 1
ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
Index = QModelIndex | QPersistentModelIndex


class _Delegate(QStyledItemDelegate):
    """Combo boxes for the form and the review verdict, a spin box for copies."""

    def __init__(self, step: ChecklistStep) -> None:
        super().__init__(step.table)
        self.step = step

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        if index.column() == FORM:
            box = QComboBox(parent)
            for code, text in FORMS.items():
                box.addItem(text, code)
            return box
        if index.column() == REVIEW:
            box = QComboBox(parent)
            box.addItem(self.step.review_text(True), True)
            box.addItem(self.step.review_text(False), False)
            return box
        if index.column() == COPIES:
            spin = QSpinBox(parent)
            spin.setRange(0, 99)
            return spin
        editor = super().createEditor(parent, option, index)  # the problem's text: a line edit
        return keep_visible(editor) if isinstance(editor, QLineEdit) else editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(CODE))))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(index.data(CODE) or 0))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:  # noqa: N802
        item = table_cell(self.step.table, index.row(), index.column())
        if isinstance(editor, QComboBox):
            self.step.set_cell(item, editor.currentData())
        elif isinstance(editor, QSpinBox):
            self.step.set_cell(item, editor.value())
        else:
            super().setModelData(editor, model, index)


class ChecklistStep(QWidget):
    finished = Signal()
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: tuple[MaterialRow, ...] = ()
        self.selection: Selection | None = None
        self.situations: tuple[Situation, ...] = ()
        self.answer_boxes: list[QComboBox] = []
        self.situations_box = QWidget(self)
        self.situations_box.setObjectName("situationsBox")
        self.situations_form = QFormLayout(self.situations_box)
        self.situations_form.setContentsMargins(0, 0, 0, 0)
        self.situations_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.situations_hint = label(self.tr("The applicant's situation decides which materials apply: "
                                             "↑ ↓ change an answer, Enter goes on."), "situationsHint", self)
        self.situations_hint.setProperty("role", "note")
        self.table = QTableWidget(0, 7, self)
        self.table.setObjectName("checklistTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("Material"), self.tr("Requirement"), self.tr("Provided"), self.tr("Form"),
            self.tr("Copies"), self.tr("Review"), self.tr("Problem"),
        ])
        delegate = _Delegate(self)
        self.table.setItemDelegate(delegate)
        delegate.closeEditor.connect(self._editor_closed)
        self._before_x: tuple[int, bool, bool] | None = None  # the row X changed, as it was: Esc gives it back
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.SelectedClicked)
        self.table.verticalHeader().setVisible(False)
        # The arrows move in the table (Space, Enter, X and F2 act on the row); Tab leaves it, to the button
        # under it, and Shift+Tab goes back up to the questions. Tab went from cell to cell, 7 stops a row.
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        # Each row as tall as its wrapped material name at the width the table has now: sized once after
        # loading, rows kept the height of the width they were first laid out at (lines cut on a narrower
        # window, rows three times too tall on a wider one). A checklist has a few dozen rows at most.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PROBLEM, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(PROBLEM, 180)
        self.table.installEventFilter(self)
        self.table.itemChanged.connect(self._item_changed)
        self.all_provided = button(self.tr("All required provided (Ctrl+A)"), "checklistAllProvided", self)
        self.all_provided.clicked.connect(self.mark_all_provided)
        enter_clicks(self, self.all_provided)
        self.summary = label("", "checklistSummary", self, wrap=True)
        self.keys = label(self.tr("Space: provided · Enter: next row · X: defective, with the reason · "
                                  "F2: edit a cell"), "checklistKeys", self)
        self.keys.setProperty("role", "note")
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.all_provided)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(10)
        root.addWidget(self.situations_box)
        root.addWidget(self.situations_hint)
        root.addWidget(self.table, 1)
        root.addLayout(bottom)
        root.addWidget(self.keys)
        self._loading = False

    def review_text(self, ok: bool) -> str:
        return self.tr("In order") if ok else self.tr("Has a problem")

    # ---- rows ------------------------------------------------------------------------------------

    # ---- situations ------------------------------------------------------------------------------

    def _build_situations(self, situations: tuple[Situation, ...], answers: dict[str, str]) -> None:
        while self.situations_form.rowCount():
            self.situations_form.removeRow(0)
        self.answer_boxes = []
        for s in situations:
            box = combo(f"situation_{s.code}", self.situations_box)
            for option in s.options:
                box.addItem(option.label, option.code)
            box.setCurrentIndex(max(0, box.findData(answers.get(s.code, s.default))))
            box.setProperty("situationCode", s.code)
            box.installEventFilter(self)
            box.currentIndexChanged.connect(self._answers_changed)
            self.situations_form.addRow(label(s.question, f"situationQuestion_{s.code}", self.situations_box), box)
            self.answer_boxes.append(box)
        self.situations = situations
        # The questions are made after the table: put them just before it in the Tab order (Shift+Tab from the
        # table went to the navigation, the questions came last). Qt orders only widgets that take the focus.
        before_table: QWidget = self.table
        while (earlier := before_table.previousInFocusChain()) is not None and earlier is not self.table:
            before_table = earlier
            if before_table.focusPolicy() != Qt.FocusPolicy.NoFocus:
                break
        order = [before_table, *self.answer_boxes]
        for before, after in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(before, after)
        self.situations_box.setVisible(bool(situations))
        self.situations_hint.setVisible(bool(situations))

    def answers(self) -> dict[str, str]:
        return {str(b.property("situationCode")): str(b.currentData()) for b in self.answer_boxes}

    def situation_answers(self) -> tuple[SituationAnswer, ...]:
        return self.selection.answered(self.answers()) if self.selection and self.situations else ()

    def set_answers(self, answers: dict[str, str]) -> None:
        """Answer the questions (a notice continued, a draft restored) and show the materials for them."""
        for b in self.answer_boxes:
            code = str(b.property("situationCode"))
            if code in answers:
                b.blockSignals(True)
                b.setCurrentIndex(max(0, b.findData(answers[code])))
                b.blockSignals(False)
        self._answers_changed()

    def _answers_changed(self) -> None:
        if self.selection is not None:
            self._fill(self.selection.rows(self.answers()), self.checks())

    # ---- rows ------------------------------------------------------------------------------------

    def load(self, selection: Selection | None, checks: tuple[MaterialCheck, ...] = (),
             answers: dict[str, str] | None = None) -> None:
        """Show the selection's questions and the materials for ``answers`` (the defaults when None);
        ``checks`` (from a draft) restores what was reviewed."""
        self.selection = selection
        situations = selection.situations if selection else ()
        chosen = {**(selection.default_answers() if selection else {}), **(answers or {})}
        self._build_situations(situations, chosen)
        self._fill(selection.rows(chosen) if selection else (), checks)

    def _fill(self, rows: tuple[MaterialRow, ...], checks: tuple[MaterialCheck, ...]) -> None:
        """Fill the table with ``rows``; a material already checked (by name) keeps what was recorded."""
        self._loading = True
        selection = self.selection
        self.rows = rows
        by_name = {c.name: c for c in checks}
        shared = selection is not None and len(selection.items) > 1
        self.table.setRowCount(len(self.rows))
        for r, m in enumerate(self.rows):
            c = by_name.get(m.name)
            together = self.tr("shared by {0} items").format(len(m.item_codes))
            name = m.name + (f"  〔{together}〕" if shared and len(m.item_codes) > 1 else "")
            self._put(r, NAME, name, None, tooltip=f"{name}\n{m.note}" if m.note else name)
            need = self.tr("Required") if m.required else self.tr("Optional")
            if m.waivable:
                need += " · " + self.tr("may be owed")
            self._put(r, NEED, need, None)
            provided = QTableWidgetItem(self.tr("Yes") if c and c.provided else self.tr("No"))
            provided.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                              | Qt.ItemFlag.ItemIsSelectable)
            provided.setCheckState(Qt.CheckState.Checked if c and c.provided else Qt.CheckState.Unchecked)
            self.table.setItem(r, PROVIDED, provided)
            self._put(r, FORM, "", (c.form if c and c.form else m.form), editable=True)
            self._put(r, COPIES, "", (c.copies if c else m.copies), editable=True, each=m.each)
            self._put(r, REVIEW, "", (c.ok if c else True), editable=True)
            self._put(r, PROBLEM, (c.problem or "") if c else "", None, editable=True)
        if self.rows:
            self.table.setCurrentCell(0, PROVIDED)
        self._loading = False
        self._refresh()

    def _put(self, row: int, col: int, text: str, code: object, *, editable: bool = False,
             tooltip: str = "", each: bool = False) -> None:
        item = QTableWidgetItem(text)
        item.setData(EACH, each)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        item.setFlags(flags | Qt.ItemFlag.ItemIsEditable if editable else flags)
        if tooltip:
            item.setToolTip(plain_tooltip(tooltip))
        self.table.setItem(row, col, item)
        if code is not None:
            self.set_cell(item, code)

    def set_cell(self, item: QTableWidgetItem, code: object) -> None:
        """Store a coded value (form, copies, verdict) and its readable text."""
        item.setData(CODE, code)
        if item.column() == FORM:
            item.setText(FORMS.get(str(code), ""))
        elif item.column() == COPIES:  # 各1: one original and one photocopy
            item.setText(self.tr("each %1").replace("%1", str(code)) if item.data(EACH) else str(code))
        elif item.column() == REVIEW:
            item.setText(self.review_text(bool(code)))

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        if item.column() == PROVIDED:
            self._loading = True
            item.setText(self.tr("Yes") if item.checkState() == Qt.CheckState.Checked else self.tr("No"))
            self._loading = False
        if item.column() == PROBLEM and item.text().strip():
            self.set_cell(table_cell(self.table, item.row(), REVIEW), False)
        self._refresh()

    def set_provided(self, row: int, on: bool) -> None:
        table_cell(self.table, row, PROVIDED).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def mark_all_provided(self) -> None:
        for r, m in enumerate(self.rows):
            if m.required:
                self.set_provided(r, True)
        self.table.setFocus()

    def mark_defective(self, row: int) -> None:
        provided = table_cell(self.table, row, PROVIDED).checkState() == Qt.CheckState.Checked
        self._before_x = (row, provided, bool(table_cell(self.table, row, REVIEW).data(CODE)))
        self.set_cell(table_cell(self.table, row, REVIEW), False)
        self.set_provided(row, True)
        self.table.setCurrentCell(row, PROBLEM)
        self.table.editItem(table_cell(self.table, row, PROBLEM))

    def _editor_closed(self, _editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        """Esc in the reason X opened takes the X back: the row as it was, not defective without a reason."""
        before, self._before_x = self._before_x, None
        if before is None or hint != QAbstractItemDelegate.EndEditHint.RevertModelCache:
            return
        row, provided, ok = before
        if row < self.table.rowCount() and not table_cell(self.table, row, PROBLEM).text().strip():
            self.set_cell(table_cell(self.table, row, REVIEW), ok)
            self.set_provided(row, provided)
            self._refresh()

    def checks(self) -> tuple[MaterialCheck, ...]:
        out = []
        for r, m in enumerate(self.rows):
            provided = table_cell(self.table, r, PROVIDED).checkState() == Qt.CheckState.Checked
            ok = bool(table_cell(self.table, r, REVIEW).data(CODE))
            problem = table_cell(self.table, r, PROBLEM).text().strip()
            out.append(MaterialCheck(
                m.name, m.required, m.waivable, provided, table_cell(self.table, r, FORM).data(CODE),
                int(table_cell(self.table, r, COPIES).data(CODE) or 0), ok, problem or None, m.item_codes, m.each,
            ))
        return tuple(out)

    def _refresh(self) -> None:
        checks = self.checks()
        grey, red = QBrush(QColor("#8a96a3")), QBrush(QColor("#a61b1b"))
        was, self._loading = self._loading, True  # colouring cells must not count as a change
        for r, c in enumerate(checks):
            for col in (FORM, COPIES):
                table_cell(self.table, r, col).setForeground(QBrush() if c.provided else grey)
            table_cell(self.table, r, REVIEW).setForeground(red if not c.ok else QBrush())
        self._loading = was
        required = [c for c in checks if c.required]
        gaps = [c.name for c in required if c.missing_or_defective]
        if not self.rows:
            text = self.tr("The catalog lists no materials for this item.")
        elif not gaps:
            text = self.tr("All {0} required materials provided and in order.").format(len(required))
        else:
            text = self.tr("Missing or defective: %1").replace("%1", "、".join(gaps))
        self.summary.setText(text)
        self.summary.setProperty("role", "note" if not gaps else "error")
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)
        self.changed.emit()

    # ---- keys ------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched in self.answer_boxes and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_A and event.modifiers() == Qt.KeyboardModifier.ControlModifier:
                self.mark_all_provided()  # the answers are given: everything required is here
                return True
            if event.key() in ENTER and not event.modifiers():
                at = self.answer_boxes.index(watched)
                if at + 1 < len(self.answer_boxes):
                    self.answer_boxes[at + 1].setFocus()
                else:
                    self.focus_table()
                return True
            return super().eventFilter(watched, event)
        if watched is not self.table or event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        assert isinstance(event, QKeyEvent)
        if self.table.state() == QAbstractItemView.State.EditingState:
            return super().eventFilter(watched, event)
        key, mods = event.key(), event.modifiers()
        row = self.table.currentRow()
        if key == Qt.Key.Key_A and mods == Qt.KeyboardModifier.ControlModifier:
            self.mark_all_provided()
            return True
        if mods not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            return super().eventFilter(watched, event)
        if key == Qt.Key.Key_Space and row >= 0:
            on = table_cell(self.table, row, PROVIDED).checkState() != Qt.CheckState.Checked
            self.set_provided(row, on)
            return True
        if key in ENTER:
            if row + 1 < self.table.rowCount():
                self.table.setCurrentCell(row + 1, max(PROVIDED, self.table.currentColumn()))
            else:
                self.finished.emit()
            return True
        if key == Qt.Key.Key_X and row >= 0:
            self.mark_defective(row)
            return True
        return super().eventFilter(watched, event)

    def focus(self) -> None:
        """The questions first when there are any (their defaults are chosen: Enter, Enter … passes)."""
        if self.answer_boxes:
            self.answer_boxes[0].setFocus()
        else:
            self.focus_table()

    def focus_table(self) -> None:
        self.table.setFocus()
        if self.table.currentRow() < 0 and self.table.rowCount():
            self.table.setCurrentCell(0, PROVIDED)
