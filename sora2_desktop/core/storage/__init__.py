"""Storage: the SQLite database (WAL) that is the source of truth for tasks and downloads."""
