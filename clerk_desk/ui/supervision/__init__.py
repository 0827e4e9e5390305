"""The supervisor's pages (大厅管理): 督办, 督办单, violations, figures (docs/supervision.md)."""
