"""The task list: its Qt model, the words and progress it shows, filter, delegate, marks, detail and notifications."""
