"""Use cases. Each one is a single transaction that writes the rows and the events to send."""
