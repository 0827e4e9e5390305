"""County hub: the back office's server for Clerk Desk (append-only event log, scope, shared lifecycle rules)."""

__version__ = "0.1.0"
API_PREFIX = "/api/v1"
