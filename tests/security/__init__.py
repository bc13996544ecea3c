"""Security tests: the authorisation matrix of every route × every role, and unit scoping."""
