"""Local SQLite store: engine, models, queries, migrations (docs/architecture.md §3)."""
