"""The task list: its Qt model, filter, delegate, marks, detail text and notifications."""
