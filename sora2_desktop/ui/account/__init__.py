"""The key's account as the window shows it: the spend per day beside the balance the service reported."""
