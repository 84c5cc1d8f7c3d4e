"""Takes: the shot's strip of posters, review marks from the keyboard, comparing prompt versions and settings."""
