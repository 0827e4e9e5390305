"""The main window's page registry: each page is one line in :data:`PAGES`.

A page is a :class:`PageSpec` with a stable ``key`` (the widget's objectName is ``page_<key>`` and the
navigation item carries the key), a title (English source, translated in the "pages" context), a
factory ``(PageContext) -> QWidget`` and a ``visible`` rule on the session. A factory may raise
:class:`PageUnavailable` (or ImportError for a module not built yet): the page then shows a notice.
Pages are built when first shown (ui/lazy_pages.py); ``visible`` must stay cheap.
To add a page, append a spec to PAGES (or call :func:`register`) and add its title to the .ts file.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from clerk_desk.domain.org import Role
from clerk_desk.store.database import Database
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.tr_mark import QT_TRANSLATE_NOOP

if TYPE_CHECKING:  # imported when the page is first shown (it pulls in pypinyin's dictionary)
    from clerk_desk.ui.catalog.browser import CatalogBrowser

log = logging.getLogger(__name__)


class PageUnavailable(Exception):
    pass


@runtime_checkable
class OpensCases(Protocol):
    """The main window (a page's parent): shows a case on a list page."""

    def open_in(self, key: str, case_uuid: str) -> bool: ...


@runtime_checkable
class OpensViews(OpensCases, Protocol):
    """The main window: also shows a list page on one of its views."""

    def open_view(self, key: str, view: object) -> bool: ...


@dataclass(frozen=True)
class PageContext:
    """What every page is built with: the database, the task runner, the session and the main window."""

    db: Database
    runner: TaskRunner
    session: DeskSession
    parent: QWidget | None = None


@dataclass(frozen=True)
class PageSpec:
    """A page of the main window's list: its key, its title, how it is built and who sees it."""

    key: str
    title: str  # English source string, marked with QT_TRANSLATE_NOOP("pages", ...)
    factory: Callable[[PageContext], QWidget]
    visible: Callable[[DeskSession], bool] = lambda _s: True
    eager: bool = False  # built with the main window (it acts at sign-in), not when first shown

    def translated_title(self) -> str:
        return QCoreApplication.translate("pages", self.title)


def _home(ctx: PageContext) -> QWidget:
    from clerk_desk.ui.home_page import HomePage

    page = HomePage(ctx.db, ctx.runner, ctx.session, ctx.parent)
    window = ctx.parent  # the main window opens what a line of the work waiting names
    if isinstance(window, OpensViews):
        page.openView.connect(window.open_view)
        page.openCase.connect(window.open_in)
    return page


def _intake(ctx: PageContext) -> QWidget:
    from clerk_desk.ui.intake.intake_page import IntakePage

    return IntakePage(ctx.db, ctx.runner, ctx.session, ctx.parent)


def _catalog(ctx: PageContext) -> QWidget:
    try:
        module = importlib.import_module("clerk_desk.ui.catalog.browser")
    except ImportError as exc:
        raise PageUnavailable(str(exc)) from exc
    browser: CatalogBrowser = module.CatalogBrowser(ctx.db, ctx.runner, ctx.parent)
    if not ctx.session.is_approver_mode:  # at a window: the items it cannot take are greyed
        browser.follow_window(ctx.session.window.id if ctx.session.window else None)
    return browser


def _admin(ctx: PageContext) -> QWidget:
    from clerk_desk.ui.admin.admin_page import AdminPage

    page = AdminPage(ctx.db, ctx.runner, ctx.session, ctx.parent)
    site_saved = getattr(ctx.parent, "site_saved", None)  # the main window: its idle lock follows the setting
    if site_saved is not None:
        page.site_tab.saved.connect(site_saved)
    return page


def _supervision(ctx: PageContext) -> QWidget:
    from clerk_desk.ui.supervision.supervision_page import SupervisionPage

    page = SupervisionPage(ctx.db, ctx.runner, ctx.session, ctx.parent)
    if isinstance(ctx.parent, OpensCases):  # the main window opens a case the 督办 list names
        page.openCase.connect(ctx.parent.open_in)
    return page


def _supervises(s: DeskSession) -> bool:
    from clerk_desk.domain.org import Role

    return s.user.has(Role.SUPERVISOR) or s.is_admin


def catalog_available() -> bool:
    # Looked up, not imported: the browser pulls in pypinyin's dictionary, which start-up need not pay for.
    try:
        return importlib.util.find_spec("clerk_desk.ui.catalog.browser") is not None
    except ModuleNotFoundError:
        return False


PAGES: list[PageSpec] = [
    PageSpec("home", QT_TRANSLATE_NOOP("pages", "Home"), _home, eager=True),
    PageSpec("intake", QT_TRANSLATE_NOOP("pages", "Intake"), _intake, lambda s: not s.is_approver_mode),
    PageSpec("cases", QT_TRANSLATE_NOOP("pages", "Cases"), lambda ctx: importlib.import_module("clerk_desk.ui.cases.cases_page").make_page(ctx), lambda s: not s.is_approver_mode),
    PageSpec("results", QT_TRANSLATE_NOOP("pages", "Results to notify"), lambda ctx: importlib.import_module("clerk_desk.ui.results.results_page").make_page(ctx), lambda s: not s.is_approver_mode),
    # An approver's own work first, right under 首页 (it came after 每日归档 and 容缺跟进)
    PageSpec("inbox", QT_TRANSLATE_NOOP("pages", "Back-office inbox"), lambda ctx: importlib.import_module("clerk_desk.ui.inbox.inbox_page").make_page(ctx), lambda s: s.is_approver_mode),
    PageSpec("filing", QT_TRANSLATE_NOOP("pages", "Daily filing"), lambda ctx: importlib.import_module("clerk_desk.ui.filing.filing_page").make_page(ctx), lambda s: s.is_approver_mode),
    PageSpec("pledges", QT_TRANSLATE_NOOP("pages", "容缺 follow-up"), lambda ctx: importlib.import_module("clerk_desk.ui.pledges.pledges_page").make_page(ctx)),
    PageSpec("archive", QT_TRANSLATE_NOOP("pages", "Daily archive"), lambda ctx: importlib.import_module("clerk_desk.ui.archive.archive_page").make_page(ctx), lambda s: not s.is_approver_mode),
    # -- hall services (docs/hall-services.md) ---------------------------------------------------------
    PageSpec("consultation", QT_TRANSLATE_NOOP("pages", "Consultations"), lambda ctx: importlib.import_module("clerk_desk.ui.hall.consultation_page").make_page(ctx), lambda s: not s.is_approver_mode),
    PageSpec("evaluation", QT_TRANSLATE_NOOP("pages", "Ratings"), lambda ctx: importlib.import_module("clerk_desk.ui.hall.evaluation_page").make_page(ctx), lambda s: not s.is_approver_mode),
    PageSpec("attendance", QT_TRANSLATE_NOOP("pages", "On the window"), lambda ctx: importlib.import_module("clerk_desk.ui.hall.attendance_page").make_page(ctx), lambda s: not s.is_approver_mode),
    PageSpec("supervision", QT_TRANSLATE_NOOP("pages", "Supervision"), _supervision, _supervises),
    PageSpec(
        "catalog", QT_TRANSLATE_NOOP("pages", "Service catalog"), _catalog, lambda _s: catalog_available()
    ),
    # The county view: the hub answers it on a county supervisor device only (the page says so elsewhere).
    PageSpec(
        "county", QT_TRANSLATE_NOOP("pages", "County figures"),
        lambda ctx: importlib.import_module("clerk_desk.ui.county.county_page").make_page(ctx),
        lambda s: not s.is_approver_mode and (s.is_admin or s.user.has(Role.SUPERVISOR)),
    ),  # fmt: skip
    PageSpec("admin", QT_TRANSLATE_NOOP("pages", "Administration"), _admin, lambda s: s.is_admin),
]


def register(spec: PageSpec, *, before: str | None = None) -> None:
    """Add a page (replacing one with the same key); ``before`` puts it ahead of another page's key."""
    PAGES[:] = [p for p in PAGES if p.key != spec.key]
    keys = [p.key for p in PAGES]
    PAGES.insert(keys.index(before) if before in keys else len(PAGES), spec)


def visible_pages(ctx: PageContext) -> list[PageSpec]:
    return [spec for spec in PAGES if spec.visible(ctx.session)]


def build_page(spec: PageSpec, ctx: PageContext) -> QWidget | None:
    """Instantiate one page; None when it cannot be built in this installation."""
    try:
        widget = spec.factory(ctx)
    except (PageUnavailable, ImportError) as exc:
        log.warning("page %s left out: %s", spec.key, exc)
        return None
    widget.setObjectName(f"page_{spec.key}")
    return widget


