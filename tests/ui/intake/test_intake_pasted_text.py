"""What a paste brings along that nobody sees (control characters, bidirectional overrides, a byte order mark)
is not kept: the field shows what is stored, and the papers print it.

A name pasted from a web page or a chat as 「王\u202e五六七」 showed and printed as 王七六五 while the record
kept another text; a NUL, a BEL or an ESC went into the record, the hub's event and the papers.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from clerk_desk.services.case_read import read_case
from clerk_desk.ui import notify
from clerk_desk.ui.widgets import NotesEdit, line_edit, typed_text
from tests.ui.intake.conftest import APPLICANT_ID
from tests.ui.intake.driver import Clerk, Flow

CTRL = Qt.KeyboardModifier.ControlModifier
PASTED = "王\u202e五六七\x00\x07\x1b\ufeff"  # an override, NUL, BEL, ESC, a byte order mark


def paste(widget: QLineEdit | NotesEdit, text: str) -> None:
    QGuiApplication.clipboard().setText(text)
    widget.setFocus()
    widget.paste()
    QApplication.processEvents()


def test_a_field_keeps_what_is_seen_of_a_paste(qtbot: QtBot) -> None:
    edit = line_edit("x")
    qtbot.addWidget(edit)
    edited: list[str] = []
    edit.textEdited.connect(edited.append)  # a search as typed: it hears the kept text last
    paste(edit, PASTED)
    assert edit.text() == "王五六七" and edit.cursorPosition() == 4 and edited[-1] == "王五六七"
    edit.setCursorPosition(1)
    paste(edit, "\u202d李\t\r\n")  # a line break or a tab in a one-line field is a space
    assert edit.text() == "王李 五六七" and edit.cursorPosition() == 3
    qtbot.keyClicks(edit, "ab")
    assert edit.text() == "王李 ab五六七"
    edit.setText("库里的\u202e原样")  # what the program shows is left alone
    assert edit.text() == "库里的\u202e原样"
    notes = NotesEdit()
    qtbot.addWidget(notes)
    mime = QMimeData()
    mime.setText("第一行\r\n第二\u202e行\t甲\x00\u2028第三行")
    notes.insertFromMimeData(mime)
    assert notes.toPlainText() == "第一行\n第二行\t甲\n第三行"
    assert typed_text("😀 ‍👩‍👧 ئۇيغۇر") == "😀 ‍👩‍👧 ئۇيغۇر"  # joiners and scripts that need them stay


def test_a_pasted_name_is_stored_and_printed_as_it_is_seen(
    clerk: Clerk, printed, notes: notify.RecordingNotifier  # type: ignore[no-untyped-def]
) -> None:
    Flow(clerk).pick("ncdb")
    paste(clerk.w("applicantName"), PASTED)  # type: ignore[arg-type]
    assert clerk.text("applicantName") == "王五六七"
    clerk.key(Qt.Key.Key_Return)
    clerk.type("applicantId", APPLICANT_ID)
    clerk.key(Qt.Key.Key_Return, CTRL)
    Flow(clerk).all_provided_and_on()
    clerk.key(Qt.Key.Key_Return)  # 受理
    assert clerk.page.result is not None and clerk.launch.db is not None
    applicant = read_case(clerk.launch.db, clerk.page.result.cases[0].case_uuid).parties.applicant
    assert applicant is not None and applicant.name == "王五六七"
    clerk.key(Qt.Key.Key_P)
    receipt = printed[-1].text
    assert "王五六七" in receipt and "王七六五" not in receipt
    assert notes.texts("error") == []


def test_a_pasted_id_with_a_zero_width_space_is_taken_as_it_is_seen(
    clerk: Clerk, notes: notify.RecordingNotifier  # type: ignore[no-untyped-def]
) -> None:
    """A web page or a chat breaks a long number with zero-width spaces (U+200B) or word joiners (U+2060): the
    field showed the ID as on the card and refused it (只能包含数字), a name kept them and its search missed it."""
    assert typed_text("阿依古丽·买买提") == "阿依古丽·买买提"  # a minority name's middle dot stays
    Flow(clerk).pick("ncdb")
    paste(clerk.w("applicantName"), "阿依古丽\u200b·买买提\u2060")  # type: ignore[arg-type]
    assert clerk.text("applicantName") == "阿依古丽·买买提"
    clerk.key(Qt.Key.Key_Return)
    paste(clerk.w("applicantId"), "110105\u200b19491231\u200b002X")  # type: ignore[arg-type]
    assert clerk.text("applicantId") == APPLICANT_ID
    assert not clerk.w("applicantIdError").isVisible()
    clerk.key(Qt.Key.Key_Return, CTRL)
    Flow(clerk).all_provided_and_on()
    clerk.key(Qt.Key.Key_Return)  # 受理
    assert clerk.page.result is not None and clerk.launch.db is not None
    applicant = read_case(clerk.launch.db, clerk.page.result.cases[0].case_uuid).parties.applicant
    assert applicant is not None and applicant.name == "阿依古丽·买买提" and applicant.id_number == APPLICANT_ID
    assert notes.texts("error") == []


def test_an_item_name_pasted_with_its_line_break_is_taken_with_enter(
    clerk: Clerk, notes: notify.RecordingNotifier  # type: ignore[no-untyped-def]
) -> None:
    """A line copied whole (an item's name from a list, with its line break) is a space in the search box. The
    search ran last on the text as pasted, so the results answered a text the box no longer held, and Enter
    waited for results that never came: the item could not be taken."""
    paste(clerk.w("intakeSearch"), "农村低保初审及转报\r\n")  # type: ignore[arg-type]
    assert clerk.text("intakeSearch") == "农村低保初审及转报 "
    clerk.key(Qt.Key.Key_Return)
    assert clerk.focused() == "applicantName"
    assert notes.texts("error") == []


def test_ctrl_z_takes_back_a_cleaned_paste(qtbot: QtBot) -> None:
    """Ctrl+V of a text the field cleans (a line copied whole, with its line break) is one step Ctrl+Z takes back,
    as any paste is; the field's text was replaced after the paste, and Qt forgot everything it could undo."""
    edit = line_edit("x")
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    qtbot.keyClicks(edit, "ab")
    QGuiApplication.clipboard().setText("通山县\u202e通羊镇\r\n")
    qtbot.keyClick(edit, Qt.Key.Key_V, CTRL)
    assert edit.text() == "ab通山县通羊镇 " and edit.cursorPosition() == 9
    qtbot.keyClick(edit, Qt.Key.Key_Z, CTRL)
    assert edit.text() == "ab"
    qtbot.keyClick(edit, Qt.Key.Key_Z, CTRL)
    assert edit.text() == ""
    edit.setText("甲乙")
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_V, CTRL)  # over a selection: it takes the selection's place
    assert edit.text() == "通山县通羊镇 "
    qtbot.keyClick(edit, Qt.Key.Key_Z, CTRL)
    assert edit.text() == "甲乙"
