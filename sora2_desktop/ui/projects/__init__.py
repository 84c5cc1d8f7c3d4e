"""Projects and their shots: the shot list (model, delegate, panel, keys), project settings, the shot's composer."""
