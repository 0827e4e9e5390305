"""The case list and the case page (办件)."""
