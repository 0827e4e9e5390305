"""The county view: figures and the 督办 list of every township (county supervisor devices)."""
