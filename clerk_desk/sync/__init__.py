"""Desk <-> county hub sync: outbox relay, pull/apply, hub client, link monitor, credentials (DESIGN.md §4)."""
