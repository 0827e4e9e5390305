"""Qt widgets, dialogs and table models. The only layer (with forms/ and the entry point) that imports PySide6."""
