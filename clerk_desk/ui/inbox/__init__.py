"""The back office's inbox (approver mode): the list of cases to sign for and decide, and the case page."""
