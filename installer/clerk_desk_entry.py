"""PyInstaller's entry script for the frozen desk (installer/clerk_desk.spec): the same ``main`` as ``clerk-desk``."""

import sys

from clerk_desk.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
