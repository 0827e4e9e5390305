"""Desk <-> county hub sync: outbox relay, pull/apply, hub client, link monitor, credentials (docs/architecture.md §4)."""
