"""Clerk Desk: offline-first desktop client for township comprehensive service windows (综合窗口)."""

__version__ = "0.1.0"
