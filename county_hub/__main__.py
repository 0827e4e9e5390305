"""Entry point of the ``county-hub`` command."""

from __future__ import annotations

import sys

from county_hub.cli import main

if __name__ == "__main__":
    sys.exit(main())
