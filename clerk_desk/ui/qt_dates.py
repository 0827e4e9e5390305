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
