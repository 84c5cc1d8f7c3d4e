"""The prompt library panel: search, preview and insert saved prompts and craft terms; save, edit, delete."""
