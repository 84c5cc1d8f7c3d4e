"""Runtime plumbing: logging with secrets hidden, garbage collection and media calls on the GUI thread."""
