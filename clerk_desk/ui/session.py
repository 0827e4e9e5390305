"""Who sits at this PC right now: the signed-in user, the site, and the window they picked."""

from __future__ import annotations

from dataclasses import dataclass

from clerk_desk.domain.org import Role
from clerk_desk.services.sign_in import UserInfo
from clerk_desk.services.workplace import SiteInfo, WindowInfo


@dataclass(frozen=True)
class DeskSession:
    """Who is signed in, at which site and window, in which mode."""

    user: UserInfo
    site: SiteInfo
    window: WindowInfo | None
    mode: str  # "clerk" (front window) or "approver" (back office)

    @property
    def is_admin(self) -> bool:
        return self.user.has(Role.ADMIN)

    @property
    def is_approver_mode(self) -> bool:
        return self.mode == "approver"


def approver_mode_for(user: UserInfo, site: SiteInfo) -> bool:
    """Back-office PCs run in approver mode; so does anyone who is an approver but not a window clerk."""
    if site.mode == "approver":
        return True
    return user.has(Role.APPROVER) and not user.has(Role.CLERK)


def needs_window(user: UserInfo) -> bool:
    """Clerks must say which window they sit at; admins and supervisors may skip."""
    return user.has(Role.CLERK) and not (user.has(Role.ADMIN) or user.has(Role.SUPERVISOR))
