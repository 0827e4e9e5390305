"""What the clerk sees of sync with the county hub: status bar item, sync panel, enrolment, quit guard."""
