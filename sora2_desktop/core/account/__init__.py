"""The key's account: its balance as the service reports it, what each click is expected to cost, and the spend."""
