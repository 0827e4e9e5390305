"""系统管理: site settings, windows and user accounts (admin role only)."""
