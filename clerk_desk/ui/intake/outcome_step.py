"""Step 4: the outcome. Five buttons opened by the checklist rules, and only the fields they need.

The button the rules recommend has the focus, so Enter takes it; Ctrl+1 … Ctrl+5 take any open one.
Enter in the refusal reason refuses, in the result text finishes on the spot. The refusal reason is not
shown while the clerk accepts: pressing 不予受理 brings it up (with the focus and a line saying it is
needed), and a draft that has a reason shows it.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clerk_desk.services.intake_forms import DELIVERY, ItemRef
from clerk_desk.ui.intake.fields import set_primary
from clerk_desk.ui.intake.model import Availability, OutcomeFields, Selection
from clerk_desk.ui.page_stack import scrolling
from clerk_desk.ui.qt_dates import picked_date
from clerk_desk.ui.widgets import button, enter_clicks, error_label, label, line_edit

OUTCOMES = ("accept", "pledge", "on_spot", "notify", "refuse")
PLEDGE_DAYS = 7


def _days(text: str) -> str:
    """The days as typed, in ASCII digits: an input method in full-width mode types ２０."""
    return unicodedata.normalize("NFKC", text).strip()


def _days_ok(text: str) -> bool:
    t = _days(text)
    return t.isascii() and t.isdigit() and int(t) <= 365


class OutcomeStep(QWidget):
    submit = Signal(str)  # one of OUTCOMES
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rules: Availability | None = None
        self.unknown: tuple[ItemRef, ...] = ()
        texts = (self.tr("Accept"), self.tr("Accept, material owed"), self.tr("Finish on the spot"),
                 self.tr("One-time notice"), self.tr("Refuse"))
        names = ("outcomeAccept", "outcomePledge", "outcomeOnSpot", "outcomeNotify", "outcomeRefuse")
        self.buttons = {}
        row = QHBoxLayout()
        for i, (key, text, name) in enumerate(zip(OUTCOMES, texts, names, strict=True)):
            b = button(f"{text}\nCtrl+{i + 1}", name, self)  # the key under the name: five fit a narrow page
            b.setMinimumHeight(52)
            b.clicked.connect(lambda _=False, k=key: self.submit.emit(k))
            shortcut = QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda b=b: b.click() if b.isEnabled() else None)
            self.buttons[key] = b
            row.addWidget(b)
        enter_clicks(self, *self.buttons.values())
        self.hint = label("", "outcomeHint", self, wrap=True)
        self.hint.setProperty("role", "note")

        self.delivery = QComboBox(self)
        self.delivery.setObjectName("deliveryMethod")
        for code, text in DELIVERY.items():
            self.delivery.addItem(text, code)
        self.address = line_edit("deliveryAddress", self, placeholder=self.tr("Postal address for the result"))
        # urgency: the catalog's by default; the clerk may change it with a reason (docs/hall-operations.md)
        self.catalog_urgent = False
        self.urgent = QCheckBox(self.tr("Urgent: hand over to the back office within 5 minutes"), self)
        self.urgent.setObjectName("outcomeUrgent")
        self.urgent_reason = line_edit("urgentReason", self, placeholder=self.tr(
            "Why this case's urgency differs from the catalog's"))
        self.urgent_reason.setMaxLength(200)
        # a bundle (一件事): one 紧急 box and reason per case (outcomeUrgent1…, urgentReason1…)
        self.bundle_items: tuple[ItemRef, ...] = ()
        self.item_urgent: list[QCheckBox] = []
        self.item_reasons: list[QLineEdit] = []
        self.urgency_box = QWidget(self)
        self.urgency_form = QFormLayout(self.urgency_box)
        self.urgency_form.setContentsMargins(0, 0, 0, 0)
        self.days_box = QWidget(self)
        self.days_form = QFormLayout(self.days_box)
        self.days_form.setContentsMargins(0, 0, 0, 0)
        self.days_edits: list[QLineEdit] = []
        self.pledge_due = QDateEdit(self)
        self.pledge_due.setObjectName("pledgeDue")
        self.pledge_due.setCalendarPopup(True)
        self.pledge_due.setDisplayFormat("yyyy-MM-dd")
        self.pledge_materials = label("", "pledgeMaterials", self, wrap=True)
        self.result = line_edit("resultText", self, placeholder=self.tr("e.g. registration done, card issued"))
        self.reason = line_edit("refuseReason", self, placeholder=self.tr("Why the application cannot be accepted"))
        self.error = error_label("outcomeError", self)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setVerticalSpacing(8)
        self.form.addRow(self.tr("Result delivery"), self.delivery)
        self.form.addRow(self.tr("Postal address"), self.address)
        self.form.addRow(self.tr("Urgency"), self.urgent)
        self.form.addRow(self.tr("Reason for the urgency"), self.urgent_reason)
        self.form.addRow(self.tr("Urgency of each case"), self.urgency_box)
        self.form.addRow(self.tr("Time limit confirmed by the department"), self.days_box)
        self.form.addRow(self.tr("Owed materials"), self.pledge_materials)
        self.form.addRow(self.tr("Owed by"), self.pledge_due)
        self.form.addRow(self.tr("Result given"), self.result)
        self.form.addRow(self.tr("Reason for refusal"), self.reason)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(12)
        root.addLayout(row)
        root.addWidget(self.hint)
        # The fields scroll under the five buttons: typing a bundle's time limits far down at 1366×768 and
        # 150 % scrolled the buttons out of view (the intake's own scroll area moved the whole step).
        below = QWidget(self)
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        fields = QWidget(below)
        fields.setMaximumWidth(780)
        fields.setLayout(self.form)
        below_layout.addWidget(fields)
        below_layout.addWidget(self.error)
        below_layout.addStretch(1)
        self.fields_area = scrolling(below, "outcomeFieldsScroll", self, follow_focus=True)
        # asks for no height of its own: the step takes what the page has left, the fields scroll within it
        self.fields_area.setSizePolicy(self.fields_area.sizePolicy().horizontalPolicy(), QSizePolicy.Policy.Ignored)
        root.addWidget(self.fields_area, 1)

        self.delivery.currentIndexChanged.connect(self._delivery_changed)
        self.address.returnPressed.connect(lambda: self._enter_accept())
        self.urgent_reason.returnPressed.connect(lambda: self._enter_accept())
        self.urgent.toggled.connect(self._urgency_changed)
        self.urgent_reason.textChanged.connect(self.changed)
        self.urgent_reason.textChanged.connect(self._filled)
        self.result.returnPressed.connect(lambda: self.submit.emit("on_spot"))
        self.reason.returnPressed.connect(lambda: self.submit.emit("refuse"))
        for w in (self.address, self.result, self.reason):
            w.textChanged.connect(self.changed)
        self.pledge_due.dateChanged.connect(self.changed)
        self._error_field: QLineEdit | None = None  # the field the error line asks for
        self._refusing = False  # 不予受理 was pressed: its reason field is shown
        for w in (self.address, self.result, self.reason):
            w.textChanged.connect(self._filled)
        self.set_fields(OutcomeFields())
        self._delivery_changed()

    # ---- context ---------------------------------------------------------------------------------

    def set_selection(self, selection: Selection | None) -> None:
        """Build one confirmed-days field per item whose time limit is 待确认."""
        self.unknown = selection.unknown_days if selection else ()
        self.catalog_urgent = selection is not None and any(i.urgent for i in selection.items)
        self.urgent.blockSignals(True)
        self.urgent.setChecked(self.catalog_urgent)
        self.urgent.blockSignals(False)
        self.urgent_reason.clear()
        self._build_bundle_urgency(selection.items if selection and len(selection.items) > 1 else ())
        while self.days_form.rowCount():
            self.days_form.removeRow(0)
        self.days_edits = []
        for n, item in enumerate(self.unknown):
            edit = line_edit("confirmedDays" if n == 0 else f"confirmedDays{n + 1}", self.days_box,
                             placeholder=self.tr("working days"))
            edit.setProperty("itemCode", item.code)
            edit.textChanged.connect(self.changed)
            edit.textChanged.connect(self._filled)
            edit.returnPressed.connect(lambda: self._enter_accept())
            edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("工作日数") * 3)  # a number of days
            if len(self.unknown) > 1:  # the item's name above its field, wrapped: a long name never widens the page
                self.days_form.addRow(label(item.name, "", self.days_box, wrap=True))
            self.days_form.addRow(edit)
            self.days_edits.append(edit)
        self.form.setRowVisible(self.days_box, bool(self.unknown))

    def _build_bundle_urgency(self, items: tuple[ItemRef, ...]) -> None:
        """A bundle: per case a 紧急 box (the catalog's urgency ticked or not) and a reason shown once changed."""
        while self.urgency_form.rowCount():
            self.urgency_form.removeRow(0)
        self.bundle_items, self.item_urgent, self.item_reasons = items, [], []
        for n, item in enumerate(items, 1):
            # the item's name wrapped on its own line, then its box: a long name in the box's text (which cannot
            # wrap) made the page scroll sideways at 1366×768 and 150 %
            self.urgency_form.addRow(label(item.name, f"outcomeUrgentItem{n}", self.urgency_box, wrap=True))
            box = QCheckBox(self.tr("Urgent: hand over to the back office within 5 minutes"), self.urgency_box)
            box.setAccessibleName(self.tr("{0}: urgent").format(item.name))  # which case, for a screen reader
            box.setObjectName(f"outcomeUrgent{n}")
            box.setChecked(item.urgent)
            reason = line_edit(f"urgentReason{n}", self.urgency_box, placeholder=self.tr(
                "Why this case's urgency differs from the catalog's"))
            reason.setMaxLength(200)
            box.toggled.connect(lambda _on, i=n - 1: self._item_urgency_changed(i))
            reason.textChanged.connect(self.changed)
            reason.textChanged.connect(self._filled)
            reason.returnPressed.connect(lambda: self._enter_accept())
            self.urgency_form.addRow(box)
            self.urgency_form.addRow(reason)
            self.urgency_form.setRowVisible(reason, False)
            self.item_urgent.append(box)
            self.item_reasons.append(reason)

    def _item_changed(self, i: int) -> bool:
        return self.item_urgent[i].isChecked() != self.bundle_items[i].urgent

    def _item_urgency_changed(self, i: int) -> None:
        self.urgency_form.setRowVisible(self.item_reasons[i], self._item_changed(i))
        if self._item_changed(i):
            self.item_reasons[i].setFocus()
        self.changed.emit()

    def set_pledge_window(self, default: date, latest: date) -> None:
        """The owed material's due date from the items (services/pledges.py): pre-filled, and only dates from
        tomorrow to ``latest`` can be picked (the service checks the same)."""
        tomorrow = date.today() + timedelta(days=1)
        self.pledge_due.setDateRange(QDate(tomorrow.year, tomorrow.month, tomorrow.day),
                                     QDate(latest.year, latest.month, latest.day))
        self.pledge_due.setDate(QDate(default.year, default.month, default.day))

    def set_rules(self, rules: Availability) -> None:
        self.rules = rules
        allowed = {"accept": rules.accept, "pledge": rules.pledge, "on_spot": rules.on_spot,
                   "notify": rules.notify, "refuse": True}
        for key, b in self.buttons.items():
            b.setEnabled(allowed[key])
            set_primary(b, key == rules.recommended)
        accepting = rules.accept or rules.pledge
        self.form.setRowVisible(self.delivery, accepting)
        self.form.setRowVisible(self.address, accepting and self.delivery.currentData() == "post")
        self.form.setRowVisible(self.days_box, accepting and bool(self.unknown))
        self.form.setRowVisible(self.urgent, accepting and not self.bundle_items)
        self.form.setRowVisible(self.urgency_box, accepting and bool(self.bundle_items))
        self._show_urgent_reason()
        self.form.setRowVisible(self.pledge_materials, rules.pledge)
        self.form.setRowVisible(self.pledge_due, rules.pledge)
        self.pledge_materials.setText("、".join(rules.owed))
        self.form.setRowVisible(self.result, rules.on_spot)
        self._show_reason()
        self.hint.setText(self._hint(rules))

    def _show_reason(self) -> None:
        self.form.setRowVisible(self.reason, self._refusing or bool(self.reason.text().strip()))

    def _hint(self, r: Availability) -> str:
        if r.blocking:
            return self.tr("Required materials missing or defective: %1. Give a one-time notice listing them, "
                           "or refuse.").replace("%1", "、".join(r.blocking))
        if r.owed:
            return self.tr("Only materials that may be owed are missing (%1): accept with the applicant's "
                           "pledge and the date they are owed.").replace("%1", "、".join(r.owed))
        if r.on_spot:
            return self.tr("Everything is in order and the item is handled on the spot: finish it now.")
        if r.accept:
            return self.tr("Materials complete: accept, print the receipt, then hand the case over.")
        return ""

    @property
    def urgency_changed(self) -> bool:
        """The single box (one item) differs from the catalog's urgency; a bundle has its boxes per case."""
        return not self.bundle_items and self.urgent.isChecked() != self.catalog_urgent

    def _urgency_changed(self) -> None:
        self._show_urgent_reason()
        if self.urgency_changed:
            self.urgent_reason.setFocus()
        self.changed.emit()

    def _show_urgent_reason(self) -> None:
        accepting = self.rules is not None and (self.rules.accept or self.rules.pledge)
        self.form.setRowVisible(self.urgent_reason, accepting and self.urgency_changed)

    def _delivery_changed(self) -> None:
        post = self.delivery.currentData() == "post"
        if self.rules is not None:
            self.form.setRowVisible(self.address, post and (self.rules.accept or self.rules.pledge))
        if post:
            self.address.setFocus()
        self.changed.emit()

    def _enter_accept(self) -> None:
        if self.rules is not None:
            self.submit.emit("pledge" if self.rules.pledge and not self.rules.accept else "accept")

    # ---- values ----------------------------------------------------------------------------------

    def fields(self) -> OutcomeFields:
        return OutcomeFields(
            delivery=str(self.delivery.currentData()),
            address=self.address.text().strip(),
            confirmed_days={str(e.property("itemCode")): _days(e.text()) for e in self.days_edits},
            pledge_due=picked_date(self.pledge_due).isoformat(),
            result=self.result.text().strip(),
            refuse_reason=self.reason.text().strip(),
            urgent=self.urgent.isChecked() if self.urgency_changed else None,
            urgent_reason=self.urgent_reason.text().strip() if self.urgency_changed else "",
            urgent_items={item.code: box.isChecked() for i, (item, box) in
                          enumerate(zip(self.bundle_items, self.item_urgent, strict=True)) if self._item_changed(i)},
            urgent_reasons={item.code: r.text().strip() for i, (item, r) in
                            enumerate(zip(self.bundle_items, self.item_reasons, strict=True)) if self._item_changed(i)},
        )

    def set_fields(self, f: OutcomeFields) -> None:
        self.delivery.setCurrentIndex(max(0, self.delivery.findData(f.delivery)))
        self.address.setText(f.address)
        for e in self.days_edits:
            e.setText(f.confirmed_days.get(str(e.property("itemCode")), ""))
        due = date.fromisoformat(f.pledge_due) if f.pledge_due else date.today() + timedelta(days=PLEDGE_DAYS)
        self.pledge_due.setDate(QDate(due.year, due.month, due.day))
        self.result.setText(f.result)
        self.reason.setText(f.refuse_reason)
        self.urgent.blockSignals(True)
        self.urgent.setChecked(self.catalog_urgent if f.urgent is None else f.urgent)
        self.urgent.blockSignals(False)
        self.urgent_reason.setText(f.urgent_reason)
        self._show_urgent_reason()
        for i, item in enumerate(self.bundle_items):
            self.item_urgent[i].blockSignals(True)
            self.item_urgent[i].setChecked(f.urgent_items.get(item.code, item.urgent))
            self.item_urgent[i].blockSignals(False)
            self.item_reasons[i].setText(f.urgent_reasons.get(item.code, ""))
            self.urgency_form.setRowVisible(self.item_reasons[i], self._item_changed(i))
        self._refusing = bool(f.refuse_reason.strip())
        self._show_reason()
        self.error.setVisible(False)

    def missing_field(self, outcome: str) -> QWidget | None:
        """Show what the outcome still needs (red, under the fields) and return the field to focus."""
        need: list[tuple[bool, str, QWidget]] = []
        if outcome in ("accept", "pledge"):
            need += [(not _days_ok(e.text()), self.tr("Enter the working days the department confirmed (0 to 365)"),
                      e) for e in self.days_edits]
            need.append((self.delivery.currentData() == "post" and not self.address.text().strip(),
                         self.tr("Enter the postal address"), self.address))
            need.append((self.urgency_changed and not self.urgent_reason.text().strip(),
                         self.tr("Enter why this case's urgency differs from the catalog's"), self.urgent_reason))
            need += [(self._item_changed(i) and not r.text().strip(),
                      self.tr("Enter why the urgency of {0} differs from the catalog's").format(item.name), r)
                     for i, (item, r) in enumerate(zip(self.bundle_items, self.item_reasons, strict=True))]
        if outcome == "on_spot":
            need.append((not self.result.text().strip(), self.tr("Enter the result given to the applicant"),
                         self.result))
        if outcome == "refuse":
            self._refusing = True
            self._show_reason()
            need.append((not self.reason.text().strip(), self.tr("Enter the reason for the refusal"), self.reason))
        for missing, text, widget in need:
            if missing:
                self.error.setText(text)
                self.error.setVisible(True)
                self._error_field = widget if isinstance(widget, QLineEdit) else None
                widget.setFocus()
                return widget
        self.error.setVisible(False)
        return None

    def _filled(self) -> None:
        """The error line goes once the field it asked for is filled in (days: a valid number)."""
        field = self._error_field
        if field is None or not self.error.isVisible():
            return
        ok = _days_ok(field.text()) if field in self.days_edits else bool(field.text().strip())
        if ok:
            self.error.setVisible(False)
            self._error_field = None

    def focus(self) -> None:
        if self.rules is None:
            return
        empty_days = [e for e in self.days_edits if not e.text().strip()]
        if empty_days and self.rules.recommended in ("accept", "pledge"):
            empty_days[0].setFocus()
            return
        self.buttons[self.rules.recommended].setFocus()
