"""Helpers shared by the test suite (not test modules themselves).

- memory_keyring: an in-memory keyring backend, installed for the whole test run by tests/conftest.py
- postgres: a throwaway PostgreSQL 15 server for the hub tests (fixtures ``pg_url`` / ``pg_database_url``)
"""
