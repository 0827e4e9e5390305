"""Dates between Python and Qt's date fields, typed: PySide6 converts both ways, but its stubs declare
``QDate.toPython()`` as returning ``object`` and have no ``QDate(date)`` constructor."""

from __future__ import annotations

from datetime import date
from typing import cast

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def picked_date(edit: QDateEdit) -> date:
    """The date a date field shows."""
    return cast(date, edit.date().toPython())


def follow_today(edit: QDateEdit, shown_for: date, today: date) -> date:
    """A day field that stops at today (归档, 每日归档), kept by a page that lives across midnight (a desk left
    signed in overnight, locked): the field lets the new day be chosen, and moves to it if it showed the day
    the page was last shown on (a day the clerk chose stays). Returns the day the field now counts as today."""
    if today == shown_for:
        return today
    on_today = picked_date(edit) == shown_for
    edit.setMaximumDate(qdate(today))
    if on_today:
        edit.setDate(qdate(today))
    return today
