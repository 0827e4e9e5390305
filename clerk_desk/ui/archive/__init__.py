"""归档: the window's daily archive of paper originals, per department, with the hand-over list."""
