"""Pure rules shared by the desk and the county hub: no Qt, no SQLAlchemy, no I/O."""
