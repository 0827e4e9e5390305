"""The hall-service pages and dialogs in the clipping walk (walk.py): Consultations (log and 帮办代办),
Ratings, On the window (each tab), and their dialogs, on the desk's realistic long texts (hall_kit.py)."""

from __future__ import annotations

from typing import Any


def hall_surfaces(walk: Any, window: Any, page: Any) -> None:
    consult = page(walk, window, "consultation", "consultations: the day's log")
    consult.tabs.setCurrentIndex(1)
    walk.surface("consultations: 帮办代办", window)
    consult.open_new_assist()
    walk.dialog("帮办代办 new request dialog", consult.dialog)
    consult.dialog.reject()
    consult.open_step()
    walk.dialog("帮办代办 step dialog", consult.dialog)
    consult.dialog.reject()
    ratings = page(walk, window, "evaluation", "ratings")
    ratings.rate_selected()
    walk.dialog("rating dialog", ratings.dialog)
    ratings.dialog.reject()
    ratings.follow_up_selected()
    walk.dialog("return call dialog", ratings.dialog)
    ratings.dialog.reject()
    on_window = page(walk, window, "attendance", "on the window: me")
    for i, name in ((1, "windows with nobody on them"), (2, "monthly sheet")):
        on_window.tabs.setCurrentIndex(i)
        walk.surface(f"on the window: {name}", window)
