"""Step 2: who applies. A person or an organisation, an optional agent (帮办代办), and the channel.

Identifiers are checked as typed and the message stands in red under the field. Enter goes to the
next field; Enter on the last one moves on to the checklist (only when everything checks out).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clerk_desk.domain.identifiers import (
    Gender,
    ResidentId,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)
from clerk_desk.services.intake_forms import PARTY_ADDRESS_MAX, PARTY_NAME_MAX, PARTY_RELATION_MAX, Party
from clerk_desk.ui.intake.fields import (
    DIGITS,
    RESIDENT_ID_CHARS,
    USCC_CHARS,
    CheckedField,
    next_in_chain,
    visible_chain,
)
from clerk_desk.ui.widgets import error_label, hide_when_filled, label, line_edit

CHANNEL_KEYS = ("on_site", "hubei_portal", "ehb")


def _radio(text: str, name: str, parent: QWidget) -> QRadioButton:
    r = QRadioButton(text, parent)
    r.setObjectName(name)
    return r


def _hide_when_within(error: QLabel, limit: int, text: str) -> None:
    if error.isVisible() and len(text.strip()) <= limit:
        error.setVisible(False)


def _hide_when_right(error: QLabel, *fields: tuple[QLineEdit, int]) -> None:
    """``error`` goes once every field is filled in and within its length (the first key no longer takes the line
    away from a text still too long)."""

    def check() -> None:
        if error.isVisible() and all(0 < len(e.text().strip()) <= limit for e, limit in fields):
            error.setVisible(False)

    for e, _limit in fields:
        e.textChanged.connect(check)


def _validate_party_id(kind_is_org: bool, text: str) -> object:
    return validate_uscc(text) if kind_is_org else validate_resident_id(text)


class ApplicantStep(QWidget):
    finished = Signal()  # Enter on the last field with everything in order
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind_box = QWidget(self)
        self.kind_box.setObjectName("applicantKind")
        self.person = _radio(self.tr("Person"), "applicantKindPerson", self.kind_box)
        self.org = _radio(self.tr("Organisation"), "applicantKindOrganisation", self.kind_box)
        self.person.setChecked(True)
        kind_row = QHBoxLayout(self.kind_box)
        kind_row.setContentsMargins(0, 0, 0, 0)
        kind_row.addWidget(self.person)
        kind_row.addWidget(self.org)
        kind_row.addStretch(1)

        self.name = line_edit("applicantName", self)
        self.id_number = line_edit("applicantId", self)
        self.id_error = error_label("applicantIdError", self)
        self.id_info = label("", "applicantIdInfo", self)
        self.id_info.setVisible(False)
        self.legal_rep = line_edit("applicantLegalRep", self)
        self.legal_rep_error = error_label("applicantLegalRepError", self)
        self.phone = line_edit("applicantPhone", self)
        self.phone_error = error_label("applicantPhoneError", self)
        self.address = line_edit("applicantAddress", self)
        self.address_error = error_label("applicantAddressError", self)
        self.name_error = error_label("applicantNameError", self)
        self.id_check = CheckedField(self.id_number, self.id_error, self._check_id, full_length=18,
                                     allowed=RESIDENT_ID_CHARS, info=self.id_info, describe=self._describe_id)
        self.phone_check = CheckedField(self.phone, self.phone_error, validate_mobile, full_length=11,
                                        allowed=DIGITS)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setVerticalSpacing(8)
        self.form.addRow(self.tr("Applicant"), self.kind_box)
        self.name_label, self.id_label = label("", "", self), label("", "", self)
        self.form.addRow(self.name_label, self._stack(self.name, self.name_error))
        self.form.addRow(self.id_label, self._stack(self.id_number, self.id_error, self.id_info))
        self.legal_rep_row = self._stack(self.legal_rep, self.legal_rep_error)
        self.form.addRow(self.tr("Legal representative"), self.legal_rep_row)
        self.form.addRow(self.tr("Mobile phone"), self._stack(self.phone, self.phone_error))
        self.form.addRow(self.tr("Address"), self._stack(self.address, self.address_error))

        self.agent_toggle = QCheckBox(self.tr("Submitted by an agent (assisted application)"), self)
        self.agent_toggle.setObjectName("agentToggle")
        self.agent_box = QGroupBox(self.tr("Agent"), self)
        self.agent_box.setObjectName("agentBox")
        self.agent_name = line_edit("agentName", self.agent_box)
        self.agent_id = line_edit("agentId", self.agent_box)
        self.agent_id_error = error_label("agentIdError", self.agent_box)
        self.agent_relation = line_edit("agentRelation", self.agent_box,
                                        placeholder=self.tr("e.g. son, neighbour, village official"))
        self.agent_phone = line_edit("agentPhone", self.agent_box)
        self.agent_phone_error = error_label("agentPhoneError", self.agent_box)
        self.agent_error = error_label("agentError", self.agent_box)
        self.agent_id_check = CheckedField(self.agent_id, self.agent_id_error, validate_resident_id,
                                           full_length=18, allowed=RESIDENT_ID_CHARS)
        self.agent_phone_check = CheckedField(self.agent_phone, self.agent_phone_error, validate_mobile,
                                              full_length=11, allowed=DIGITS)
        agent_form = QFormLayout(self.agent_box)
        agent_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        agent_form.addRow(self.tr("Name"), self.agent_name)
        agent_form.addRow(self.tr("Resident ID"), self._stack(self.agent_id, self.agent_id_error))
        agent_form.addRow(self.tr("Relation to the applicant"), self.agent_relation)
        agent_form.addRow(self.tr("Mobile phone"), self._stack(self.agent_phone, self.agent_phone_error))
        agent_form.addRow("", self.agent_error)
        self.agent_box.setVisible(False)

        self.channel_box = QWidget(self)
        self.channel_box.setObjectName("channel")
        self.channels = QButtonGroup(self)
        row = QHBoxLayout(self.channel_box)
        row.setContentsMargins(0, 0, 0, 0)
        texts = (self.tr("At the window"), self.tr("Hubei Government Service Network"), self.tr("E-Hubei app"))
        for i, (text, name) in enumerate(zip(texts, ("channelOnSite", "channelPortal", "channelEhb"), strict=True)):
            r = _radio(text, name, self.channel_box)
            self.channels.addButton(r, i)
            row.addWidget(r)
        row.addStretch(1)
        self.channels.button(0).setChecked(True)
        self.app_no = line_edit("channelAppNo", self, placeholder=self.tr("Online application number"))
        self.app_no_error = error_label("channelAppNoError", self)
        self.channel_form = QFormLayout()
        self.channel_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.channel_form.addRow(self.tr("Channel"), self.channel_box)
        self.channel_form.addRow(self.tr("Application no."), self._stack(self.app_no, self.app_no_error))

        body = QWidget(self)
        body.setMaximumWidth(780)  # short fields read calmer than lines across the whole screen
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(body, 1)
        outer.addStretch(0)
        root = QVBoxLayout(body)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(10)
        root.addLayout(self.form)
        root.addWidget(self.agent_toggle)
        root.addWidget(self.agent_box)
        root.addLayout(self.channel_form)
        root.addStretch(1)

        self.chain: list[QLineEdit] = [self.name, self.id_number, self.legal_rep, self.phone, self.address,
                                       self.agent_name, self.agent_id, self.agent_relation, self.agent_phone,
                                       self.app_no]
        for edit in self.chain:
            edit.returnPressed.connect(lambda e=edit: self._enter(e))
            edit.textChanged.connect(self.changed)
        self.person.toggled.connect(self._kind_changed)
        self.agent_toggle.toggled.connect(self._agent_toggled)
        self.channels.idToggled.connect(lambda _i, _on: self._channel_changed())
        # A field's error goes once the field is filled in (the ID and phone lines follow what is typed).
        # A name's (or the agent's) line also says when it is too long: it goes once the text is short enough too.
        _hide_when_right(self.name_error, (self.name, PARTY_NAME_MAX))
        _hide_when_right(self.agent_error, (self.agent_name, PARTY_NAME_MAX), (self.agent_relation, PARTY_RELATION_MAX))
        hide_when_filled(self.app_no_error, self.app_no)
        # A text over its length (a paste gone wrong) is named under its field at this step (validate), not as
        # the outcome's refusal two steps later; the line goes once the text is short enough.
        for edit, limit, error in ((self.legal_rep, PARTY_NAME_MAX, self.legal_rep_error),
                                   (self.address, PARTY_ADDRESS_MAX, self.address_error)):
            edit.textChanged.connect(partial(_hide_when_within, error, limit))
        self._kind_changed()
        self._channel_changed()
        # Tab in the order the form reads, top to bottom: the fields are moved into their boxes after being
        # made, which left Tab going from the phone to 上一步 and reaching the address and the agent last.
        order: list[QWidget] = [self.person, self.org, self.name, self.id_number, self.legal_rep, self.phone,
                                self.address, self.agent_toggle, self.agent_name, self.agent_id, self.agent_relation,
                                self.agent_phone, *self.channels.buttons(), self.app_no]
        for before, after in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(before, after)

    @staticmethod
    def _stack(*widgets: QWidget) -> QWidget:
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(2)
        for w in widgets:
            col.addWidget(w)
        return box

    def _describe_id(self, value: object) -> str:
        """What a valid resident ID says, to compare with the card in hand."""
        if not isinstance(value, ResidentId):
            return ""
        sex = self.tr("female") if value.gender == Gender.FEMALE else self.tr("male")
        return self.tr("Born {0}, {1}").format(value.birth_date.isoformat(), sex)

    def _check_id(self, text: str) -> object:
        return _validate_party_id(self.org.isChecked(), text)

    def _kind_changed(self) -> None:
        org = self.org.isChecked()
        self.name_label.setText(self.tr("Organisation name") if org else self.tr("Name"))
        self.id_label.setText(self.tr("Unified social credit code") if org else self.tr("Resident ID"))
        self.form.setRowVisible(self.legal_rep_row, org)
        self.id_check.allowed = USCC_CHARS if org else RESIDENT_ID_CHARS
        if self.id_number.text().strip():
            self.id_check.check(required=False, empty_message="")
        self.changed.emit()

    def _agent_toggled(self, on: bool) -> None:
        self.agent_box.setVisible(on)
        if on:
            self.agent_name.setFocus()
        self.changed.emit()

    def _channel_changed(self) -> None:
        online = self.channels.checkedId() > 0
        self.channel_form.setRowVisible(1, online)
        if online:
            self.app_no.setFocus()
        self.changed.emit()

    def _enter(self, edit: QLineEdit) -> None:
        following = next_in_chain(self, self.chain, edit)
        if following is not None:
            following.setFocus()
        elif self.validate():
            self.finished.emit()

    # ---- values ----------------------------------------------------------------------------------

    def channel(self) -> str:
        return CHANNEL_KEYS[max(0, self.channels.checkedId())]

    def applicant(self) -> Party:
        org = self.org.isChecked()
        return Party("organisation" if org else "person", self.name.text().strip(), self.id_number.text().strip(),
                     self.phone.text().strip(), self.address.text().strip(),
                     self.legal_rep.text().strip() if org else "")

    def agent(self) -> Party | None:
        if not self.agent_toggle.isChecked():
            return None
        return Party("person", self.agent_name.text().strip(), self.agent_id.text().strip(),
                     self.agent_phone.text().strip(), relation=self.agent_relation.text().strip())

    def set_values(self, applicant: Party, agent: Party | None, channel: str, app_no: str) -> None:
        (self.org if applicant.kind == "organisation" else self.person).setChecked(True)
        for edit, value in ((self.name, applicant.name), (self.id_number, applicant.id_number),
                            (self.phone, applicant.phone), (self.address, applicant.address),
                            (self.legal_rep, applicant.legal_representative)):
            edit.setText(value)
        self.agent_toggle.setChecked(agent is not None)
        a = agent or Party("person", "")
        for edit, value in ((self.agent_name, a.name), (self.agent_id, a.id_number),
                            (self.agent_relation, a.relation), (self.agent_phone, a.phone)):
            edit.setText(value)
        self.channels.button(CHANNEL_KEYS.index(channel) if channel in CHANNEL_KEYS else 0).setChecked(True)
        self.app_no.setText(app_no)

    def clear(self) -> None:
        self.set_values(Party("person", ""), None, "on_site", "")
        for check in (self.id_check, self.phone_check, self.agent_id_check, self.agent_phone_check):
            check.clear()
        for err in (self.name_error, self.agent_error, self.app_no_error, self.legal_rep_error, self.address_error):
            err.setVisible(False)

    def validate(self) -> bool:
        """Show every problem at once; focus the first field that has one."""
        org = self.org.isChecked()
        bad: list[QWidget] = []

        def need(ok: bool, widget: QWidget) -> None:
            if not ok:
                bad.append(widget)

        name = self.name.text().strip()
        too_long = len(name) > PARTY_NAME_MAX  # a paste gone wrong: the service refuses it too
        self._flag(self.name_error, "" if name and not too_long else (
            self.tr("Name too long (at most {0} characters)").format(PARTY_NAME_MAX) if too_long else
            self.tr("Please enter the organisation's name") if org else self.tr("Please enter the applicant's name")))
        need(bool(name) and not too_long, self.name)
        need(self.id_check.check(required=True, empty_message=self.tr("Please enter the unified social credit code")
                                 if org else self.tr("Please enter the resident ID number")), self.id_number)
        legal_rep_long = org and len(self.legal_rep.text().strip()) > PARTY_NAME_MAX
        self._flag(self.legal_rep_error, self.tr("Name too long (at most {0} characters)").format(PARTY_NAME_MAX)
                   if legal_rep_long else "")
        need(not legal_rep_long, self.legal_rep)
        need(self.phone_check.check(required=False, empty_message=""), self.phone)
        address_long = len(self.address.text().strip()) > PARTY_ADDRESS_MAX
        self._flag(self.address_error, self.tr("Address too long (at most {0} characters)").format(PARTY_ADDRESS_MAX)
                   if address_long else "")
        need(not address_long, self.address)
        if self.agent_toggle.isChecked():
            missing = not self.agent_name.text().strip() or not self.agent_relation.text().strip()
            name_long = len(self.agent_name.text().strip()) > PARTY_NAME_MAX
            relation_long = len(self.agent_relation.text().strip()) > PARTY_RELATION_MAX
            self._flag(self.agent_error, self.tr("Please enter the agent's name and relation to the applicant")
                       if missing else
                       self.tr("Agent's name too long (at most {0} characters)").format(PARTY_NAME_MAX) if name_long else
                       self.tr("Relation to the applicant too long (at most {0} characters)").format(PARTY_RELATION_MAX)
                       if relation_long else "")
            need(not missing and not name_long and not relation_long,
                 self.agent_name if not self.agent_name.text().strip() or name_long else self.agent_relation)
            need(self.agent_id_check.check(required=False, empty_message=""), self.agent_id)
            need(self.agent_phone_check.check(required=False, empty_message=""), self.agent_phone)
        online = self.channels.checkedId() > 0
        self._flag(self.app_no_error, self.tr("Please enter the online application number")
                   if online and not self.app_no.text().strip() else "")
        need(not online or bool(self.app_no.text().strip()), self.app_no)
        order = visible_chain(self, self.chain)
        bad.sort(key=lambda w: order.index(w) if w in order else len(order))
        if bad:
            bad[0].setFocus()
        return not bad

    @staticmethod
    def _flag(error: QLabel, text: str) -> None:
        error.setText(text)
        error.setVisible(bool(text))

    def focus(self) -> None:
        self.name.setFocus()
