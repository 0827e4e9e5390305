"""Load Qt for the GUI and give Python back its own ``import`` (docs/performance.md, "Seventh round").

PySide6 replaces ``builtins.__import__`` with a hook for its ``__feature__`` switches (``snake_case``,
``true_property``): every ``import`` statement run after Qt loads goes through a Python function, and each
module imported for the first time has its source read to see whether it mentions PySide6. The desk uses
no ``__feature__`` switch (tests/ui/test_qt_import.py checks the sources), so the hook only costs: ~12 ms of
a start that imports some seventy of the desk's modules after Qt. PySide6 keeps the import it replaced in
``builtins.__orig_import__``; this puts it back. If a PySide6 release names things differently, nothing is
changed and the start is only slower.
"""

from __future__ import annotations

import builtins


def load_qt() -> bool:
    """Import QtCore, then undo PySide6's ``__feature__`` import hook. True if the hook was undone."""
    import PySide6.QtCore  # noqa: F401 (installs the hook this undoes)

    hook = getattr(builtins, "__feature_import__", None)
    replaced = getattr(builtins, "__orig_import__", None)
    if hook is None or replaced is None or builtins.__import__ is not hook:
        return False
    builtins.__import__ = replaced
    return True
