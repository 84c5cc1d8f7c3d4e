"""Tasks: the Task record, submitting, the poll schedule, rate limiting, backoff and failure wording."""
