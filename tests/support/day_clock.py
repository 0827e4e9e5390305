"""A fixed hour of China's day for tests whose desk is made of the day's cases with history behind them.

The clipping walk and the hostile-text desks make cases, hand-overs, ratings and a clerk's stint up to two
hours back from now, and the day's lists (ratings awaiting, the day's log, the daily archive) count from
China's midnight: run between 16:00 and 18:00 UTC part of the desk fell on the day before, and pages had
nothing to show or rate. ``at_day_hour()`` moves the process's clock (Python's ``datetime``, ``date`` and
``time.time``; not the monotonic clocks Qt's timers run on) to 10:30 in China on the day it runs, ticking.
"""

from __future__ import annotations

from datetime import datetime

import time_machine

from clerk_desk.domain.workdays import SHANGHAI

HOUR, MINUTE = 10, 30  # in the morning's opening hours: two hours of history are the same day


def at_day_hour() -> time_machine.travel:
    """A context manager (or decorator) holding the clock at 10:30 China time today, ticking from there."""
    here = datetime.now(SHANGHAI)
    return time_machine.travel(here.replace(hour=HOUR, minute=MINUTE, second=0, microsecond=0), tick=True)
