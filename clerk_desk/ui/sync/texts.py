"""Plain words for what the sync engine and the county hub report: link errors, rejections, what to do.

The engine keeps technical text (``HubUnreachable``/``HubRefused`` messages, ``code: reason`` of a
rejection, fault codes); a clerk reads these translations instead, never an English word or a code
(the technical text goes to the log and to ``clerk-desk sync status``). Strings are English sources in the "sync"
context, translated in the .ts like every other string.
"""

from __future__ import annotations

import re
from datetime import datetime

from PySide6.QtCore import QCoreApplication

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services.case_queries import EVENT_ZH
from clerk_desk.sync import follow
from clerk_desk.ui.tr_mark import QT_TRANSLATE_NOOP


def _t(text: str) -> str:
    """Translate a string marked with QT_TRANSLATE_NOOP("sync", ...)."""
    return QCoreApplication.translate("sync", text)


CANNOT_REACH = QT_TRANSLATE_NOOP("sync", "Cannot reach the county hub")


def cannot_reach() -> str:
    return _t(CANNOT_REACH)
_CREDENTIAL = QT_TRANSLATE_NOOP(
    "sync", "This PC's connection credential is not valid any more: enrol again with a new code"
)
_HUB_CODES = {
    "invalid_token": _CREDENTIAL,
    "token_revoked": _CREDENTIAL,
    "missing_token": QT_TRANSLATE_NOOP("sync", "This Windows account is not enrolled with the county hub yet"),
    "device_revoked": QT_TRANSLATE_NOOP("sync", "The county hub has deactivated this PC: contact county IT"),
    "out_of_scope": QT_TRANSLATE_NOOP("sync", "The county hub refused records outside this PC's area: contact county IT"),
    "side_not_allowed": QT_TRANSLATE_NOOP("sync", "The county hub refused records this PC may not send: contact county IT"),
    "device_mismatch": QT_TRANSLATE_NOOP("sync", "The county hub refused records of another PC: contact county IT"),
    "cursor_ahead": QT_TRANSLATE_NOOP("sync", "The county hub was restored from a backup: this PC reloads its cases"),
}
_REQUEST_REFUSED = QT_TRANSLATE_NOOP(
    "sync", "The county hub refused this PC's request; it is retried automatically. If this keeps happening, "
    "contact county IT"
)
for _code in ("batch_too_large", "body_too_large", "malformed_json", "bad_gzip", "bad_request", "invalid_request",
              "unsupported_encoding", "not_found", "method_not_allowed", "too_many_requests", "rate_limited"):
    _HUB_CODES[_code] = _REQUEST_REFUSED
_CODE_RE = re.compile(r"\b(" + "|".join(_HUB_CODES) + r")\b")
_UNREACHABLE = ("refused", "timed out", "timeout", "max retries", "resolve", "name or service",
                "reset by peer", "aborted", "remote end closed", "remotedisconnected", "connection")

# What went wrong besides the link (engine.py's fault codes).
_FAULTS = {
    "insecure_hub_url": QT_TRANSLATE_NOOP(
        "sync", "The county hub address this PC was enrolled with is not an https address. To keep the "
        "connection credential from being stolen, this PC no longer sends it there; cases are kept on this PC. "
        "Ask county IT for the https address and a new code, then enrol again (System → Enrol with the county hub)"
    ),
    "database_busy": QT_TRANSLATE_NOOP(
        "sync", "The case database on this PC is in use by another program; sync is retried automatically"
    ),
    "database_read_only": QT_TRANSLATE_NOOP(
        "sync", "The case database on this PC is read-only, so sync cannot record its results; it is retried "
        "automatically. Ask IT to check the file's permissions"
    ),
    "disk_full": QT_TRANSLATE_NOOP(
        "sync", "The disk is full, so sync cannot record its results; it is retried automatically. Free some disk space"
    ),
    "database_error": QT_TRANSLATE_NOOP(
        "sync", "Reading or writing the case database on this PC failed; sync is retried automatically. If this "
        "keeps happening, contact IT"
    ),
    "internal": QT_TRANSLATE_NOOP(
        "sync", "Sync ran into a program error (written to the log); it is retried automatically. If this keeps "
        "happening, contact IT"
    ),
    "worker_stopped": QT_TRANSLATE_NOOP(
        "sync", "Sync had stopped unexpectedly and was restarted by itself"
    ),
    "personal_data_locked": QT_TRANSLATE_NOOP(
        "sync", "The personal data on this PC cannot be opened with this PC's key, so nothing is uploaded; "
        "the records are kept. Contact IT"
    ),
}
_FAULT_RE = re.compile(r"^sync_fault (\w+)")


def fault(code: str | None) -> str:
    """What a clerk reads for the engine's fault code ('' for none)."""
    if not code:
        return ""
    return _t(_FAULTS.get(code, _FAULTS["internal"]))


def link_error(raw: str | None) -> str:
    """What a clerk reads for the engine's last error or an event's last send error ('' for none)."""
    if not raw:
        return ""
    low = raw.lower()
    faulted = _FAULT_RE.match(raw)
    if faulted:
        return fault(faulted.group(1))
    found = _CODE_RE.search(raw)
    if found:
        return _t(_HUB_CODES[found.group(1)])
    if raw.startswith("TLS") or "ssl" in low or "certificate" in low:
        return _t(QT_TRANSLATE_NOOP("sync", "Certificate check failed: ask IT to check the county's CA certificate on this PC"))
    if "a redirect to" in low:  # hub_client: a 3xx is not followed; where it points is in the log
        return _t(QT_TRANSLATE_NOOP(
            "sync", "The county hub answered from another address (it may have moved): ask IT to set the hub's "
                    "current https address on this PC"))
    if raw.startswith("bad answer"):
        return _t(QT_TRANSLATE_NOOP(
            "sync", "The county hub's answer was cut short or could not be read; it is retried automatically"))
    if "hub answered 5" in low:
        return _t(QT_TRANSLATE_NOOP("sync", "The county hub cannot take records right now; it is retried automatically"))
    if any(k in low for k in _UNREACHABLE):
        return _t(CANNOT_REACH)
    # The technical text stays in the log and `clerk-desk sync status`; a clerk reads plain words.
    return _t(QT_TRANSLATE_NOOP("sync", "Upload did not succeed; it is retried automatically"))


# Why the hub sent an event back, and what the clerk does about it.
_STATE_CHANGED = QT_TRANSLATE_NOOP(
    "sync", "The back office has already handled this case: open the case, check its current state, then redo the step"
)
_ASK_IT = QT_TRANSLATE_NOOP("sync", "Contact county IT with the case number")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WHO_ACTED = QT_TRANSLATE_NOOP(
    "sync", "The county hub does not accept the person recorded for this step (unknown account, or not in that "
            "role at the time)")
_CLOCK = QT_TRANSLATE_NOOP(
    "sync", "This PC's clock is wrong: ask IT to set it right, then redo the step on the case")
# Codes the hub checks before the lifecycle (docs/sync-protocol.md, "Push"): (why, what to do).
_ADMISSION = {
    "unknown_actor": (_WHO_ACTED, _ASK_IT),
    "actor_not_authorized": (_WHO_ACTED, _ASK_IT),
    "occurred_in_future": (QT_TRANSLATE_NOOP("sync", "The record is dated later than the county hub's clock"),
                           _CLOCK),
    "occurred_before_enrolment": (QT_TRANSLATE_NOOP(
        "sync", "The record is dated before this PC was enrolled with the county hub"), _CLOCK),
    "device_seq_jump": (QT_TRANSLATE_NOOP("sync", "The record's number on this PC is out of sequence"), _ASK_IT),
    "event_too_large": (QT_TRANSLATE_NOOP("sync", "The record is larger than the county hub accepts"), _ASK_IT),
}
# The window and item an intake names, judged by the hub's window directory and published catalog
# (docs/hub.md, "Window directory"): the hub says why in Chinese (shown as is).
_ROUTING = {
    "unknown_window": (QT_TRANSLATE_NOOP("sync", "The county hub does not know the window this intake names"),
                       QT_TRANSLATE_NOOP("sync", "Sign in again and pick this PC's window; if it is right, ask county "
                                                 "IT to register it at the county hub")),
    "window_not_this_device": (QT_TRANSLATE_NOOP("sync", "The county hub has this window on another PC"),
                               QT_TRANSLATE_NOOP("sync", "Sign in again and pick the window this PC works, or ask "
                                                         "county IT to register this PC for the window")),
    "window_ended": (QT_TRANSLATE_NOOP("sync", "The window was taken out of use at the county hub"), _ASK_IT),
    "window_cannot_take": (QT_TRANSLATE_NOOP("sync", "The window does not take this item"), _ASK_IT),
    "item_department": (QT_TRANSLATE_NOOP("sync", "The county catalog puts the item in another department"),
                        _ASK_IT),
    "bad_window_facts": (QT_TRANSLATE_NOOP("sync", "The intake's window could not be read"), _ASK_IT),
}
_REJECTIONS = {
    "stale_version": (QT_TRANSLATE_NOOP("sync", "The case was changed on another PC or by the back office"), _STATE_CHANGED),
    "illegal_transition": (QT_TRANSLATE_NOOP("sync", "The case's current state does not allow this step"), _STATE_CHANGED),
    "wrong_owner": (QT_TRANSLATE_NOOP("sync", "The case is held by the back office, not by the window"), _STATE_CHANGED),
    "pledge_open": (QT_TRANSLATE_NOOP("sync", "The case already has an open pledge"), _STATE_CHANGED),
    "no_pledge": (QT_TRANSLATE_NOOP("sync", "The case has no open pledge"), _STATE_CHANGED),
    "already_requested": (QT_TRANSLATE_NOOP("sync", "Withdrawal was already requested"), _STATE_CHANGED),
    "not_requested": (QT_TRANSLATE_NOOP("sync", "The window has not asked for withdrawal"), _STATE_CHANGED),
    "wrong_side": (QT_TRANSLATE_NOOP("sync", "This step cannot be taken at the window"), _ASK_IT),
    "case_moved": (QT_TRANSLATE_NOOP("sync", "The case belongs to another centre or department"), _ASK_IT),
    "uuid_conflict": (QT_TRANSLATE_NOOP("sync", "The record's id clashes with another record"), _ASK_IT),
}


def problem(state: str, reason: str | None) -> tuple[str, str]:
    """(why, what to do) for a rejected or held event of the sync panel."""
    if state == "held":
        return (_t(QT_TRANSLATE_NOOP("sync", "Waiting for the earlier record of this case to be handled")),
                _t(QT_TRANSLATE_NOOP("sync", "Handle the returned record of the same case first; this one waits and is not lost")))
    code, _, detail = (reason or "").partition(":")
    code, detail = code.strip(), detail.strip()
    if code in _REJECTIONS:
        why, todo = _REJECTIONS[code]
        return _t(why), _t(todo)
    if code in _ADMISSION or code in _ROUTING:  # checked before the lifecycle; the hub says why in Chinese
        why, todo = _ADMISSION.get(code) or _ROUTING[code]
        return (detail if _CJK.search(detail) else _t(why)), _t(todo)
    if _CJK.search(detail):  # the hub said why in Chinese: show its words (as plain text)
        return _t(QT_TRANSLATE_NOOP("sync", "Returned by the county hub: {0}")).format(detail), _t(_STATE_CHANGED)
    return _t(QT_TRANSLATE_NOOP("sync", "Returned by the county hub")), _t(_STATE_CHANGED)


def event_name(event_type: str) -> str:
    return EVENT_ZH.get(event_type, event_type)


def clock(at: datetime | None, now: datetime | None = None) -> str:
    """HH:MM for today (China time), MM-DD HH:MM for an earlier day."""
    if at is None:
        return _t(QT_TRANSLATE_NOOP("sync", "never"))
    local = at.astimezone(SHANGHAI)
    today = (now or datetime.now(SHANGHAI)).astimezone(SHANGHAI).date()
    return f"{local:%H:%M}" if local.date() == today else f"{local:%m-%d %H:%M}"


def skew_minutes(skew_s: float) -> str:
    minutes = round(skew_s / 60)
    return f"{minutes:+d}"


def restarted(count: int, at: datetime | None) -> str:
    """The watchdog's note: the sync worker had stopped and was restarted (count times, last at ``at``)."""
    return _t(QT_TRANSLATE_NOOP("sync", "Sync had stopped unexpectedly and was restarted by itself ({0} times, "
                                        "last at {1}).")).format(count, clock(at))


def _when(moment: datetime | None) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else ""


def versions(v: follow.Versions) -> list[str]:
    """The catalog and calendar this desk works with, where from and when they arrived (status bar, 关于)."""
    lines = []
    if v.catalog is None:
        lines.append(QCoreApplication.translate("sync", "Service catalog: none imported yet"))
    else:
        source = {"hub": QCoreApplication.translate("sync", "from the county hub"), "demo": QCoreApplication.translate("sync", "demo catalog")}.get(
            v.catalog_source or "", QCoreApplication.translate("sync", "imported on this PC"))
        lines.append(QCoreApplication.translate("sync", "Service catalog {0} ({1}), arrived {2}").format(v.catalog, source, _when(v.catalog_at)))
    if v.calendar is None:
        lines.append(QCoreApplication.translate("sync", "Holiday calendar: none (the library's years only)"))
    elif v.calendar_at is not None:
        lines.append(QCoreApplication.translate("sync", "Holiday calendar {0} (from the county hub), arrived {1}; years {2}").format(
            v.calendar, _when(v.calendar_at), "、".join(map(str, v.calendar_years))))
    else:
        source = QCoreApplication.translate("sync", "shipped with the program") if v.calendar_source == "shipped" else QCoreApplication.translate("sync", "placed on this PC")
        lines.append(QCoreApplication.translate("sync", "Holiday calendar {0} ({1}); years {2}").format(
            v.calendar, source, "、".join(map(str, v.calendar_years))))
    lines += list(v.notes)
    return lines
