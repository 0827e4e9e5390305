"""The main window opens where this OS user left it (size, place, maximised), always inside the screen's
free area, and it fits a 1366×768 hall PC: the pages scroll inside it instead of pushing the status bar
off the screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMargins, QRect, QSettings, QSize
from pytestqt.qtbot import QtBot

from clerk_desk.services import accounts, demo, site_setup
from clerk_desk.store.database import Database
from clerk_desk.ui import window_geometry as wg
from clerk_desk.ui.main_window import MainWindow
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import SyncTaskRunner

HALL_100 = QRect(0, 0, 1366, 728)  # 1366×768 less a 40 px taskbar
HALL_150 = QRect(0, 0, 911, 472)  # the same screen at 150 %
WIDE = QRect(0, 0, 1920, 1040)
FRAME = wg.FRAME


def outer(rect: QRect, frame: QMargins = FRAME) -> QRect:
    return rect.marginsAdded(frame)


def test_a_new_pc_opens_maximised_when_the_default_size_does_not_fit() -> None:
    small = wg.initial(HALL_100, None)
    assert small.maximised and HALL_100.contains(outer(small.rect))
    wide = wg.initial(WIDE, None)
    assert not wide.maximised and wide.rect.size() == wg.DEFAULT_SIZE
    assert wide.rect.center().x() == WIDE.center().x()  # centred


def test_a_saved_place_is_clamped_into_a_smaller_screen() -> None:
    saved = wg.Placement(QRect(700, 500, 1600, 900), maximised=False)  # left on a 1920×1080 screen
    for screen in (HALL_100, HALL_150, WIDE):
        placed = wg.initial(screen, saved)
        assert screen.contains(outer(placed.rect)), (screen, placed.rect)
        assert not placed.maximised
    off_screen = wg.Placement(QRect(-3000, -200, 800, 600), maximised=True)  # a second monitor gone
    placed = wg.initial(HALL_100, off_screen)
    assert HALL_100.contains(outer(placed.rect)) and placed.rect.size() == QSize(800, 600) and placed.maximised


def test_placement_round_trips_through_settings_and_a_damaged_value_is_ignored(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "user.ini"), QSettings.Format.IniFormat)
    assert wg.read(settings) is None
    wg.write(settings, wg.Placement(QRect(10, 20, 1000, 700), maximised=True))
    again = QSettings(str(tmp_path / "user.ini"), QSettings.Format.IniFormat)
    assert wg.read(again) == wg.Placement(QRect(10, 20, 1000, 700), True)
    again.setValue(wg.KEY_GEOMETRY, "ten,20,x")
    assert wg.read(again) is None


def _window(db: Database, settings: QSettings, qtbot: QtBot, username: str = "clerk1") -> MainWindow:
    user = next(u for u in accounts.list_users(db) if u.username == username)
    session = DeskSession(user, site_setup.site_info(db), site_setup.list_windows(db)[0], "clerk")
    window = MainWindow(db, SyncTaskRunner(), session, window_settings=settings)
    qtbot.addWidget(window)
    return window


def test_the_main_window_remembers_maximised_and_its_size_per_os_user(tmp_path: Path, qtbot: QtBot) -> None:
    db = Database(tmp_path / "data")
    demo.ensure_demo_site(db)
    settings = QSettings(str(tmp_path / "user.ini"), QSettings.Format.IniFormat)
    window = _window(db, settings, qtbot)
    window.show_as_remembered()
    window.showNormal()
    window.setGeometry(QRect(40, 60, 700, 450))
    window.showMaximized()
    window.close()  # quitting keeps where it was
    assert wg.read(settings) == wg.Placement(QRect(40, 60, 700, 450), True)

    again = _window(db, settings, qtbot)
    again.show_as_remembered()
    assert again.isMaximized() and again.normalGeometry().size() == QSize(700, 450)
    again.showNormal()
    again.setGeometry(QRect(50, 70, 720, 460))
    again.sign_out()  # signing out keeps it too
    assert wg.read(settings) == wg.Placement(QRect(50, 70, 720, 460), False)
    db.close()


def test_every_page_fits_a_maximised_window_on_a_1366x768_hall_pc(tmp_path: Path, qtbot: QtBot) -> None:
    """The tallest pages (intake, the case page) scroll inside the window: the window itself never asks
    for more than a maximised window has, so the status bar stays on screen."""
    db = Database(tmp_path / "data")
    demo.ensure_demo_site(db)
    window = _window(db, QSettings(str(tmp_path / "user.ini"), QSettings.Format.IniFormat), qtbot, "admin")
    window.show()
    room = QSize(1366, 768 - 40 - 31)  # less the taskbar and the title bar
    for key in window.page_keys():
        window.show_page(key)
        least = window.minimumSizeHint().expandedTo(window.minimumSize())
        assert least.width() <= room.width() and least.height() <= room.height(), (key, least)
    window.resize(room)
    assert window.size() == room and window.statusBar().isVisible()
    assert window.statusBar().geometry().bottom() < room.height()
    db.close()
