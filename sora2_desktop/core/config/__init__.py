"""Configuration: the profile folder, the settings file and the secrets in the OS keychain."""
