"""The helpers of ui/widgets.py show any text as it is, read the way Qt draws it (inspect.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from clerk_desk.ui.widgets import (
    chart_text,
    html_text,
    menu_text,
    plain_label,
    plain_title,
    plain_tooltip,
    rich_label,
)
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
    assert " ".join(as_html(chart_text(text)).split()) == " ".join(text.split())  # a chart reads it as HTML


def test_a_wrapping_label_wraps_a_long_run_without_spaces_and_gives_it_back_whole(qapp: QApplication) -> None:
    """A name in Latin letters or a link has no space to wrap at: a wrapping label still wraps it (so a page
    is not pushed wider than the window) and its text is the text as set; rich text is left as built."""
    run = "MUHAMMADALIABDULRAHMANBINKHALIDALNAHYAN" * 2
    lbl = plain_label(f"申请人：{run}", wrap=True)
    assert lbl.text() == f"申请人：{run}"
    assert lbl.minimumSizeHint().width() < lbl.fontMetrics().horizontalAdvance(run) // 3
    short = plain_label("421224100-01-20261207-000001", wrap=True)  # a case number is never broken
    assert "\u200b" not in QLabel.text(short)
    rich = rich_label(f"<b>{html_text(run)}</b>", wrap=True)
    assert rich.text() == f"<b>{run}</b>"
