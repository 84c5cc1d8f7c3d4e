"""A local stand-in of the APIXO Sora 2 service (same protocol, demo videos) for demo mode and tests."""
