"""Sync for one signed-in session: everything the clerk sees of the sync engine.

The :class:`SyncEngine` (a background thread) belongs to the app run, not to a session: the start-up flow
makes it once (:func:`make_engine`) and it keeps sending while nobody is signed in, so a PC left at the
sign-in screen still delivers its transfers. :class:`DeskSync` is attached to it when a main window opens
and detached at sign-out: it brings the engine's status and rejections over to the GUI thread through
queued signals, and drives the status bar item, the sync panel, the rejection notice, the enrolment
prompts and the quit guard.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, QSettings, Qt, Signal, Slot
from PySide6.QtWidgets import QMessageBox

from clerk_desk.services import purge
from clerk_desk.store.database import Database
from clerk_desk.sync import credentials, directory, enrolment, follow, outbox
from clerk_desk.sync.credentials import NoSecureStore
from clerk_desk.sync.engine import SyncEngine, SyncStatus
from clerk_desk.sync.enrolment import Enrolled
from clerk_desk.sync.hub_client import HubClient
from clerk_desk.ui import catalog_updates, notify, screen_fit
from clerk_desk.ui.sync.enrol_dialog import EnrolDialog
from clerk_desk.ui.sync.quit_guard import QuitGuard
from clerk_desk.ui.sync.status_widget import SyncStatusWidget
from clerk_desk.ui.sync.sync_panel import SyncPanel
from clerk_desk.ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from clerk_desk.ui.main_window import MainWindow

log = logging.getLogger(__name__)

ClientFactory = Callable[[], HubClient | None]
EngineFactory = Callable[[Database, ClientFactory], SyncEngine]
T = TypeVar("T")
OFFERED_KEY = "sync/enrolment_offered"  # this PC was offered enrolment once (稍后注册 is remembered)


def asked_key(account: str) -> str:
    return "sync/enrolment_asked/" + re.sub(r"[^A-Za-z0-9_.-]", "_", account)


class EnrolState(StrEnum):
    ENROLLED = "enrolled"
    NOT_ENROLLED = "not_enrolled"  # this PC has no hub settings
    ACCOUNT = "account"  # the PC is enrolled, this Windows account has no token yet
    NO_KEYRING = "no_keyring"


@dataclass(frozen=True)
class EnrolCheck:
    state: EnrolState
    hub_url: str = ""
    ca_bundle: str = ""


def check_enrolment(db: Database) -> EnrolCheck:
    hs = enrolment.hub_settings(db)
    if hs is None:
        return EnrolCheck(EnrolState.NOT_ENROLLED)
    try:
        needs = enrolment.needs_enrolment_for_this_account(db)
    except NoSecureStore:
        return EnrolCheck(EnrolState.NO_KEYRING, hs.url, hs.ca_bundle or "")
    return EnrolCheck(EnrolState.ACCOUNT if needs else EnrolState.ENROLLED, hs.url, hs.ca_bundle or "")


def returned_case_numbers(db: Database, case_uuids: list[str]) -> list[str]:
    wanted = set(case_uuids)
    found = [p["case_number"] or p["case_uuid"] for p in outbox.problems(db, 1000)
             if p["case_uuid"] in wanted and p["state"] == "rejected"]
    return list(dict.fromkeys(found))


def default_engine(db: Database, client_factory: ClientFactory) -> SyncEngine:
    return SyncEngine(db, client_factory)


def desk_client(db: Database) -> HubClient | None:
    """Runs on the sync thread. A PC without a secure keyring cannot hold a token: treat as not enrolled."""
    try:
        return enrolment.client_for(db)
    except NoSecureStore:
        log.warning("no secure keyring: the desk works offline only")
        return None


def make_engine(db: Database, engine_factory: EngineFactory | None = None) -> SyncEngine:
    engine = (engine_factory or default_engine)(db, functools.partial(desk_client, db))
    purge.run_after_sync(db, engine)  # personal data past its retention leaves after a sync (services/purge.py)
    return engine


def _drop(listeners: list[T], fn: T) -> None:
    if fn in listeners:
        listeners.remove(fn)


class _Relay(QObject):
    """Emitted from the sync thread; connected with queued connections to the GUI thread."""

    status = Signal(object)
    rejected = Signal(list)


class DeskSync(QObject):
    def __init__(self, db: Database, runner: TaskRunner, settings: QSettings, window: MainWindow,
                 engine: SyncEngine) -> None:
        super().__init__(window)
        self.db, self.runner, self.settings, self.window = db, runner, settings, window
        self.engine = engine
        self.relay = _Relay()
        # Kept so detach() removes exactly these from the engine's lists.
        self._emitters = (self.relay.status.emit, self.relay.rejected.emit)
        self.engine.listeners.append(self._emitters[0])
        self.engine.rejection_listeners.append(self._emitters[1])
        # A catalog or calendar the engine brought in: the pages that show them hear it on the GUI thread.
        self.updates = catalog_updates.updates()
        self._resource_emitter = self.updates.notify
        self.engine.resource_listeners.append(self._resource_emitter)
        self.updates.changed.connect(self._resources_changed)
        queued = Qt.ConnectionType.QueuedConnection
        self.relay.status.connect(self._on_status, queued)
        self.relay.rejected.connect(self._on_rejected, queued)
        self.status: SyncStatus | None = None
        self.widget = SyncStatusWidget()
        self.widget.clicked.connect(self.open_panel)
        window.set_sync_status_widget(self.widget)
        self.panel: SyncPanel | None = None
        self.enrol_dialog: EnrolDialog | None = None
        self.notice: QMessageBox | None = None
        self.directory_notice: QMessageBox | None = None
        self._returned: list[str] = []
        self.quit_guard = QuitGuard(db, runner, self.engine, window)
        window.quit_guard = self.quit_guard
        window.sync_panel_requested.connect(self.open_panel)
        window.enrol_requested.connect(self.open_enrol)
        # The status bar follows the data too: what waits to be uploaded changes with every act, upload and
        # answer, not only when the engine next reports (ui/case_watch.py).
        window.case_watch.casesChanged.connect(self._cases_changed)
        self.running = False

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        """Start the engine if it is not running yet (it may be, from the sign-in screen), then show its state."""
        self.runner.submit(self.engine.start, on_done=lambda _r: self._started())

    def _started(self) -> None:
        self.running = True
        self._on_status(self.engine.status())  # what it knows already, without waiting for its next round
        self._resources_changed([])
        self.runner.submit(check_enrolment, self.db, on_done=self._prompt)

    def detach(self) -> None:
        """Sign-out: this session stops listening; the engine goes on sending."""
        self.running = False
        _drop(self.engine.listeners, self._emitters[0])
        _drop(self.engine.rejection_listeners, self._emitters[1])
        _drop(self.engine.resource_listeners, self._resource_emitter)
        self.updates.changed.disconnect(self._resources_changed)
        self.relay.blockSignals(True)
        for w in (self.panel, self.enrol_dialog, self.notice, self.directory_notice):
            if w is not None:
                w.close()

    def sync_now(self) -> None:
        self.engine.trigger()

    # -- status -------------------------------------------------------------------------------
    @Slot(object)
    def _on_status(self, st: SyncStatus) -> None:
        synced = st.last_success is not None and (self.status is None or self.status.last_success != st.last_success)
        self.status = st
        self.widget.set_status(st)
        if self.panel is not None:
            self.panel.set_status(st)
        if synced:  # the directory may have come with this sync
            self.runner.submit(directory.clashes_to_show, self.db, on_done=self._show_clashes)

    def _cases_changed(self, _uuids: frozenset[str]) -> None:
        if self.running:
            self.runner.submit(outbox.counts, self.db, on_done=self._counted, on_error=lambda _e: None)

    def _counted(self, counts: outbox.OutboxCounts) -> None:
        if self.status is None or not self.running:
            return
        self.status = replace(self.status, waiting=counts.waiting, held=counts.held, rejected=counts.rejected)
        self.widget.set_status(self.status)
        if self.panel is not None:
            self.panel.set_status(self.status)

    # -- the catalog and calendar versions (status bar tooltip) ---------------------------------
    @Slot(list)
    def _resources_changed(self, _kinds: list[str]) -> None:
        self.runner.submit(follow.versions, self.db, on_done=self.widget.set_versions)

    # -- local accounts the hub's directory also names ------------------------------------------
    def _show_clashes(self, names: list[str]) -> None:
        """Once per clash: the local account was kept; the hub's account of that name cannot sign in here."""
        if not names or not self.running:
            return
        self.runner.submit(directory.mark_shown, self.db, names)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("User accounts"), "", parent=self.window)
        box.setObjectName("syncDirectoryNotice")
        screen_fit.watch(box)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setText(self.tr(
            "The county hub's user list names accounts that were created on this PC: {0}. The accounts on this "
            "PC are kept as they are (name, password and roles); the county hub's accounts of these names cannot "
            "sign in on this PC. Tell county IT, who decide which account stays.").format("、".join(names)))
        box.addButton(self.tr("Close"), QMessageBox.ButtonRole.RejectRole).setObjectName("syncDirectoryNoticeClose")
        box.finished.connect(self._directory_notice_closed)
        if self.directory_notice is not None:
            self.directory_notice.close()
        self.directory_notice = box
        box.show()

    def _directory_notice_closed(self) -> None:
        if self.directory_notice is not None:
            self.directory_notice.deleteLater()
            self.directory_notice = None

    def open_panel(self) -> SyncPanel:
        if self.panel is None:
            self.panel = SyncPanel(self.db, self.runner, self.window, actor=self.window.session.user.username)
            self.panel.sync_requested.connect(self.sync_now)
            self.panel.enrol_requested.connect(self.open_enrol)
            self.panel.case_requested.connect(self.open_case)
            self.panel.set_status(self.status)
        self.panel.show()
        self.panel.raise_()
        self.panel.activateWindow()
        return self.panel

    def open_case(self, case_uuid: str) -> None:
        if not self.window.open_case(case_uuid):
            notify.info(self.window, self.tr("The case pages are not available in this version."))

    # -- records sent back --------------------------------------------------------------------
    @Slot(list)
    def _on_rejected(self, case_uuids: list[str]) -> None:
        self.runner.submit(returned_case_numbers, self.db, case_uuids, on_done=self._show_notice)

    def _show_notice(self, numbers: list[str]) -> None:
        if not numbers:
            return
        self._returned = list(dict.fromkeys([*self._returned, *numbers]))
        if self.notice is None:
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Records sent back"), "", parent=self.window)
            box.setObjectName("syncRejectedNotice")
            screen_fit.watch(box)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setWindowModality(Qt.WindowModality.NonModal)
            details = box.addButton(self.tr("Show details"), QMessageBox.ButtonRole.ActionRole)
            details.setObjectName("syncNoticeDetails")
            box.addButton(self.tr("Close"), QMessageBox.ButtonRole.RejectRole).setObjectName("syncNoticeClose")
            box.buttonClicked.connect(lambda b: self.open_panel() if b is details else None)
            box.finished.connect(self._notice_closed)
            self.notice = box
        self.notice.setText(self.tr(
            "The county hub sent back records of these cases: {0}. The cases show their state as the county "
            "hub has it. Open the sync details to see why and what to do.").format("、".join(self._returned)))
        self.notice.show()

    def _notice_closed(self) -> None:
        self._returned = []
        if self.notice is not None:
            self.notice.deleteLater()
            self.notice = None

    # -- enrolment ----------------------------------------------------------------------------
    def _prompt(self, check: EnrolCheck) -> None:
        if check.state == EnrolState.NO_KEYRING:
            notify.error(self.window, NoSecureStore().message_zh)
        elif check.state == EnrolState.NOT_ENROLLED and not self.window.session.site.demo:
            if not self.settings.value(OFFERED_KEY, False, bool):
                self._remember(OFFERED_KEY)
                self._show_enrol(check)
        elif check.state == EnrolState.ACCOUNT:
            key = asked_key(credentials.os_account())
            if not self.settings.value(key, False, bool):
                self._remember(key)
                self._show_enrol(check, self.account_intro())

    def _remember(self, key: str) -> None:
        self.settings.setValue(key, True)
        self.settings.sync()

    def account_intro(self) -> str:
        return self.tr(
            "This PC is enrolled with the county hub, but the Windows account {0} has no connection credential "
            "yet. Credentials are kept per Windows account (in its own secure store), so each account that uses "
            "this PC enrols once, with its own code from county IT. Until then this account's cases wait on "
            "this PC."
        ).format(credentials.os_account())

    def open_enrol(self) -> None:
        self.runner.submit(check_enrolment, self.db, on_done=self._show_enrol)

    def _show_enrol(self, check: EnrolCheck, intro: str = "") -> EnrolDialog:
        if self.enrol_dialog is not None:
            self.enrol_dialog.close()
        if not intro and check.state == EnrolState.ENROLLED:
            intro = self.tr("This PC is already enrolled. Enrolling again replaces this Windows account's "
                            "credential; the cases on this PC are kept.")
        dialog = EnrolDialog(self.db, self.runner, hub_url=check.hub_url, ca_bundle=check.ca_bundle,
                             intro=intro, parent=self.window)
        dialog.enrolled.connect(self._enrolled)
        self.enrol_dialog = dialog
        dialog.open()
        return dialog

    def _enrolled(self, info: Enrolled) -> None:
        self.sync_now()
        text = self.tr("Enrolled with the county hub: centre {0}, PC number {1}. Cases now go to the county hub "
                       "by themselves.").format(info.site_code, info.device_code)
        if (info.kind == "approver") != self.window.session.is_approver_mode:
            text += " " + self.tr("The county hub set this PC's mode: sign out and in again to switch.")
        notify.info(self.window, text)
