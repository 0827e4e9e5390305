"""A process that holds a data folder's lock file as a running desk does (a QLockFile, stale time 0), for
the tests of what may not run beside a desk (tests/ui/test_single_instance.py, tests/store/test_rekey.py).

    python -c HOLDER <lock file>   prints "locked" once it holds the lock, and holds it until stdin closes
"""

HOLDER = """
import sys
from PySide6.QtCore import QLockFile
lock = QLockFile(sys.argv[1])
lock.setStaleLockTime(0)
assert lock.tryLock(0), "could not take the lock"
print("locked", flush=True)
sys.stdin.read()
"""
