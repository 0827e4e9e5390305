"""Local SQLite store: engine, models, queries, migrations (DESIGN.md §3)."""
