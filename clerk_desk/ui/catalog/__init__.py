"""The catalog browser page (事项目录) and the item page."""
