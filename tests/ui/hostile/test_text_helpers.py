"""The helpers of ui/widgets.py show any text as it is, read the way Qt draws it (inspect.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from clerk_desk.ui.widgets import html_text, menu_text, plain_label, plain_title, plain_tooltip, rich_label
from tests.ui.hostile.inspect import as_html, auto, mnemonic, window_title

SAMPLES = [
    "王五",
    '<img src="file:///dev/zero">王五',
    "<b>粗</b>",
    '<a href="x">链接</a>',
    "&lt;",
    "A&B &amp; &&",
    "<table><tr><td>表</td></tr></table>",
    "窗口[*]一 [*][*]",
    "<!DOCTYPE html><p>段</p>",
    "第一行\n<b>第二行</b>",
    "<b>第一行</b>\n第二行  两个空格",
    "   <i>前后空格</i>   ",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_each_helper_shows_the_text_as_it_is(qapp: QApplication, text: str) -> None:
    lbl = plain_label(text)
    assert lbl.textFormat() == Qt.TextFormat.PlainText and auto(lbl.text(), lbl.textFormat())[0] == text
    assert auto(plain_tooltip(text))[0] == text
    rich = rich_label(f"<b>{html_text(text)}</b>")  # markup of our own around the data
    assert rich.textFormat() == Qt.TextFormat.RichText
    assert " ".join(as_html(rich.text()).split()) == " ".join(text.split())  # HTML folds runs of spaces
    assert window_title(plain_title(text)) == text
    assert mnemonic(menu_text(text)) == text
