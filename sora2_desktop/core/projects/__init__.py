"""Projects, shots, takes and prompt versions: how a trailer's work is organised, stored beside the tasks."""
