"""Small constructors so every interactive widget gets its stable objectName in one line, and the helpers
that keep text from people, catalogs and the hub plain (docs/ui.md, "Text is never markup").

Qt reads a label's, a message box's or a tooltip's text as HTML when it looks like HTML, and then loads
what an ``<img src>`` names. So labels are made here, in plain text (:func:`plain_label`); a label that
really needs markup is a :func:`rich_label` whose HTML is built from :func:`html_text` values only;
tooltips go through :func:`plain_tooltip`, window titles through :func:`plain_title`, data on a
button or a menu entry through :func:`menu_text`, and data on a chart through :func:`chart_text`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateEdit,
    QDialog,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clerk_desk.ui import screen_fit

if TYPE_CHECKING:  # (an annotation only: the start resolves no Qt class it does not use)
    from PySide6.QtCore import QMimeData


def line_edit(
    name: str, parent: QWidget | None = None, *, text: str = "", placeholder: str = ""
) -> QLineEdit:
    """A one-line field; what a person types or pastes into it keeps no invisible characters (:func:`typed_text`)."""
    w = _Field(text, parent)
    w.setObjectName(name)
    if placeholder:
        w.setPlaceholderText(placeholder)
    return keep_visible(w)


def password_edit(name: str, parent: QWidget | None = None) -> QLineEdit:
    w = QLineEdit(parent)  # a password is kept as typed
    w.setObjectName(name)
    w.setEchoMode(QLineEdit.EchoMode.Password)
    return w


# What a paste (from a web page, a spreadsheet, a PDF, a chat) brings along that nobody sees: control characters
# (NUL, BEL, ESC …), the bidirectional marks, embeddings, overrides and isolates, a byte order mark. An override
# turned 「王\u202e五六七」 into 王七六五 on the screen and on the receipt, while the record kept another text. A
# soft hyphen, a zero-width space and the word joiner and invisible operators after it break or glue a long number
# on a web page: an ID pasted with them looked right and was refused. The joiners (U+200C, U+200D) stay: an emoji
# and some scripts need them.
_INVISIBLE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"


def typed_text(text: str, *, lines: bool = False) -> str:
    """``text`` without the characters nobody sees (:data:`_INVISIBLE`); a line break or a tab is a space in a
    one-line field and kept in a note (``lines``)."""
    if text.isprintable() and not lines:  # the usual case (a line break or a format character is not printable)
        return text
    import re

    breaks = ("\r\n?|[\u2028\u2029]", "\n") if lines else ("[\t\n\r\u2028\u2029]+", " ")
    return re.sub(_INVISIBLE, "", re.sub(*breaks, text))


def keep_visible(edit: QLineEdit) -> QLineEdit:
    """``edit`` drops the invisible characters a person types or pastes into it (:func:`typed_text`), as they
    come, so the field shows what will be kept (what the program sets with setText is left alone)."""
    edit.textEdited.connect(partial(_drop_invisible, edit))
    return edit


def _drop_invisible(edit: QLineEdit, text: str) -> None:
    clean = typed_text(text)
    if clean != text:
        at = len(typed_text(text[: edit.cursorPosition()]))
        edit.setText(clean)
        edit.setCursorPosition(at)
        # who reacts to typing (a search as typed) hears the text kept last: after this edit's own signals are done
        # (Qt announces the edit's textChanged after its textEdited, i.e. after this slot, with the text as pasted)
        QTimer.singleShot(0, edit, partial(_edited_again, edit))


def _edited_again(edit: QLineEdit) -> None:
    edit.textEdited.emit(edit.text())
    edit.textChanged.emit(edit.text())


class _Field(QLineEdit):
    """The line edit of :func:`line_edit`. Ctrl+V (Shift+Insert) of a text it would clean inserts the kept text as a
    step of its own, which Ctrl+Z takes back, as after any paste: cleaned after the fact (:func:`_drop_invisible`,
    still there for the context menu's 粘贴 and a drop) the text was replaced, and Qt forgot the field's undo."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        # (only once a key is pressed: not on the start's way)
        from PySide6.QtGui import QGuiApplication, QKeySequence

        if event.matches(QKeySequence.StandardKey.Paste) and not self.isReadOnly():
            pasted = QGuiApplication.clipboard().text()
            kept = typed_text(pasted)
            if kept != pasted:
                self._apart()  # as Qt's own paste: not one undo step with the typing before it
                self.insert(kept)
                self._apart()  # nor with the typing after it
                event.accept()
                return
        super().keyPressEvent(event)

    def _apart(self) -> None:
        """A cursor move ends the run of typing in the undo history (the cursor stays where it is)."""
        if self.hasSelectedText() or not self.text():
            return
        at = self.cursorPosition()
        self.setCursorPosition(at - 1 if at > 0 else at + 1)
        self.setCursorPosition(at)


class NotesEdit(QPlainTextEdit):
    """A plain-text box for notes and reasons; what is pasted into it keeps no invisible characters
    (:func:`typed_text`), its lines and tabs stay."""

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 (Qt API)
        if source.hasText():
            self.insertPlainText(typed_text(source.text(), lines=True))


def button(text: str, name: str, parent: QWidget | None = None, *, default: bool = False) -> QPushButton:
    b = QPushButton(text, parent)
    b.setObjectName(name)
    b.setAutoDefault(default)
    b.setDefault(default)
    return b


class _WholeCombo(QComboBox):
    """Never narrower than its longest entry: a crowded row scrolls instead of cutting the text."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self.sizeHint()


def combo(name: str, parent: QWidget | None = None) -> QComboBox:
    """A combo box as wide as its longest entry, also when its entries change (the papers of a case)."""
    c = _WholeCombo(parent)
    c.setObjectName(name)
    c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return c


def plain_label(text: str, name: str = "", parent: QWidget | None = None, *, wrap: bool = False) -> QLabel:
    """A label that shows its text as it is, whatever it contains; a wrapping one is a :class:`WrappingLabel`
    (a long run without spaces wraps too, instead of widening the page)."""
    if wrap:
        return WrappingLabel(text, name, parent)
    lbl = QLabel(parent)
    lbl.setTextFormat(Qt.TextFormat.PlainText)
    lbl.setText(text)
    if name:
        lbl.setObjectName(name)
    lbl.setWordWrap(wrap)
    return lbl


label = plain_label  # the name most of the UI uses

# A run a line cannot break in, longer than any number the desk shows (a case number is 28 characters).
_UNBROKEN = r"[^\s\u3000-\u9fff\uff00-\uffef]{31,}"
_ZWSP = "\u200b"


def breakable(text: str, every: int = 10) -> str:
    """``text`` for a wrapping label: a run of letters or digits longer than 30 (a name typed without spaces,
    a pasted code) gets an invisible break chance every ``every`` characters, so it wraps instead of
    widening the page past the window. Chinese breaks between any two characters already."""
    if len(text) <= 30:  # the usual case: nothing to look for
        return text
    import re  # (compiled patterns are cached by re)

    return re.sub(_UNBROKEN, lambda m: _ZWSP.join(m[0][i:i + every] for i in range(0, len(m[0]), every)), text)


class WrappingLabel(QLabel):
    """A plain, word-wrapped label for data: whatever it is given goes through :func:`breakable`, so a long
    run without spaces (a Latin name, a link in a result) wraps inside the window instead of widening it."""

    def __init__(self, text: str = "", name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        if name:
            self.setObjectName(name)
        self.full_text = ""
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt API)
        self.full_text = text
        super().setText(breakable(text))

    def text(self) -> str:
        """The text as given (what a copy of it should be), without the invisible break chances."""
        return self.full_text


class ElidedLabel(QLabel):
    """A one-line plain label that gives up width when room is short: it shows the text cut in the
    middle with "…" and the whole text as its tooltip, and takes its whole width back when room returns
    (the status bar at 1366×768 and 150 %, docs/ui.md). ``full_text`` is the text it stands for.

    ``caption`` (say 「用户：」, the part of a translated "User: {0}" before its value) is kept whole in front
    when the text starts with it: only the value is cut (「用户：张…红」, not 「用…红」). ``keep`` characters of the
    value stay at the least (a value that short stays whole)."""

    def __init__(self, text: str, name: str = "", parent: QWidget | None = None, *, caption: str = "",
                 keep: int = 2) -> None:  # fmt: skip
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        if name:
            self.setObjectName(name)
        self.caption = caption
        self.keep = max(2, keep)
        self.full_text = ""
        self.set_full_text(text)

    @classmethod
    def captioned(cls, template: str, value: str, name: str = "", parent: QWidget | None = None, *,
                  keep: int = 2) -> ElidedLabel:  # fmt: skip
        """``template`` (a translated text with ``{0}``) filled with ``value``; what precedes ``{0}`` stays whole."""
        return cls(template.format(value), name, parent, caption=template.partition("{0}")[0], keep=keep)

    def _head(self) -> str:
        return self.caption if self.caption and self.full_text.startswith(self.caption) else ""

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self.setProperty("elidedFrom", text)  # for the clipping check (tests/ui/clipping)
        self._fit()
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        hint = super().sizeHint()
        fm = self.fontMetrics()
        return QSize(fm.horizontalAdvance(self.full_text) + (hint.width() - fm.horizontalAdvance(self.text())),
                     hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        fm = self.fontMetrics()
        head = self._head()
        rest = self.full_text[len(head):]
        # cut in the middle, the least is the value's first and last ``keep`` characters around "…"
        front = (self.keep + 1) // 2
        if head and len(rest) <= self.keep:
            least = self.full_text
        elif head:
            least = head + rest[:front] + "…" + rest[len(rest) - (self.keep - front):]
        else:
            least = self.full_text[:4] + "…"
        margins = super().sizeHint().width() - fm.horizontalAdvance(self.text())  # padding, frame
        # (+1: Qt cuts to "…" alone when the room is only exactly as wide as the cut text)
        return QSize(fm.horizontalAdvance(least) + 1 + max(0, margins), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        room = self.contentsRect().width()
        shown = self.full_text
        fm = self.fontMetrics()
        if room > 0 and fm.horizontalAdvance(shown) > room:
            head = self._head()
            rest = fm.elidedText(shown[len(head):], Qt.TextElideMode.ElideMiddle, room - fm.horizontalAdvance(head))
            shown = head + (rest or "…")
        super().setText(shown)
        self.setToolTip(plain_tooltip(self.full_text if shown != self.full_text else ""))


def rich_label(html: str, name: str = "", parent: QWidget | None = None, *, wrap: bool = False) -> QLabel:
    """A label that shows HTML: every piece of data in it must come through :func:`html_text`."""
    lbl = QLabel(parent)  # not a WrappingLabel: a break chance must never land inside a tag
    if name:
        lbl.setObjectName(name)
    lbl.setWordWrap(wrap)
    lbl.setTextFormat(Qt.TextFormat.RichText)
    lbl.setText(html)
    return lbl


def html_text(text: str) -> str:
    """Data for a rich label: escaped, line breaks kept."""
    from html import escape  # not at the module's import: html loads its entity tables (~1.5 ms of the start)

    return escape(text, quote=False).replace("\n", "<br>")


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as it is. Qt shows a tooltip as HTML when it looks like HTML, and
    there is no switch to turn that off: such text is escaped (and kept on its lines)."""
    if not GuiQt.mightBeRichText(text):
        return text
    from html import escape

    return f"<p style='white-space:pre-wrap'>{escape(text, quote=False)}</p>"


def chart_text(text: str) -> str:
    """Data on a chart (a bar axis's categories, a series' name, a title). QtCharts always reads these as HTML,
    whatever they look like (a window named ``<img src=…>`` made the figures tab load that file), so the text
    is escaped: "<", "&" and the rest show as typed."""
    from html import escape

    return escape(text, quote=False)


def plain_title(text: str) -> str:
    """A window title that shows ``text`` as it is: Qt drops "[*]" (the unsaved-changes mark)."""
    return text.replace("[*]", "[*][*]")


def menu_text(text: str) -> str:
    """Data on a button, a tab or a menu entry: "&" would underline the next letter instead of showing."""
    return text.replace("&", "&&")


def error_label(name: str, parent: QWidget | None = None) -> QLabel:
    """An inline error line (styled by objectName suffix 'Error' in style.qss), hidden until used."""
    lbl = label("", name, parent, wrap=True)
    lbl.setProperty("role", "error")
    lbl.setVisible(False)
    return lbl


def hide_when_filled(error: QLabel, *edits: QLineEdit) -> None:
    """A field's error line goes away as soon as its field (every one of ``edits``) is filled in."""

    def check() -> None:
        if error.isVisible() and all(e.text().strip() for e in edits):
            error.setVisible(False)

    for e in edits:
        e.textChanged.connect(check)


def hide_when_edited(error: QLabel, root: QWidget) -> None:
    """A dialog's refusal line (it answered what was sent) goes away once anything in ``root`` changes:
    the clerk is correcting it. What was typed always stays."""

    def hide(*_args: object) -> None:
        error.setVisible(False)

    when_edited(root, hide)


def when_edited(root: QWidget, fn: Callable[..., None]) -> None:
    """Call ``fn`` whenever the person changes a field in ``root``: types, picks, ticks, sets a date."""
    from PySide6.QtWidgets import QListWidget  # (not on the start's way: its class is made when first named)

    for w in root.findChildren(QWidget):
        if isinstance(w, QLineEdit):
            w.textEdited.connect(fn)
        elif isinstance(w, QPlainTextEdit):
            w.textChanged.connect(fn)
        elif isinstance(w, QComboBox):
            w.activated.connect(fn)
        elif isinstance(w, QDateEdit):
            w.userDateChanged.connect(fn)
        elif isinstance(w, QAbstractButton) and w.isCheckable():
            w.clicked.connect(fn)
        elif isinstance(w, QListWidget):  # (ticked entries: the materials a 补正 asks for)
            w.itemChanged.connect(fn)


class _Body(QScrollArea):
    """Asks for all of its fields' room (a plain QScrollArea stops at 24 lines), down to three lines."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        inner = self.widget()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.sizeHint().width() + bar, inner.sizeHint().height()) if inner else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        inner = self.widget()
        bar = self.verticalScrollBar().sizeHint().width()
        lines = 3 * self.fontMetrics().height()
        return QSize(inner.minimumSizeHint().width() + bar, lines) if inner else super().minimumSizeHint()


def scroll_body(parent: QWidget, name: str) -> tuple[QScrollArea, QVBoxLayout]:
    """A frameless scroll area for a dialog's fields and the layout to put them in: on a screen too small
    for them (1366×768 at 150 %) they scroll and the dialog's buttons stay in sight."""
    area = _Body(parent)
    area.setObjectName(name)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop that shows nothing; its fields are the stops
    body = QWidget(area)
    area.setWidget(body)
    layout = QVBoxLayout(body)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(12)
    return area, layout


def dialog_layout(parent: QWidget) -> QVBoxLayout:
    """The outer layout of a dialog or page: generous margins and spacing for a calm look. A dialog
    also opens inside the screen, tall enough for its wrapped text (ui/screen_fit.py)."""
    if isinstance(parent, QDialog):
        screen_fit.watch(parent)
    layout = QVBoxLayout(parent)
    layout.setContentsMargins(24, 20, 24, 20)
    layout.setSpacing(12)
    return layout


class _EnterClicks(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and isinstance(watched, QAbstractButton)
            and watched.isEnabled()
        ):
            watched.click()
            return True
        return super().eventFilter(watched, event)


def enter_clicks(owner: QObject, *buttons: QAbstractButton) -> None:
    """Enter on a focused button presses it (without making every button a blue 'default' one)."""
    f = _EnterClicks(owner)
    for b in buttons:
        b.installEventFilter(f)
        b.setProperty("enterClicks", True)  # the clipping walk checks every dialog's buttons for it


def enter_presses_focused(dialog: QDialog) -> None:
    """Enter on any focused button of ``dialog`` presses that button: a button made by :func:`button` takes no
    Enter of its own, so the dialog pressed its default act instead (Tab to 取消 or 不满意, Enter: the act
    was done, or 满意 recorded). Call it once the dialog's buttons are made."""
    enter_clicks(dialog, *(b for b in dialog.findChildren(QPushButton) if not (b.isDefault() or b.autoDefault())))


class _ListClosing(QObject):
    """Marks the moment a combo box's list closes; a choice made in it is announced within that moment."""

    closing = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Hide:
            self.closing = True
            QTimer.singleShot(0, self._over)
        return super().eventFilter(watched, event)

    def _over(self) -> None:
        self.closing = False


def chosen_in_list(box: QComboBox) -> Callable[[], bool]:
    """Ask it from a slot of ``box``'s change: whether the change was chosen in the box's open list (a click
    or Enter there), not stepped to with ↑ ↓ on the closed box. A choice made in the list may take the focus
    on to the field it opens; a step by keys must not, as the next ↑ ↓ is meant for the box (docs/ui.md)."""
    marker = _ListClosing(box)
    box.view().installEventFilter(marker)
    return lambda: marker.closing
